import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../../infra/actor';
import { type Cache, NoCache } from '../../../infra/cache';
import { type CursorCodec, type Page, toPage } from '../../../infra/cursor';
import { AppError } from '../../../infra/errors';
import { EventTags } from '../event-tags';
import { type EventView, toItemView } from '../event.views';
import type { ParticipantsDepth } from '../participants/participant.repository';
import type { ParticipantView } from '../participants/participant.views';
import { compareItems, mergeTimeline, type TimelineItem, type Window } from '../domain/timeline';
import { type AlsoSelected, loadCalendarRows } from './calendar-rows';
import { SeriesExpansions } from './series-expansions';
import { type EventRoleFilter, loadUserRows, type UserSlice } from './timeline.repository';

/** Filter of {@link TimelineService.list}. Without from/to there is no date bound. */
export interface EventQuery {
  /** Default: the actor. Another user needs an admin actor. */
  userId?: string;
  role: EventRoleFilter;
  from?: Date;
  to?: Date;
  calendarId?: string;
  limit: number;
  cursor?: string;
  /** Embed each event's participants (`participants`), or also each participant's user (`users`). */
  includeParticipants: boolean | ParticipantsDepth;
}

/** A UTC window `[from, to)`; at most {@link MAX_RANGE_DAYS} days long. */
export type Range = Window;

/**
 * Longest window a range listing accepts: 146,097 days, one 400-year Gregorian cycle. The work of a
 * page depends on its `limit`, not on the window (series are expanded only as far as the page
 * needs, from the cursor on), so this bound is only a guard against absurd input, not a cost limit.
 */
export const MAX_RANGE_DAYS = 146_097;

const DAY_MS = 86_400_000;

const UNCACHED = new NoCache();

/** Expansions of series, shared by every request of the process (content-addressed: never stale). */
const EXPANSIONS = new SeriesExpansions();

/**
 * Listings over a time range: the entries and occurrences of a calendar, and a user's events, with
 * series expanded (RFC 5545) into occurrences, keyset pages and read-through caching. Rows come from
 * timeline.repository.ts (SQL), the merge from timeline.ts (pure).
 *
 * Cached pages are tagged (src/modules/events/event-tags.ts) with the calendar they list, or the
 * user whose events they list; every write of the module invalidates those tags before it answers.
 */
export class TimelineService {
  constructor(
    private readonly em: EntityManager,
    private readonly cursors: CursorCodec,
    private readonly cache: Cache,
    private readonly cacheTtlSeconds: number,
  ) {}

  /**
   * Entries and occurrences of an owned calendar that intersect `[from, to)`, sorted by start then id,
   * in ONE statement (ownership, the singles of the page, the series, their overrides, and the `also`
   * columns, e.g. the calendar's sync point, as of the same snapshot). Not cached here: the REST
   * listing caches the response it makes of it (SyncService.listInCalendar).
   * @returns the page, and a row carrying the `also` columns under their names (empty without `also`).
   * @throws AppError 404 (calendar not the actor's), 400 (bad range or cursor).
   */
  async listInCalendar(actor: Actor, calendarId: string, range: Range, page: { limit: number; cursor?: string }, also?: AlsoSelected): Promise<Page<EventView> & { also: Record<string, unknown> }> {
    assertRange(range);
    const key = `entries:${calendarId}`;
    const after = page.cursor ? this.cursors.decode(key, page.cursor) : undefined;
    // Items after the cursor start at or after its start: nothing before it is read or expanded.
    const window = fromCursor(range, after);
    // The first limit+1 items after the cursor are among the first limit+1 singles after it and the
    // occurrences of the series, so the singles are cut there too.
    const loaded = await loadCalendarRows(this.em, calendarId, actor.userId, window, { after, limit: page.limit + 1 }, also);
    if (!loaded) throw AppError.notFound('calendar', calendarId);
    const items = mergeTimeline(loaded.rows, window, { limit: page.limit + 1, expand: EXPANSIONS.expand });
    const { items: shown, nextCursor } = this.pageOfItems(key, items, after, page.limit);
    return { items: shown.map((i) => toItemView(i)), nextCursor, cursorOf: this.cursorOfView(key), also: loaded.also };
  }

  /**
   * Events of a user, sorted by start then id: those it hosts, is invited to (and does not host), or
   * either; optionally in one calendar. With `from`/`to`, series are expanded into the occurrences
   * intersecting `[from, to)`; without, a series is listed once, as its series record. A fixed number
   * of statements whatever the page size.
   * @throws AppError 403 when another user's events are asked for by a non-admin, 400 for a bad range
   *   or cursor.
   */
  async list(actor: Actor, q: EventQuery, opts: { mark?: (userId: string) => Promise<string> } = {}): Promise<Page<EventView> & { mark?: string }> {
    const [page] = await this.listForUsers(actor, [q.userId ?? actor.userId], q, opts.mark);
    if (page instanceof AppError) throw page;
    return page!;
  }

