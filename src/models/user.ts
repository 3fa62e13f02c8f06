import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../config/config';
import { NoCache } from '../infra/cache';
import { CursorCodec } from '../infra/cursor';
import { AppError } from '../infra/errors';
import { initOrm } from '../infra/orm';
import { ENTITIES } from '../modules';
import { assertUuid } from '../modules/events/domain/event-id';
import { type EventTypeDefinition, EventTypeRegistry } from '../modules/milestones/event-types/event-type';
import { DEFAULT_EVENT_TYPES } from '../modules/milestones/event-types/registry';
import { nearestEvent, type RuleSpec, type TriggeredEvent, triggeredEvents, type UserMilestones } from '../modules/milestones/nearest-event';
import { NearestEventService } from '../modules/milestones/nearest-event.service';
import { toUserView, UserService, type UserView } from '../modules/users/user.service';

/**
 * The library API of the seed: `const user = await getUserById(id); user.getNearestEvent()`.
 *
 * `getUserById` loads the user, its linked rules and every anchor those rules can use within
 * {@link LIBRARY_HORIZON_DAYS} days either side of the load time (every past anchor for yearly
 * rules), so the returned object answers synchronously, with no database access, for any `now` in
 * that window. The answer is the one REST and GraphQL give for the same instant whenever the nearest
 * event falls before `coveredUntil` (one year after loading); an event later than that is not seen
 * (REST searches up to ten years). Data changed after loading is not seen: load the user again.
 */

/** Days either side of the load time that a loaded user covers. */
export const LIBRARY_HORIZON_DAYS = 366;

const DAY_MS = 86_400_000;

/** A user loaded with what its nearest and upcoming events need. Times are UTC instants. */
export interface LoadedUser extends UserView {
  /** When it was loaded; the covered window is `[coveredFrom, coveredUntil)`. */
  readonly loadedAt: Date;
  readonly coveredFrom: Date;
  readonly coveredUntil: Date;
  /** Its linked rules (of registered event types). */
  readonly rules: readonly RuleSpec[];
  /**
   * The earliest event its rules trigger at or after `now` (inclusive) and before `coveredUntil`;
   * null when none. Synchronous: no I/O.
   * @param now - default: the current time.
   * @throws RangeError when `now` is outside `[coveredFrom, coveredUntil)`.
   */
  getNearestEvent(now?: Date): TriggeredEvent | null;
  /**
   * Events triggered in `[from, to)` (clipped to the covered window), in order, at most `limit`.
   * @throws RangeError when `from` is outside the covered window.
   */
  getUpcomingEvents(from: Date, to: Date, limit?: number): TriggeredEvent[];
}

/** What the models run on. */
export interface ModelsOptions {
  /** An initialised ORM whose schema is migrated (the embedding app's, or a test's). */
  orm: MikroORM;
  /** Default: the app's registry (src/modules/milestones/event-types/registry.ts). */
  eventTypes?: readonly EventTypeDefinition[];
}

interface ModelsState {
  orm: MikroORM;
  eventTypes: EventTypeRegistry;
  /** True when this module created the ORM (from DATABASE_URL) and so must close it. */
  owned: boolean;
}

// The one piece of module state: the ORM the models use, set by configureModels or lazily from env.
let state: Promise<ModelsState> | undefined;

/** Points the models at an ORM (call before getUserById; replaces any previous configuration). */
export function configureModels(options: ModelsOptions): void {
  state = Promise.resolve({ orm: options.orm, eventTypes: options.eventTypes ? new EventTypeRegistry(options.eventTypes) : DEFAULT_EVENT_TYPES, owned: false });
}

/** Closes the ORM the models opened themselves (from DATABASE_URL) and forgets the configuration. */
export async function closeModels(): Promise<void> {
  const current = state;
  state = undefined;
  const s = await current?.catch(() => undefined);
  if (s?.owned) await s.orm.close(true);
}

function models(): Promise<ModelsState> {
  state ??= (async () => {
    const url = loadConfig().databaseUrl;
    if (!url) throw new Error('src/models needs DATABASE_URL, or configureModels({ orm }) first');
    return { orm: await initOrm(url, { entities: ENTITIES, migrate: false }), eventTypes: DEFAULT_EVENT_TYPES, owned: true };
  })();
  state.catch(() => (state = undefined));
  return state;
}

/**
 * Loads a user with its rules and anchors (a fixed number of SQL statements).
 * @param id - the user's UUID.
 * @throws AppError 400 for a malformed id, 404 when no such user; Error when no database is configured.
 */
export async function getUserById(id: string): Promise<LoadedUser> {
  assertUuid(id, '/id');
  const { orm, eventTypes } = await models();
  const em = orm.em.fork();
  const loadedAt = new Date();
  const coveredFrom = new Date(loadedAt.getTime() - LIBRARY_HORIZON_DAYS * DAY_MS);
  const coveredUntil = new Date(loadedAt.getTime() + LIBRARY_HORIZON_DAYS * DAY_MS);
  const user = await new UserService(em, { adminEmails: [], cursors: new CursorCodec('models'), cache: new NoCache() }).get(id);
  const milestones = (await new NearestEventService(em, eventTypes, new CursorCodec('models')).loadMilestones([id], { from: coveredFrom, to: coveredUntil })).get(id);
  if (!milestones) throw AppError.notFound('user', id);
  return loadedUser(toUserView(user), milestones, loadedAt, coveredFrom, coveredUntil);
}

function loadedUser(view: UserView, m: UserMilestones, loadedAt: Date, coveredFrom: Date, coveredUntil: Date): LoadedUser {
  const assertCovered = (at: Date, what: string) => {
    if (at < coveredFrom || at >= coveredUntil) {
      throw new RangeError(`${what} ${at.toISOString()} is outside the loaded window [${coveredFrom.toISOString()}, ${coveredUntil.toISOString()}): load the user again`);
    }
  };
  return Object.freeze({
    ...view,
    loadedAt,
    coveredFrom,
    coveredUntil,
    rules: m.rules,
    getNearestEvent(now: Date = new Date()): TriggeredEvent | null {
      assertCovered(now, 'now');
      return nearestEvent(m, now, coveredUntil);
    },
    getUpcomingEvents(from: Date, to: Date, limit = 50): TriggeredEvent[] {
      assertCovered(from, 'from');
      return triggeredEvents(m, { from, to: to < coveredUntil ? to : coveredUntil }).slice(0, limit);
    },
  });
}
