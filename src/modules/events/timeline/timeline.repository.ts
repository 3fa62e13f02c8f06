import type { Dictionary, EntityManager } from '@mikro-orm/postgresql';
import { nextTurn } from '../../../infra/loop-turns';
import { MAX_ALL_DAY_MS, MAX_ENTRY_MS } from '../domain/event-time';
import { Event, type EventRecord } from '../event.entity';
import type { TimelineRows, Window } from '../domain/timeline';
import { type ParticipantsDepth, participantsJsonSql, participantViewsOfJson } from '../participants/participant.repository';
import type { ParticipantView } from '../participants/participant.views';

/** Filter on the rows a timeline starts from: a calendar, a host, a participant… (MikroORM FilterQuery). */
export type TimelineScope = Record<string, unknown>;

/**
 * Filter of rows intersecting `window`. Timed entries last at most {@link MAX_ENTRY_MS}, so
 * `start_at > from - MAX_ENTRY_MS` bounds the index scan on (…, start_at) from below; all-day entries
 * may span up to {@link MAX_ALL_DAY_MS} and are reached by a second branch (partial index
 * `events_all_day_idx`), so that the timed bound stays tight. The SQL statements below use the same
 * bound through {@link startBound}.
 */
function intersecting(window: Window): Record<string, unknown> {
  const bounded = (reachMs: number) => ({ start: { $lt: window.to, $gt: new Date(window.from.getTime() - reachMs) }, end: { $gt: window.from } });
  return { $or: [bounded(MAX_ENTRY_MS), { allDay: true, ...bounded(MAX_ALL_DAY_MS) }] };
}

/**
 * The lowest starts (exclusive, UTC) of rows that can reach into a window from `from`: a timed row
 * ({@link MAX_ENTRY_MS} back) and an all-day one ({@link MAX_ALL_DAY_MS} back). Every listing
 * statement bounds its index scans with these (here and in calendar-rows.ts).
 */
export function lowestStarts(from: Date): [timed: Date, allDay: Date] {
  return [new Date(from.getTime() - MAX_ENTRY_MS), new Date(from.getTime() - MAX_ALL_DAY_MS)];
}

/**
 * SQL lower bound of `column` (start_at or original_start of `e`) for rows reaching into a window
 * from `from` ({@link lowestStarts}); with its two bindings.
 */
function startBound(column: string, from: Date): { sql: string; params: Date[] } {
  return { sql: `(e.${column} > ? or (e.all_day and e.${column} > ?))`, params: lowestStarts(from) };
}

/** Keyset condition "after (start, id)" on SQL rows (UUID ids) for a listing cursor `[start ms, id]`. */
export function afterKey([at, id]: (string | number)[]): Record<string, unknown>[] {
  const after = new Date(Number(at));
  // An occurrence id sorts right after its series' UUID, and a series row is never a single: comparing
  // with the UUID part keeps the order exact.
  return [{ start: { $gt: after } }, { start: after, id: { $gt: String(id).slice(0, 36) } }];
}

/**
 * Loads what {@link mergeTimeline} needs for `window`, in at most three statements whatever the
 * number of rows: singles intersecting the window (optionally only the first `page.limit` after a
 * cursor), series whose span `[start, seriesEnd)` intersects it (index `events_series_idx`), and the
 * overrides of those series that were or now are in it. Rows are plain records (read-only).
 */
export async function loadTimelineRows(em: EntityManager, scope: TimelineScope, window: Window, page?: { after?: (string | number)[]; limit: number }): Promise<TimelineRows> {
  const singleWhere: Record<string, unknown> = { ...scope, recurrence: null, series: null, ...intersecting(window) };
  if (page?.after) singleWhere.$and = [{ $or: afterKey(page.after) }];
  const singles = await findRecords(em, singleWhere, page?.limit);
  const series = await findRecords(em, { ...scope, recurrence: { $ne: null }, series: null, start: { $lt: window.to }, $or: [{ seriesEnd: null }, { seriesEnd: { $gt: window.from } }] });
  const overrides = await loadOverrides(em, series.map((s) => s.id), window);
  return { singles, series, overrides };
}

/** Overrides of `seriesIds` whose original start or own time falls in or near `window`; none without series. */
async function loadOverrides(em: EntityManager, seriesIds: string[], window: Window): Promise<EventRecord[]> {
  if (seriesIds.length === 0) return [];
  return findRecords(em, {
    series: { $in: seriesIds },
    $or: [
      { originalStart: { $lt: window.to, $gt: new Date(window.from.getTime() - MAX_ENTRY_MS) } },
      { allDay: true, originalStart: { $lt: window.to, $gt: new Date(window.from.getTime() - MAX_ALL_DAY_MS) } },
      intersecting(window),
    ],
  });
}

