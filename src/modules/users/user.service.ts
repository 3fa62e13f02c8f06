import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { type Actor, isSelfOrAdmin, type Role } from '../../infra/actor';
import type { Cache } from '../../infra/cache';
import { type CursorCodec, type Page, toPage } from '../../infra/cursor';
import { AppError } from '../../infra/errors';
import { hashPassword } from './passwords';
import { User } from './user.entity';
import { UserTags } from './user-tags';

/** A user as every front door shows it (never password material). Times are UTC. */
export interface UserView {
  id: string;
  name: string;
  email: string;
  timeZone: string;
  signedUpAt: Date;
  role: Role;
  createdAt: Date;
  updatedAt: Date;
}

/** Fields of a new user. `email` is matched case-insensitively and stored lower-cased. */
export interface NewUser {
  name: string;
  email: string;
  password?: string;
  timeZone?: string;
  signedUpAt?: Date;
  role?: Role;
}

export type UserPatch = Partial<Omit<NewUser, 'email'>> & { email?: string };

/**
 * Called after a user exists, inside the creating transaction (`em` is the transaction's; flush what
 * you persist). The calendars module gives the user its primary calendar here.
 */
export type UserCreatedHook = (em: EntityManager, user: User) => Promise<void>;

/**
 * Called before a user is deleted (with its calendars, their entries and its participations, by FK
 * cascade): the cache tags of what goes with it, invalidated once it is gone.
 */
export type UserDeletingHook = (userId: string) => Promise<string[]>;

/**
 * Called after a user was changed or deleted (committed): what other modules remember of users must
 * be forgotten (the auth module's cached callers, so a role change or a deletion applies at once).
 */
export type UserChangedHook = (userId: string) => void;

