import type { EntityManager } from '@mikro-orm/postgresql';
import { type Cache, NoCache } from '../../infra/cache';
import { type CursorCodec, type Page, toPage } from '../../infra/cursor';
import { AppError } from '../../infra/errors';
import { type Actor, isSelfOrAdmin } from '../../infra/actor';
import { User } from '../users/user.entity';
import { UserEventRule } from './event-rule.entity';
import type { AnchorContext, AnchorWindow, EventTypeRegistry } from './event-types/event-type';
import {
  type Anchor,
  compareTriggered,
  nearestEvent,
  type RuleSpec,
  type TimeRange,
  type TriggeredEvent,
  triggeredEvents,
  type UserMilestones,
} from './nearest-event';
import { UserTags } from '../users/user-tags';
import { MilestoneTags } from './milestone-tags';

const DAY_MS = 86_400_000;

/**
 * How far after `after` the nearest event is searched, in days: first one year (anchors of windowed
 * types such as meetings are loaded for that span only), then, for users with nothing in it, ten
 * years. An event further than ten years away is not found.
 */
export const NEAREST_HORIZONS_DAYS = [366, 3660] as const;

/** Default length of the `[from, to)` of an upcoming-events query, in days. */
export const DEFAULT_UPCOMING_RANGE_DAYS = 366;

/**
 * Longest `[from, to)` of an upcoming-events query: 100 years (36,525 days). A page is computed in
 * steps from its start until it is full ({@link UPCOMING_STEP_DAYS}), so this bound only guards
 * against absurd input; it does not size the work of a page.
 */
export const MAX_UPCOMING_RANGE_DAYS = 36_525;

/**
 * First and longest step of the walk through an upcoming-events range, in days. Each step that
 * leaves the page short doubles the next one, so a sparse user crosses a century in ten steps or
 * so; the longest step (16 years) keeps the occurrences of a daily series in one step below the
 * expansion backstop (MAX_OCCURRENCES of events/domain/recurrence.ts).
 */
export const UPCOMING_STEP_DAYS = { first: 366, max: 5844 } as const;

/**
 * Anchors are loaded this much wider than strictly needed on each side: a calendar day in a time
 * zone is 23 to 25 hours, and local dates differ from UTC dates by up to 14 hours.
 */
const WINDOW_SLACK_DAYS = 2;

/** Earliest anchor a yearly rule looks at (every past anniversary counts). */
const BEGINNING = new Date('0001-01-01T00:00:00Z');

/** A page of upcoming events. */
export type TriggeredPage = Page<TriggeredEvent>;

/**
 * Loads users' rules and anchors and computes their nearest and upcoming events with the pure
 * functions of nearest-event.ts. Every method is batched: a fixed number of SQL statements whatever
 * the number of users (users, their linked rules, then one statement per event type used), plus the
 * same again for the users searched on the longer horizon.
 */
export class NearestEventService {
  constructor(
    private readonly em: EntityManager,
    private readonly eventTypes: EventTypeRegistry,
    private readonly cursors: CursorCodec,
    private readonly cache: Cache = new NoCache(),
    private readonly cacheTtlSeconds = 300,
  ) {}

  /**
   * The user's nearest event at or after `after` (inclusive).
   * @throws AppError 404 when the user is not the actor (nor the actor an admin), does not exist, or
   *   has no event within {@link NEAREST_HORIZONS_DAYS}.
   */
  async nearest(actor: Actor, userId: string, after: Date): Promise<TriggeredEvent> {
    assertVisible(actor, userId);
    const found = (await this.nearestForUsers([userId], after)).get(userId);
    if (found === undefined) throw AppError.notFound('user', userId);
    if (!found) throw AppError.notFound(`nearest event at or after ${after.toISOString()} of user`, userId);
    return found;
  }

  /**
   * Nearest events of many users (no authorisation: callers check it).
   * @returns by user id: the event, null when none, absent for users that do not exist.
   */
  async nearestForUsers(userIds: readonly string[], after: Date): Promise<Map<string, TriggeredEvent | null>> {
    const result = new Map<string, TriggeredEvent | null>();
    let pending = [...new Set(userIds)];
    for (const days of NEAREST_HORIZONS_DAYS) {
      if (pending.length === 0) break;
      const before = new Date(after.getTime() + days * DAY_MS);
      const loaded = await this.loadMilestones(pending, { from: after, to: before });
      const next: string[] = [];
      for (const id of pending) {
        const m = loaded.get(id);
        if (!m) continue;
        const event = m.rules.length ? nearestEvent(m, after, before) : null;
        if (event || m.rules.length === 0) result.set(id, event);
        else next.push(id);
      }
      pending = next;
    }
    for (const id of pending) result.set(id, null);
    return result;
  }

