import { createHmac, randomBytes, randomInt } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../infra/actor';
import { AppError } from '../../infra/errors';
import { hashPassword, verifyPassword } from '../users/passwords';
import { User } from '../users/user.entity';
import { AppPassword } from './app-password.entity';

/** An app password as listed (never with its secret). Times are UTC. */
export interface AppPasswordView {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** A new app password: the only time `password` is ever shown. */
export type NewAppPasswordView = Omit<AppPasswordView, 'lastUsedAt'> & { password: string };

/** At most this many app passwords per user (one per device is the idea). */
export const MAX_APP_PASSWORDS = 50;

/** 31 letters and digits without look-alikes (no 0/o, 1/l/i): 16 of them carry 79 bits. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 4;
const GROUP_LENGTH = 4;

/** `xxxx-xxxx-xxxx-xxxx`; dashes and spaces are ignored and case folded when it is checked. */
function generatePassword(): string {
  return Array.from({ length: GROUPS }, () => Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')).join('-');
}

function normalise(password: string): string {
  return password.replace(/[\s-]/g, '').toLowerCase();
}

/**
 * Successful checks, remembered for a while so that a syncing client (dozens of requests a minute)
 * costs one argon2 verification, not one per request. Keyed by an HMAC of email and password under a
 * key that lives only in this process; a hit still reads the app password row, so deleting it (or the
 * user) takes effect at the next request.
 */
export class VerifiedCredentials {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, { appPasswordId: string; expires: number }>();

  constructor(private readonly ttlMs = 10 * 60_000, private readonly maxEntries = 10_000) {}

  keyOf(email: string, password: string): string {
    return createHmac('sha256', this.key).update(`${email.toLowerCase()}\0${normalise(password)}`).digest('base64url');
  }

  get(key: string): string | undefined {
    const hit = this.entries.get(key);
    if (!hit || hit.expires < Date.now()) return undefined;
    return hit.appPasswordId;
  }

  set(key: string, appPasswordId: string): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { appPasswordId, expires: Date.now() + this.ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/** Creating, listing and revoking a user's app passwords, and checking HTTP Basic credentials against them. */
export class AppPasswordService {
  constructor(
    private readonly em: EntityManager,
    private readonly verified: VerifiedCredentials,
  ) {}

  /** @throws AppError 409 when the user has {@link MAX_APP_PASSWORDS} already. */
  async create(actor: Actor, name: string): Promise<NewAppPasswordView> {
    if ((await this.em.count(AppPassword, { user: actor.userId })) >= MAX_APP_PASSWORDS) {
      throw new AppError('conflict', `a user may have at most ${MAX_APP_PASSWORDS} app passwords; delete one first`);
    }
    const password = generatePassword();
    const plain = normalise(password);
    const row = new AppPassword({ user: this.em.getReference(User, actor.userId, { wrapped: true }), name, lookup: plain.slice(0, GROUP_LENGTH), hash: await hashPassword(plain) });
    await this.em.persistAndFlush(row);
    return { id: row.id, name: row.name, password, createdAt: row.createdAt };
  }

  /** The caller's app passwords, oldest first. */
  async list(actor: Actor): Promise<AppPasswordView[]> {
    const rows = await this.em.find(AppPassword, { user: actor.userId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return rows.map(toAppPasswordView);
  }

  /** Revokes one; clients using it get 401 from their next request. @throws AppError 404 unless it is the caller's. */
  async delete(actor: Actor, id: string): Promise<void> {
    const deleted = await this.em.nativeDelete(AppPassword, { id, user: actor.userId });
    if (deleted === 0) throw AppError.notFound('app password', id);
  }

  /**
   * Checks an email and app password (HTTP Basic, RFC 7617) and returns the caller. Timing does not
   * reveal whether the email exists (a decoy hash is verified then).
   * @throws AppError 401 with one message for every failure.
   */
  async authenticate(email: string, password: string): Promise<Actor> {
    const fail = () => new AppError('unauthenticated', 'invalid email or app password');
    const cacheKey = this.verified.keyOf(email, password);
    const known = this.verified.get(cacheKey);
    if (known) {
      const row = await this.em.findOne(AppPassword, { id: known }, { populate: ['user'] });
      if (row && row.user.getEntity().email === email.toLowerCase()) return this.used(row);
      this.verified.delete(cacheKey);
      throw fail();
    }
    const plain = normalise(password);
    const candidates = plain.length >= GROUP_LENGTH && email.length <= 320
      ? await this.em.find(AppPassword, { lookup: plain.slice(0, GROUP_LENGTH), user: { email: email.toLowerCase() } }, { populate: ['user'], limit: 5 })
      : [];
    for (const row of candidates.length ? candidates : [null]) {
      if (await verifyPassword(row?.hash, plain)) {
        this.verified.set(cacheKey, row!.id);
        return this.used(row!);
      }
    }
    throw fail();
  }

  private async used(row: AppPassword): Promise<Actor> {
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
      await this.em.nativeUpdate(AppPassword, { id: row.id }, { lastUsedAt: new Date() });
    }
    const user = row.user.getEntity();
    return { userId: user.id, role: user.role };
  }
}

export function toAppPasswordView(row: AppPassword): AppPasswordView {
  return { id: row.id, name: row.name, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt ?? null };
}