/**
 * Event rows matching `where` as plain records, sorted by (start, id), at most `limit`. No entities
 * are created: hydrating a month view's ~200 entities cost more than its query (profile of
 * bench/entries-range.ts). A condition on participants may join several rows of one event; each
 * event comes once.
 */
async function findRecords(em: EntityManager, where: Record<string, unknown>, limit?: number): Promise<EventRecord[]> {
  const qb = em.createQueryBuilder(Event, 'e').select('*').where(where).orderBy({ start: 'asc', id: 'asc' });
  if (limit !== undefined) qb.limit(limit);
  const rows = await qb.execute<Dictionary[]>('all', true);
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.id) && seen.add(r.id)).map(toRecord);
}

/** A row mapped to property names (foreign keys as ids) as an {@link EventRecord}. */
function toRecord(row: Dictionary): EventRecord {
  return { ...row, calendar: { id: row.calendar }, host: { id: row.host }, series: row.series ? { id: row.series } : null } as EventRecord;
}

/** Which of a user's events a per-user listing reads: those it hosts, is invited to (not hosting), or both. */
export type EventRoleFilter = 'host' | 'participant' | 'any';

/** One user of a batched listing, with the keyset position `[start ms, id]` its page resumes after. */
export interface UserSlice {
  userId: string;
  after?: (string | number)[];
}

/**
 * Which events of a user a batched listing reads; with `participants`, each row's participants are
 * aggregated in the same statement (to `depth`) and put `into` the map, by event id.
 */
export interface UserRowsQuery {
  role: EventRoleFilter;
  calendarId?: string;
  /** Leave out the events the user declined (RFC 5545 PARTSTAT=DECLINED); with role `any` or `participant`. */
  attending?: boolean;
  /** With a window: read only series and overrides (the caller reads the singles otherwise, e.g. {@link loadAttendedSingleTimes}). */
  withoutSingles?: boolean;
  participants?: { depth: ParticipantsDepth; into: Map<string, ParticipantView[]> };
}

/** A SQL condition on `e` (the events table) with its `?` bindings. */
interface Condition {
  sql: string;
  params: unknown[];
}

/** `u(user_id, after_start, after_id)`: the users of a batched read with their keyset positions. */
function usersCte(users: readonly UserSlice[]): Condition {
  return {
    sql: `u(user_id, after_start, after_id) as (values ${users.map(() => '(?::uuid, ?::timestamptz, ?::uuid)').join(', ')})`,
    // An occurrence id sorts right after its series' UUID: the keyset compares with the UUID part.
    params: users.flatMap((u) => (u.after ? [u.userId, new Date(Number(u.after[0])), String(u.after[1]).slice(0, 36)] : [u.userId, null, null])),
  };
}

/**
 * Per user of `u` ({@link usersCte}), its events (by `role`, optionally in one calendar) matching
 * `where`, tagged `kind`; with `limit`, only the first `limit` after the user's own `after`. A
 * LATERAL subquery per user (PostgreSQL), so each user gets its own limit and keyset and uses the
 * (host_id, start_at) or participants (user_id, event_id) index. With `q.participants`, each row has
 * `participants_json`.
 */
function userPart(q: UserRowsQuery, where: Condition, kind: number, limit?: number): Condition {
  const source = q.role === 'host'
    ? 'from events e where e.host_id = u.user_id'
    : `from participants p join events e on e.id = p.event_id where p.user_id = u.user_id${q.role === 'participant' ? ' and not p.is_host' : ''}${q.attending ? " and p.response <> 'declined'" : ''}`;
  const paged = limit !== undefined;
  const participants = q.participants ? `, ${participantsJsonSql(q.participants.depth)} as participants_json` : '';
  return {
    sql: `select u.user_id as for_user, ${kind} as kind, e.*
    from u cross join lateral (
      select e.*${participants} ${source}
        and ${where.sql}${q.calendarId ? ' and e.calendar_id = ?' : ''}
        ${paged ? 'and (u.after_start is null or (e.start_at, e.id) > (u.after_start, u.after_id))' : ''}
      order by e.start_at, e.id${paged ? ' limit ?' : ''}
    ) e`,
    params: [...where.params, ...(q.calendarId ? [q.calendarId] : []), ...(paged ? [limit] : [])],
  };
}

/**
 * Runs `sql` and sorts its rows (`for_user`, `kind`, the events columns, `participants_json`) out by
 * kind and user, in the caller's turn of the event loop (`nextTurn`, infra/loop-turns.ts).
 */
