import type { EntityManager } from '@mikro-orm/postgresql';
import type { User } from '../../users/user.entity';
import type { Anchor } from '../nearest-event';

/** What an event type may read to find anchors: the request's EntityManager and the users, already loaded. */
export interface AnchorContext {
  em: EntityManager;
  /** The users asked for, by id (at least every id passed to `loadAnchors`). */
  users: ReadonlyMap<string, User>;
}

/** Instants (UTC) between which anchors are wanted, both inclusive. */
export interface AnchorWindow {
  from: Date;
  to: Date;
}

/**
 * One kind of dated anchor of a user (`inscription`, `meeting`, …). A definition is one small file in
 * this folder, listed in registry.ts; nothing else changes to add a type.
 */
export interface EventTypeDefinition {
  /** Stable identifier stored in rules: lower snake case, 1 to 64 characters, e.g. `subscription_end`. */
  readonly key: string;
  /** Short human name, e.g. "End of the subscription offer". */
  readonly label: string;
  readonly description: string;
  /**
   * The anchors of many users at once: it must issue a bounded number of SQL statements whatever
   * the number of users (one `… where user_id in (…)`, never one per user). It must return every
   * anchor whose date is within `window`; it may return more (extra anchors are real, so they only
   * add real events), which is how types with few anchors per user ignore the window.
   * @returns anchors by user id; a user without anchors may be absent or map to `[]`.
   */
  loadAnchors(ctx: AnchorContext, userIds: readonly string[], window: AnchorWindow): Promise<Map<string, Anchor[]>>;
  /**
   * Optional: the cache tags (e.g. `UserTags` of src/modules/users/user-tags.ts) whose invalidation means this user's
   * anchors of this type may have changed. Without it, nearest and upcoming events are computed
   * without the cache (correct, only slower) while the type is registered.
   */
  cacheTags?(userId: string): string[];
}

const KEY_RE = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * The event types an app knows, by key. Immutable; built once per app from a list (registry.ts holds
 * the default one; tests and embedding apps may pass another).
 * @throws Error when a key is malformed or listed twice (a programming error, at boot).
 */
export class EventTypeRegistry {
  private readonly byKey: ReadonlyMap<string, EventTypeDefinition>;

  constructor(definitions: readonly EventTypeDefinition[]) {
    const byKey = new Map<string, EventTypeDefinition>();
    for (const def of definitions) {
      if (!KEY_RE.test(def.key)) throw new Error(`event type key ${JSON.stringify(def.key)} must match ${KEY_RE}`);
      if (byKey.has(def.key)) throw new Error(`event type ${def.key} is registered twice`);
      byKey.set(def.key, def);
    }
    this.byKey = byKey;
  }

  /** The definition of `key`, or undefined for a key no longer (or never) registered. */
  get(key: string): EventTypeDefinition | undefined {
    return this.byKey.get(key);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /**
   * The tags under which a user's anchors of every registered type may be cached, or null when a
   * type does not declare its tags (then nothing is cached).
   */
  cacheTagsOf(userId: string): string[] | null {
    const tags = new Set<string>();
    for (const def of this.byKey.values()) {
      if (!def.cacheTags) return null;
      for (const tag of def.cacheTags(userId)) tags.add(tag);
    }
    return [...tags];
  }

  /** Every type, in registration order. */
  list(): EventTypeDefinition[] {
    return [...this.byKey.values()];
  }
}
