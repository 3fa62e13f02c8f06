import type { Actor } from '../../infra/actor';

/** Default 5 s (AUTH_CACHE_TTL_MS): how long a process trusts what it read of a caller (its existence and role). */
export const ACTOR_TTL_MS = 5_000;

/**
 * The callers this process authenticated recently, by user id: their {@link Actor} (id and role), so
 * that a request does not read its user row (it did on every request, cache hits and 304s included).
 *
 * Revocation: a deletion or a role change evicts the user at once in the process that makes it (the
 * users module's hooks, see auth.module.ts); other replicas notice within `ttlMs`. A token is still
 * checked on every request (signature, expiry); only the user row is remembered. Concurrent requests
 * of one caller share one read; a read that started before an eviction is not kept.
 */
export class ActorCache {
  private readonly entries = new Map<string, { actor: Actor; expires: number }>();
  private readonly loading = new Map<string, Promise<Actor | null>>();
  /** Bumped by every eviction: a load that saw another value may have read a stale row. */
  private evictions = 0;

  constructor(
    private readonly ttlMs = ACTOR_TTL_MS,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The actor of `userId`, from memory while fresh, else from `load` (null: no such user; not kept). */
  async get(userId: string, load: () => Promise<Actor | null>): Promise<Actor | null> {
    const hit = this.entries.get(userId);
    if (hit && hit.expires > this.now()) return hit.actor;
    const pending = this.loading.get(userId);
    if (pending) return pending;
    const seen = this.evictions;
    const loaded = load().finally(() => this.loading.delete(userId));
    this.loading.set(userId, loaded);
    const actor = await loaded;
    if (actor && seen === this.evictions) {
      this.entries.delete(userId);
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(userId, { actor, expires: this.now() + this.ttlMs });
    }
    return actor;
  }

  /** Forgets `userId` (deleted, or its role changed): its next request reads the row again. */
  evict(userId: string): void {
    this.evictions++;
    this.entries.delete(userId);
    this.loading.delete(userId);
  }
}