async function runUserRows(em: EntityManager, q: UserRowsQuery, sql: string, params: unknown[]): Promise<{ kind: number; userId: string | null; record: EventRecord }[]> {
  const rows = await em.getConnection().execute<Record<string, unknown>[]>(sql, params);
  await nextTurn(); // the rows become a page of events, participants and users
  const meta = em.getMetadata().get(Event);
  return rows.map(({ for_user: userId, kind, participants_json: json, ...row }) => {
    const record = toRecord(em.getDriver().mapResult(row, meta)!);
    if (q.participants && json !== undefined && json !== null) q.participants.into.set(record.id, participantViewsOfJson(json));
    return { kind: Number(kind), userId: userId === null ? null : String(userId), record };
  });
}

/**
 * The events of each user, in ONE statement whatever the number of users (participants and their
 * users aggregated in it when `q.participants` asks).
 *
 * - With `window`: what {@link mergeTimeline} needs per user, as {@link loadTimelineRows} loads it for
 *   one scope: singles intersecting the window (the first `limit` after the user's `after`, or all
 *   without `limit`; none with `withoutSingles`), the series whose span intersects it, and their
 *   overrides (shared by all users).
 * - Without: the user's top-level rows (singles and series records, never overrides), the first
 *   `limit` after its `after`, in `singles`.
 */
export async function loadUserRows(em: EntityManager, users: readonly UserSlice[], q: UserRowsQuery & { window?: Window; limit?: number }): Promise<Map<string, TimelineRows>> {
  const out = new Map<string, TimelineRows>(users.map((u) => [u.userId, { singles: [], series: [], overrides: [] }]));
  if (users.length === 0) return out;
  const u = usersCte(users);
  const { window } = q;
  let sql: string;
  let params: unknown[];
  if (!window) {
    const part = userPart(q, { sql: 'e.series_id is null', params: [] }, 1, q.limit);
    [sql, params] = [`with ${u.sql} ${part.sql} order by for_user, start_at, id`, [...u.params, ...part.params]];
  } else {
    const [starts, originals] = [startBound('start_at', window.from), startBound('original_start', window.from)];
    const singles = q.withoutSingles ? undefined : userPart(q, {
      sql: `e.recurrence is null and e.series_id is null and e.start_at < ? and ${starts.sql} and e.end_at > ?`,
      params: [window.to, ...starts.params, window.from],
    }, 1, q.limit);
    const series = userPart(q, {
      sql: 'e.recurrence is not null and e.series_id is null and e.start_at < ? and (e.series_end is null or e.series_end > ?)',
      params: [window.to, window.from],
    }, 2);
    sql = `with ${u.sql}, series as (${series.sql})${singles ? `, singles as (${singles.sql})` : ''},
      overrides as (
        select null::uuid as for_user, 3 as kind, e.*${q.participants ? ', null::json as participants_json' : ''} from events e
        where e.series_id in (select id from series)
          and ((e.original_start < ? and ${originals.sql}) or (e.start_at < ? and ${starts.sql} and e.end_at > ?)))
      ${singles ? 'select * from singles union all ' : ''}select * from series union all select * from overrides
      order by kind, for_user, start_at, id`;
    params = [...u.params, ...series.params, ...(singles?.params ?? []), window.to, ...originals.params, window.to, ...starts.params, window.from];
  }
  const overrides: EventRecord[] = [];
  for (const { kind, userId, record } of await runUserRows(em, q, sql, params)) {
    if (kind === 3) overrides.push(record);
    else out.get(userId!)![kind === 1 ? 'singles' : 'series'].push(record);
  }
  for (const rows of out.values()) rows.overrides = overrides;
  return out;
}

/** The time of one single entry and what says whether it is busy; nothing else is read. */
export interface SingleTime {
  start: Date;
  end: Date;
  status: EventRecord['status'];
  transparency: EventRecord['transparency'];
}

/**
 * Per user of `userIds`, the times of the single entries (neither series nor overrides) it hosts or
 * attends and has not declined that intersect `window`. Free/busy reads tens of thousands of them, so
 * only four columns are read and no record is built. One statement (participants index
 * `participants_user_idx`, then the events primary key).
 */
export async function loadAttendedSingleTimes(em: EntityManager, userIds: readonly string[], window: Window): Promise<Map<string, SingleTime[]>> {
  const out = new Map<string, SingleTime[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  const rows = await em.getConnection().execute<{ user_id: string; start_at: Date; end_at: Date; status: SingleTime['status']; transparency: SingleTime['transparency'] }[]>(
    `select p.user_id, e.start_at, e.end_at, e.status, e.transparency
      from participants p join events e on e.id = p.event_id
      where p.user_id in (${userIds.map(() => '?').join(', ')}) and p.response <> 'declined'
        and e.recurrence is null and e.series_id is null and e.start_at < ? and ${startBound('start_at', window.from).sql} and e.end_at > ?`,
    [...userIds, window.to, ...startBound('start_at', window.from).params, window.from],
  );
  for (const r of rows) out.get(r.user_id)?.push({ start: new Date(r.start_at), end: new Date(r.end_at), status: r.status, transparency: r.transparency });
  return out;
}
