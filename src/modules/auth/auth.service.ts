import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../infra/actor';
import { AppError } from '../../infra/errors';
import { verifyPassword } from '../users/passwords';
import type { RateLimiter } from '../../infra/rate-limit';
import type { ActorCache } from './actor-cache';
import { User } from '../users/user.entity';
import type { NewUser, UserService } from '../users/user.service';
import type { AccessToken, TokenService } from './tokens';

/**
 * Registration, login and resolving a bearer token to the calling user. Registration and login, from
 * REST or GraphQL alike, draw on one attempt budget per client address and one per account (email),
 * so neither a second front door nor a second address gives an attacker more password guesses.
 */
export class AuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly users: UserService,
    private readonly tokens: TokenService,
    private readonly actors: ActorCache,
    private readonly attempts: RateLimiter,
  ) {}

  /** @throws AppError 429 with `retryAfterSeconds` when the client or the account is over budget. */
  private countAttempt(client: string, email: string): void {
    this.attempts.hit([`client:${client}`, `account:${email.trim().toLowerCase()}`]);
  }

  /**
   * Self-registration: the new user (role from ADMIN_EMAILS) and a token for it.
   * @param client - the caller's address, for the attempt budget.
   * @throws AppError 409 on a taken email, 429 over budget.
   */
  async register(input: Omit<NewUser, 'role' | 'signedUpAt'> & { password: string }, client: string): Promise<{ user: User; token: AccessToken }> {
    this.countAttempt(client, input.email);
    const user = await this.users.create(null, input);
    return { user, token: await this.tokens.issue(user.id) };
  }

  /**
   * @param client - the caller's address, for the attempt budget.
   * @throws AppError 401 with one message for an unknown email and a wrong password, 429 over budget.
   */
  async login(email: string, password: string, client: string): Promise<AccessToken> {
    this.countAttempt(client, email);
    const user = await this.users.findForLogin(email);
    if (!(await verifyPassword(user?.passwordHash, password)) || !user) {
      throw new AppError('unauthenticated', 'invalid email or password');
    }
    return this.tokens.issue(user.id);
  }

  /**
   * Resolves an `Authorization` header value to the caller: the token's subject, with its role from
   * the user row as this process read it within the last few seconds ({@link ActorCache}: a deletion
   * or a role change applies at once here, within AUTH_CACHE_TTL_MS (5 s) on other replicas).
   * @throws AppError 401 when absent, not `Bearer`, invalid, expired or of a deleted user.
   */
  async authenticate(authorization: string | undefined): Promise<{ actor: Actor }> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) throw new AppError('unauthenticated', 'send Authorization: Bearer <access token>');
    const userId = await this.tokens.verify(match[1]);
    const actor = await this.actors.get(userId, async () => {
      const user = await this.em.findOne(User, { id: userId }, { fields: ['id', 'role'] });
      return user && { userId: user.id, role: user.role };
    });
    if (!actor) throw new AppError('unauthenticated', 'the user of this token no longer exists');
    return { actor };
  }
}
