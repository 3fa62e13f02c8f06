import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../infra/actor';
import { AppError } from '../../infra/errors';
import { verifyPassword } from '../users/passwords';
import { User } from '../users/user.entity';
import type { NewUser, UserService } from '../users/user.service';
import type { AccessToken, TokenService } from './tokens';

/** Registration, login and resolving a bearer token to the calling user. */
export class AuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly users: UserService,
    private readonly tokens: TokenService,
  ) {}

  /** Self-registration: the new user (role from ADMIN_EMAILS) and a token for it. @throws AppError 409 */
  async register(input: Omit<NewUser, 'role' | 'signedUpAt'> & { password: string }): Promise<{ user: User; token: AccessToken }> {
    const user = await this.users.create(null, input);
    return { user, token: await this.tokens.issue(user.id) };
  }

  /** @throws AppError 401 with one message for an unknown email and a wrong password. */
  async login(email: string, password: string): Promise<AccessToken> {
    const user = await this.users.findForLogin(email);
    if (!(await verifyPassword(user?.passwordHash, password)) || !user) {
      throw new AppError('unauthenticated', 'invalid email or password');
    }
    return this.tokens.issue(user.id);
  }

  /**
   * Resolves an `Authorization` header value to the caller. Loads the user, so a deleted user's
   * token stops working at once and role changes apply to the next request.
   * @throws AppError 401 when absent, not `Bearer`, invalid, expired or of a deleted user.
   */
  async authenticate(authorization: string | undefined): Promise<{ actor: Actor; user: User }> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) throw new AppError('unauthenticated', 'send Authorization: Bearer <access token>');
    const userId = await this.tokens.verify(match[1]);
    const user = await this.em.findOne(User, { id: userId });
    if (!user) throw new AppError('unauthenticated', 'the user of this token no longer exists');
    return { actor: { userId: user.id, role: user.role }, user };
  }
}