/** The user as every front door shows it: never password material. */
export function toUserView(u: User): UserView {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    timeZone: u.timeZone,
    signedUpAt: u.signedUpAt,
    role: u.role,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

/**
 * Users: creation (with the primary calendar), lookup, search and self-or-admin updates.
 * Any authenticated user may read and search users (to invite them); only an admin creates, deletes
 * others or changes roles. Emails in ADMIN_EMAILS become admins when created.
 */
export class UserService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: {
      adminEmails: readonly string[];
      cursors: CursorCodec;
      cache: Cache;
      /** Run in order, in the creating transaction (the `userCreated` hook of src/modules.ts). */
      onCreated?: readonly UserCreatedHook[];
      /** Run before a deletion (the `userDeleting` hook). */
      onDeleting?: readonly UserDeletingHook[];
      /** Run after a change or a deletion (the `userChanged` hook). */
      onChanged?: readonly UserChangedHook[];
    },
  ) {}

  /**
   * Creates a user, and what the other modules give every new user (the `userCreated` hooks: its
   * primary calendar, the default event rules), in one transaction.
   * @param actor - null for self-registration; otherwise must be an admin.
   * @throws AppError 403 when a non-admin creates users or sets a role, 409 when the email is taken.
   */
  async create(actor: Actor | null, input: NewUser): Promise<User> {
    if (actor && actor.role !== 'admin') throw new AppError('forbidden', 'only an admin creates users');
    if (input.role && actor?.role !== 'admin') throw new AppError('forbidden', 'only an admin sets roles');
    const user = new User(input.name, input.email);
    if (input.timeZone) user.timeZone = input.timeZone;
    if (input.signedUpAt) user.signedUpAt = input.signedUpAt;
    user.role = this.deps.adminEmails.includes(user.email) ? 'admin' : (input.role ?? 'user');
    if (input.password) user.passwordHash = await hashPassword(input.password);
    await this.em.transactional(async (em) => {
      if (await em.count(User, { email: user.email })) throw duplicateEmail(user.email);
      await em.persist(user).flush();
      for (const hook of this.deps.onCreated ?? []) await hook(em, user);
    }).catch(rethrowDuplicate(user.email));
    return user;
  }

  /** @throws AppError 404 */
  async get(id: string): Promise<User> {
    const user = await this.em.findOne(User, id);
    if (!user) throw AppError.notFound('user', id);
    return user;
  }

  /** The users among `ids` that exist (one statement; order not kept, unknown ids left out). */
  async findByIds(ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    return this.em.find(User, { id: { $in: [...new Set(ids)] } });
  }

  /**
   * Users whose name or email contains `search` (case-insensitive), ordered by creation.
   * @throws AppError 400 for a foreign cursor.
   */
  async list(query: { search?: string; limit: number; cursor?: string }): Promise<Page<User>> {
    const where: Record<string, unknown> = {};
    if (query.search) {
      const like = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.$or = [{ name: { $ilike: like } }, { email: { $ilike: like } }];
    }
    if (query.cursor) {
      const [at, id] = this.deps.cursors.decode('users', query.cursor);
      const after = new Date(Number(at));
      where.$and = [{ $or: [{ createdAt: { $gt: after } }, { createdAt: after, id: { $gt: String(id) } }] }];
    }
    const rows = await this.em.find(User, where, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: query.limit + 1 });
    return toPage(rows, query.limit, this.deps.cursors, 'users', (u) => [u.createdAt.getTime(), u.id]);
  }

  /**
   * Changes a user. A user changes itself; an admin anyone; only an admin changes `role`.
   * @throws AppError 404 (not visible), 403 (role change by non-admin), 409 (email taken).
   */
  async update(actor: Actor, id: string, patch: UserPatch): Promise<User> {
    if (!isSelfOrAdmin(actor, id)) throw AppError.notFound('user', id);
    if (patch.role !== undefined && actor.role !== 'admin') throw new AppError('forbidden', 'only an admin changes roles');
    const user = await this.get(id);
    if (patch.email !== undefined && patch.email.toLowerCase() !== user.email) {
      const email = patch.email.toLowerCase();
      if (await this.em.count(User, { email, id: { $ne: id } })) throw duplicateEmail(email);
      user.email = email;
    }
    if (patch.name !== undefined) user.name = patch.name;
    if (patch.timeZone !== undefined) user.timeZone = patch.timeZone;
    if (patch.signedUpAt !== undefined) user.signedUpAt = patch.signedUpAt;
    if (patch.role !== undefined) user.role = patch.role;
    if (patch.password !== undefined) user.passwordHash = await hashPassword(patch.password);
    await this.em.flush().catch(rethrowDuplicate(user.email));
    for (const hook of this.deps.onChanged ?? []) hook(user.id);
    await this.deps.cache.invalidate([UserTags.user(user.id)]);
    return user;
  }

  /**
   * Deletes a user with its calendars, their entries (including events it hosts) and its
   * participations (foreign keys cascade).
   * @throws AppError 404 when not visible to the actor.
   */
  async delete(actor: Actor, id: string): Promise<void> {
    if (!isSelfOrAdmin(actor, id)) throw AppError.notFound('user', id);
    const tags = [UserTags.user(id)];
    for (const hook of this.deps.onDeleting ?? []) tags.push(...(await hook(id)));
    const deleted = await this.em.nativeDelete(User, { id });
    if (deleted === 0) throw AppError.notFound('user', id);
    for (const hook of this.deps.onChanged ?? []) hook(id);
    await this.deps.cache.invalidate(tags);
  }

  /** For login: the user with its password hash, or null. */
  findForLogin(email: string): Promise<User | null> {
    return this.em.findOne(User, { email: email.toLowerCase() }, { populate: ['passwordHash'] });
  }
}

function duplicateEmail(email: string): AppError {
  return new AppError('conflict', `a user with email ${email} already exists`, { errors: [{ path: '/email', message: 'already registered' }] });
}

/** Two concurrent registrations of one email: the unique index decides, and the loser gets a 409. */
function rethrowDuplicate(email: string) {
  return (err: unknown): never => {
    if (err instanceof UniqueConstraintViolationException) throw duplicateEmail(email);
    throw err;
  };
}