  /**
   * The user's events in `[from, to)` in stable order, a page at a time.
   * @param query.to - default `from` + {@link DEFAULT_UPCOMING_RANGE_DAYS} days; at most
   *   {@link MAX_UPCOMING_RANGE_DAYS} days after it.
   * @throws AppError 404 (user not visible or absent), 400 (`to` ≤ `from`, range too long, foreign cursor).
   */
  async upcoming(actor: Actor, userId: string, query: { from: Date; to?: Date; limit: number; cursor?: string }): Promise<TriggeredPage> {
    assertVisible(actor, userId);
    const range = upcomingRange(query.from, query.to);
    const scope = `upcoming:${userId}:${range.from.getTime()}:${range.to.getTime()}`;
    const cursorKey = query.cursor ? this.cursors.decode(scope, query.cursor) : undefined;
    const last = cursorKey && afterKey(userId, cursorKey);
    // Events after the cursor are at or after its date: the walk starts there.
    const start = last && last.date > range.from ? { from: last.date, to: range.to } : range;
    const found = (await this.walkUpcoming([userId], start, query.limit + 1, last && ((e) => compareTriggered(e, last) > 0))).get(userId);
    if (!found) throw AppError.notFound('user', userId);
    return toPage(found.slice(0, query.limit + 1), query.limit, this.cursors, scope, (e) => [e.date.getTime(), e.ruleName, e.ruleId, e.eventId ?? '']);
  }

  /**
   * The first `limit` events in `[from, to)` of many users (no authorisation: callers check it).
   * @throws AppError 400 (`to` ≤ `from`, range too long).
   * @returns by user id; absent for users that do not exist.
   */
  async upcomingForUsers(userIds: readonly string[], from: Date, to: Date | undefined, limit: number): Promise<Map<string, TriggeredEvent[]>> {
    const found = await this.walkUpcoming(userIds, upcomingRange(from, to), limit);
    return new Map([...found].map(([id, events]) => [id, events.slice(0, limit)]));
  }

  /**
   * The events of each user in `range`, in order, until it has `need` of them (those `keep` accepts):
   * `range` is walked in consecutive steps ({@link UPCOMING_STEP_DAYS}), each loading only the users
   * still short, so the work depends on the events returned, not on the range's length.
   * @returns by user id, at least `need` events unless the range has fewer; absent for users that do not exist.
   */
  private async walkUpcoming(userIds: readonly string[], range: TimeRange, need: number, keep?: (e: TriggeredEvent) => boolean): Promise<Map<string, TriggeredEvent[]>> {
    const found = new Map<string, TriggeredEvent[]>();
    let pending = [...new Set(userIds)];
    let from = range.from;
    let days: number = UPCOMING_STEP_DAYS.first;
    while (pending.length > 0) {
      const step = { from, to: new Date(Math.min(range.to.getTime(), from.getTime() + days * DAY_MS)) };
      const loaded = await this.loadMilestones(pending, step);
      const next: string[] = [];
      for (const id of pending) {
        const m = loaded.get(id);
        if (!m) continue;
        const events = found.get(id) ?? [];
        found.set(id, events);
        for (const e of triggeredEvents(m, step)) if (!keep || keep(e)) events.push(e);
        if (events.length < need && m.rules.length > 0) next.push(id);
      }
      if (step.to.getTime() >= range.to.getTime()) break;
      pending = next;
      from = step.to;
      days = Math.min(days * 2, UPCOMING_STEP_DAYS.max);
    }
    return found;
  }

  /**
   * Loads what the pure functions need to compute every event of these users in `range`: each user's
   * time zone, linked rules (of registered types; rules of a type no longer registered are ignored)
   * and the anchors that can trigger an event in `range` — for each type, one batched
   * `loadAnchors` over the window `[range.from − largest offset, range.to − smallest offset]` (plus
   * slack), or from the year 1 when a yearly rule uses the type.
   * @returns by user id; users that do not exist are absent.
   */
  async loadMilestones(userIds: readonly string[], range: TimeRange): Promise<Map<string, UserMilestones>> {
    const ids = [...new Set(userIds)];
    const tagsOf = (id: string) => this.eventTypes.cacheTagsOf(id);
    if (ids.length === 0 || tagsOf(ids[0]!) === null) return this.loadMilestonesUncached(ids, range);
    // A cached entry covers a range; a request inside it reuses it. Misses load a range reaching
    // CACHE_RANGE_SLACK_DAYS further, so the sliding "from now" requests of the next days hit.
    const wider = { from: range.from, to: new Date(range.to.getTime() + CACHE_RANGE_SLACK_DAYS * DAY_MS) };
    const entries = ids.map((id) => ({ key: `milestones:${id}`, tags: [UserTags.user(id), MilestoneTags.rules, ...tagsOf(id)!] }));
    const cached = await this.cache.cachedMany<CachedMilestones>(
      entries,
      this.cacheTtlSeconds,
      async (misses) => {
        const loaded = await this.loadMilestonesUncached(misses.map((i) => ids[i]!), wider);
        return misses.map((i) => {
          const m = loaded.get(ids[i]!);
          return { from: wider.from, to: wider.to, milestones: m ? { ...m, anchors: [...m.anchors] } : null };
        });
      },
      { accept: (c) => new Date(c.from) <= range.from && new Date(c.to) >= range.to },
    );
    const out = new Map<string, UserMilestones>();
    cached.forEach((c, i) => c.milestones && out.set(ids[i]!, { ...c.milestones, anchors: new Map(c.milestones.anchors) }));
    return out;
  }