  /**
   * {@link list} for several users at once (GraphQL `User.events` over a list of users): the same
   * query for each user, in the statement count of one listing whatever the number of users.
   * @returns per user, in order, its page or the AppError {@link list} would throw for it alone (403
   *   for another user's events unless admin; 400 for a cursor not issued for that user's list).
   * @throws AppError 400 for a bad range (the same for every user).
   */
  async listForUsers(actor: Actor, userIds: readonly string[], q: Omit<EventQuery, 'userId'>, mark?: (userId: string) => Promise<string>): Promise<((Page<EventView> & { mark?: string }) | AppError)[]> {
    const range = queryRange(q);
    const keyOf = (userId: string) => `events:${userId}:${q.role}`;
    const slices: (UserSlice | AppError)[] = userIds.map((userId) => {
      if (userId !== actor.userId && actor.role !== 'admin') return new AppError('forbidden', "only an admin lists another user's events");
      try {
        return { userId, after: q.cursor ? this.cursors.decode(keyOf(userId), q.cursor) : undefined };
      } catch (err) {
        if (err instanceof AppError) return err;
        throw err;
      }
    });
    const allowed = slices.filter((s): s is UserSlice => !(s instanceof AppError));
    const args = JSON.stringify([q.from?.getTime(), q.to?.getTime(), q.calendarId, q.limit, q.cursor, q.includeParticipants]);
    // Pages with participants' users are not cached: a user's new name invalidates no event tag.
    const cache = q.includeParticipants === 'users' ? UNCACHED : this.cache;
    // With `mark` (a sync point per user), it is taken before the page is read and cached with it,
    // so a page served from the cache never claims to be newer than it is.
    const cached = await cache.cachedMany(
      allowed.map((s) => ({ key: `${keyOf(s.userId)}:${args}${mark ? ':marked' : ''}`, tags: [EventTags.eventsOf(s.userId)] })),
      this.cacheTtlSeconds,
      async (misses) => {
        const users = misses.map((i) => allowed[i]!);
        const marks: (string | undefined)[] = [];
        for (const u of users) marks.push(mark && (await mark(u.userId)));
        const pages = await this.loadUserPages(users, { ...q, range }, keyOf);
        return pages.map((p, i) => (marks[i] ? { ...p, mark: marks[i] } : p));
      },
    );
    const pageOf = new Map(allowed.map((s, i) => [s.userId, cached[i]!]));
    return slices.map((s) => (s instanceof AppError ? s : { ...pageOf.get(s.userId)!, cursorOf: this.cursorOfView(keyOf(s.userId)) }));
  }

  /** The pages of {@link listForUsers}, uncached: the statements of one listing for all users. */
  private async loadUserPages(users: UserSlice[], q: Omit<EventQuery, 'userId'> & { range?: Range }, keyOf: (userId: string) => string): Promise<{ items: EventView[]; nextCursor: string | null }[]> {
    // As in listInCalendar, the first limit+1 items are among the first limit+1 singles of each user.
    // Participants (and their users) are aggregated by the same statements: nothing more is read.
    const participants = new Map<string, ParticipantView[]>();
    const depth = q.includeParticipants === true ? 'participants' : q.includeParticipants || undefined;
    const rows = await loadUserRows(this.em, users, { role: q.role, calendarId: q.calendarId, window: q.range, limit: q.limit + 1, participants: depth && { depth, into: participants } });
    const pages = users.map((u) => {
      const own = rows.get(u.userId)!;
      const items = q.range ? mergeTimeline(own, fromCursor(q.range, u.after), { limit: q.limit + 1, expand: EXPANSIONS.expand }) : own.singles.map((e) => ({ id: e.id, start: e.start, end: e.end, row: e }));
      return this.pageOfItems(keyOf(u.userId), items, u.after, q.limit);
    });
    // An occurrence shows its series' participants.
    const participantsOf = (i: TimelineItem) => participants.get((i.series ?? i.row).id) ?? [];
    return pages.map(({ items, nextCursor }) => ({ items: items.map((i) => (depth ? { ...toItemView(i), participants: participantsOf(i) } : toItemView(i))), nextCursor }));
  }

  /** Relay edge cursors of a listing's views: the keyset position (start, id) in list `key`. */
  private cursorOfView(key: string): (view: EventView) => string {
    return (v) => this.cursors.encode(key, [v.start.getTime(), v.id]);
  }

  /** The first `limit` of `items` (sorted by start, id) after the keyset position `after` of list `key`. */
  private pageOfItems(key: string, items: TimelineItem[], after: (string | number)[] | undefined, limit: number): Page<TimelineItem> {
    const cut = after && { start: new Date(Number(after[0])), id: String(after[1]) };
    const rest = cut ? items.filter((i) => compareItems(i, cut) > 0) : items;
    return toPage(rest, limit, this.cursors, key, (i) => [i.start.getTime(), i.id]);
  }
}

/**
 * The part of `range` where the items after the keyset position `after` (`[start ms, id]`) can be:
 * an item after it starts at or after its start, so it intersects `range` only if it intersects this.
 */
function fromCursor(range: Range, after: (string | number)[] | undefined): Range {
  const at = after && new Date(Number(after[0]));
  return at && at > range.from ? { from: at, to: range.to } : range;
}

/** @throws AppError 400 unless `from < to` and the window is at most MAX_RANGE_DAYS long. */
export function assertRange(range: Range): void {
  if (range.from.getTime() >= range.to.getTime()) throw AppError.invalid('/end', 'the range end must be after its start');
  if (range.to.getTime() - range.from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw AppError.invalid('/end', `a range may span at most ${MAX_RANGE_DAYS} days (400 years)`);
  }
}

/** The range of an event query: both bounds or neither. @throws AppError 400 */
function queryRange(q: { from?: Date; to?: Date }): Range | undefined {
  if (!q.from && !q.to) return undefined;
  if (!q.from || !q.to) throw AppError.invalid(q.from ? '/to' : '/from', 'give both from and to, or neither');
  const range = { from: q.from, to: q.to };
  assertRange(range);
  return range;
}