  private async loadMilestonesUncached(userIds: readonly string[], range: TimeRange): Promise<Map<string, UserMilestones>> {
    if (userIds.length === 0) return new Map();
    const users = await this.em.find(User, { id: { $in: [...userIds] } });
    const links = users.length ? await this.em.find(UserEventRule, { user: { $in: users.map((u) => u.id) } }, { populate: ['rule'] }) : [];
    const rulesOf = new Map<string, RuleSpec[]>(users.map((u) => [u.id, []]));
    for (const link of links) {
      const rule = link.rule.getEntity();
      if (!this.eventTypes.has(rule.eventType)) continue;
      rulesOf.get(link.user.id)?.push({ id: rule.id, name: rule.name, eventType: rule.eventType, offsetDays: rule.offsetDays, repeat: rule.repeat });
    }

    const usersOfType = new Map<string, { userIds: Set<string>; rules: RuleSpec[] }>();
    for (const [userId, rules] of rulesOf) {
      for (const rule of rules) {
        const entry = usersOfType.get(rule.eventType) ?? { userIds: new Set<string>(), rules: [] };
        entry.userIds.add(userId);
        entry.rules.push(rule);
        usersOfType.set(rule.eventType, entry);
      }
    }
    const ctx: AnchorContext = { em: this.em, users: new Map(users.map((u) => [u.id, u])) };
    const anchorsByType = new Map<string, Map<string, Anchor[]>>();
    await Promise.all(
      [...usersOfType].map(async ([key, { userIds: ids, rules }]) => {
        anchorsByType.set(key, await this.eventTypes.get(key)!.loadAnchors(ctx, [...ids], anchorWindow(range, rules)));
      }),
    );

    return new Map(
      users.map((u) => {
        const anchors = new Map<string, Anchor[]>();
        for (const [key, byUser] of anchorsByType) anchors.set(key, byUser.get(u.id) ?? []);
        return [u.id, { userId: u.id, timeZone: u.timeZone, rules: rulesOf.get(u.id) ?? [], anchors }];
      }),
    );
  }
}

/** How much further than asked a cached load of milestones reaches (days). */
const CACHE_RANGE_SLACK_DAYS = 30;

/** Milestones as cached: the range they cover and the user's data (anchors as entries: JSON has no Map). */
interface CachedMilestones {
  from: Date;
  to: Date;
  milestones: (Omit<UserMilestones, 'anchors'> & { anchors: [string, readonly Anchor[]][] }) | null;
}

/** Anchors of `rules`' type that can trigger an event in `range` lie within this window. */
function anchorWindow(range: TimeRange, rules: readonly RuleSpec[]): AnchorWindow {
  const offsets = rules.map((r) => r.offsetDays);
  const maxOffset = Math.max(...offsets);
  const minOffset = Math.min(...offsets);
  const from = rules.some((r) => r.repeat === 'yearly') ? BEGINNING : new Date(range.from.getTime() - (maxOffset + WINDOW_SLACK_DAYS) * DAY_MS);
  return { from, to: new Date(range.to.getTime() + (WINDOW_SLACK_DAYS - minOffset) * DAY_MS) };
}

/** `[from, to)` of an upcoming-events query (`to` default from + 366 days). @throws AppError 400 (`/to`) */
function upcomingRange(from: Date, to: Date | undefined): TimeRange {
  const end = to ?? new Date(from.getTime() + DEFAULT_UPCOMING_RANGE_DAYS * DAY_MS);
  if (end.getTime() <= from.getTime()) throw AppError.invalid('/to', '`to` must be after `from`');
  if (end.getTime() - from.getTime() > MAX_UPCOMING_RANGE_DAYS * DAY_MS) throw AppError.invalid('/to', `[from, to) spans at most ${MAX_UPCOMING_RANGE_DAYS} days`);
  return { from, to: end };
}

/** The event a cursor `[date ms, ruleName, ruleId, eventId]` of an upcoming-events page resumes after. */
function afterKey(userId: string, [at, ruleName, ruleId, eventId]: (string | number)[]): TriggeredEvent {
  return { type: '', userId, date: new Date(Number(at)), ruleName: String(ruleName), ruleId: String(ruleId), ...(eventId ? { eventId: String(eventId) } : {}) };
}

/** Someone else's milestones read as 404. */
function assertVisible(actor: Actor, userId: string): void {
  if (!isSelfOrAdmin(actor, userId)) throw AppError.notFound('user', userId);
}
