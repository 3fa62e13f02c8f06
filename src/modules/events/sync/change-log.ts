import type { Dictionary, EntityManager } from '@mikro-orm/postgresql';
import type { EventChange } from '../changes/event-changes';
import type { EntrySnapshot, SnapshotRow } from './entry-change.entity';

/**
 * The change record of entries (table `entry_changes`, see entry-change.entity.ts): written by the
 * `eventChanges` hook inside each writer's transaction, read by incremental sync.
 *
 * Sync points. A sync point is a transaction id `t` with this guarantee: every record that was not
 * visible when `t` was taken has `txid >= t`. So "the changes since t" are the records with
 * `txid >= t`, and none is skipped, whatever order concurrent writers commit in. It is
 * `min(xmin, last + 1)`: `xmin` (`pg_snapshot_xmin(pg_current_snapshot())`) is the oldest transaction
 * still running (in the whole cluster), and a transaction that starts later gets a larger id; `last`
 * is the newest record of the calendar, so a quiet calendar keeps its point (and its CTag). When
 * `xmin` is the smaller, the point also lists the records of the calendar it already saw, so they are
 * not sent again; past {@link MAX_SEEN} of them they are, which is harmless: items are idempotent
 * (current state or tombstone). Writers are not serialised for this (they already are per calendar,
 * by its row lock, for the overlap check).
 *
 * Retention: tokens are refused after {@link SYNC_RETENTION_DAYS} days; records are pruned after
 * {@link PRUNE_AFTER_DAYS} (one day of margin): a deleted entry's record, and each record superseded
 * by a newer one of the same entry that is also that old. The newest old record of an entry stays:
 * it tells a later sync what a client may have held before the entry's next change.
 */

/** How long a sync token stays valid, in days (then 410 Gone: read in full again). */
export const SYNC_RETENTION_DAYS = 30;
/** Records older than this (days) are pruned as described above. */
export const PRUNE_AFTER_DAYS = SYNC_RETENTION_DAYS + 2;
const DAY_MS = 86_400_000;

/** A record read back: the entry, its transaction id and what it was after the change (null: deleted). */
export interface ChangeRow {
  entryId: string;
  calendarId: string;
  txid: bigint;
  state: EntrySnapshot | null;
}

/** Runs `sql` with `?` bindings on `em`'s transaction when it has one. */
async function run(em: EntityManager, sql: string, bindings: unknown[] = []): Promise<Dictionary[]> {
  return em.getConnection().execute<Dictionary[]>(sql, bindings, 'all', em.getTransactionContext());
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * Records `changes` inside the writer's transaction (after its flush): one row per top-level entry
 * they touch, with its current timing (`state`) and the users it concerns, then prunes what the
 * retention allows for those entries.
 */
export async function recordChanges(em: EntityManager, changes: readonly EventChange[]): Promise<void> {
  const touched = new Map<string, { calendarId?: string; affected: Set<string> }>();
  for (const c of changes) {
    const id = c.type === 'entry' ? (c.seriesId ?? c.entryId) : c.eventId;
    const t = touched.get(id) ?? { affected: new Set<string>() };
    if (c.type === 'entry') t.calendarId = c.calendarId;
    else t.affected.add(c.userId); // a removed participant still learns that the event went away
    touched.set(id, t);
  }
  const ids = [...touched.keys()];
  const rows = await run(em, `select id, calendar_id, start_at, end_at, time_zone, all_day, recurrence, exdates, rdates, series_id, original_start from events where id in (${marks(ids.length)}) or series_id in (${marks(ids.length)})`, [...ids, ...ids]);
  const people = await run(em, `select event_id, user_id from participants where event_id in (${marks(ids.length)})`, ids);
  const deleted = ids.filter((id) => !rows.some((r) => r.id === id));
  const before = deleted.length ? await run(em, `select distinct on (entry_id) entry_id, user_ids from entry_changes where entry_id in (${marks(deleted.length)}) order by entry_id, txid desc`, deleted) : [];
  const values: unknown[] = [];
  for (const id of ids) {
    const own = rows.filter((r) => r.id === id || r.series_id === id);
    const top = own.find((r) => r.id === id);
    const calendarId = (top?.calendar_id as string | undefined) ?? touched.get(id)!.calendarId;
    if (!calendarId) continue; // an invitation of an entry that no longer exists: its deletion was recorded
    const users = new Set([...touched.get(id)!.affected, ...people.filter((p) => p.event_id === id).map((p) => p.user_id as string)]);
    for (const u of (before.find((b) => b.entry_id === id)?.user_ids as string[] | undefined) ?? []) users.add(u);
    const state: EntrySnapshot | null = top ? { rows: own.map(toSnapshotRow) } : null;
    values.push(calendarId, id, state && JSON.stringify(state), JSON.stringify([...users]));
  }
  if (values.length === 0) return;
  await run(em, `insert into entry_changes (calendar_id, entry_id, state, user_ids) values ${Array.from({ length: values.length / 4 }, () => '(?, ?, ?::jsonb, ?::jsonb)').join(', ')}`, values);
  const cutoff = new Date(Date.now() - PRUNE_AFTER_DAYS * DAY_MS);
  await run(em, `delete from entry_changes c where c.entry_id in (${marks(ids.length)}) and c.recorded_at < ? and exists (select 1 from entry_changes n where n.entry_id = c.entry_id and n.recorded_at < ? and n.txid > c.txid)`, [...ids, cutoff, cutoff]);
  const calendars = [...new Set(values.filter((_, i) => i % 4 === 0))];
  await run(em, `delete from entry_changes where calendar_id in (${marks(calendars.length)}) and state is null and recorded_at < ?`, [...calendars, cutoff]);
}

function toSnapshotRow(r: Dictionary): SnapshotRow {
  const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
  return {
    id: r.id as string,
    start: iso(r.start_at)!,
    end: iso(r.end_at)!,
    timeZone: r.time_zone as string,
    allDay: r.all_day === true,
    recurrence: r.recurrence ?? null,
    exdates: (r.exdates as string[] | null) ?? [],
    rdates: (r.rdates as string[] | null) ?? [],
    seriesId: (r.series_id as string | null) ?? null,
    originalStart: iso(r.original_start),
  };
}

/** Whose changes a sync reads: a calendar's entries, or the entries that concern a user (`userIds`). */
export type ChangeScope = { calendarId: string } | { userId: string };

/** The SQL condition on `entry_changes` of a scope, with its binding. */
function scopeSql(scope: ChangeScope): [string, unknown] {
  return 'calendarId' in scope ? ['calendar_id = ?', scope.calendarId] : ['user_ids @> ?::jsonb', JSON.stringify([scope.userId])];
}

/** Most transaction ids a sync point lists as already seen; beyond, they are simply sent again. */
const MAX_SEEN = 16;

/**
 * A sync point: transaction id `from`, and the ids at or after it whose records of the calendar were
 * already visible when it was taken (`seen`, so they are not sent again while an older transaction
 * anywhere in the cluster holds `xmin` back). Written `from` or `from:seen1,seen2`.
 */
export interface SyncPoint {
  from: bigint;
  seen: bigint[];
}

/** A point as tokens carry it: `from`, or `from:seen1,seen2` (decimal transaction ids). */
export function formatPoint(p: SyncPoint): string {
  return p.seen.length ? `${p.from}:${p.seen.join(',')}` : String(p.from);
}

/**
 * The point {@link formatPoint} wrote.
 * @throws SyntaxError on a malformed point (callers decode it from a signed token, so only on a bug).
 */
export function parsePoint(text: string): SyncPoint {
  const [from, seen] = text.split(':');
  return { from: BigInt(from!), seen: seen ? seen.split(',').map((s) => BigInt(s)) : [] };
}

/**
 * The columns a statement selects to take the sync point of a scope: the snapshot's `xmin`, the
 * scope's last transaction id and those at or after `xmin` already visible (`where` is the scope's
 * condition on `entry_changes`, with its bindings).
 */
function syncPointColumns(where: string): string {
  return `pg_snapshot_xmin(pg_current_snapshot())::text as sync_xmin, (select max(txid) from entry_changes where ${where})::text as sync_last,
    (select string_agg(q.txid::text, ',') from (select distinct txid from entry_changes where ${where}
      and txid >= pg_snapshot_xmin(pg_current_snapshot())::text::bigint limit ${MAX_SEEN + 1}) q) as sync_seen`;
}

/**
 * The columns of a calendar's sync point for a statement whose parameter `$1` is the calendar id
 * (see TimelineService.listInCalendar's `also`): the point is then exactly as of the statement's own
 * snapshot, and costs no round trip of its own. {@link syncPointOf} reads them.
 */
export const CALENDAR_SYNC_POINT_COLUMNS = { name: 'sync-point', columns: syncPointColumns('calendar_id = $1') };

/** The sync point in the columns of {@link CALENDAR_SYNC_POINT_COLUMNS} (or of {@link syncPoint}'s statement). */
export function syncPointOf(row: Record<string, unknown>): string {
  const xmin = BigInt(row.sync_xmin as string);
  const next = row.sync_last ? BigInt(row.sync_last as string) + 1n : 1n;
  if (next <= xmin) return formatPoint({ from: next, seen: [] });
  const seen = row.sync_seen ? (row.sync_seen as string).split(',').map((s) => BigInt(s)) : [];
  return formatPoint({ from: xmin, seen: seen.length > MAX_SEEN ? [] : seen.sort((a, b) => (a < b ? -1 : 1)) });
}

/**
 * The sync point of a scope (a calendar, or a user's entries) now (see above): take it before reading what the client is sent.
 * `min(xmin, last + 1)`, and, when `xmin` is the smaller, the records of the scope already visible
 * from `xmin` on (at most {@link MAX_SEEN}).
 */
export async function syncPoint(em: EntityManager, scope: ChangeScope): Promise<string> {
  const [where, value] = scopeSql(scope);
  const [row] = await run(em, `select ${syncPointColumns(where)}`, [value, value]);
  return syncPointOf(row!);
}

/** The earlier of two sync points (of pages read one after the other). */
export function earlierPoint(a: string, b: string): string {
  const [pa, pb] = [parsePoint(a), parsePoint(b)];
  if (pa.from !== pb.from) return pa.from < pb.from ? a : b;
  return formatPoint({ from: pa.from, seen: pa.seen.filter((t) => pb.seen.includes(t)) });
}

/**
 * The records of a scope since sync point `since` that it had not seen, plus, for each entry they
 * name, its newest record visible at the point (what a client synced at `since` holds), oldest first.
 */
export async function changesSince(em: EntityManager, scope: ChangeScope, since: string): Promise<Map<string, ChangeRow[]>> {
  const point = parsePoint(since);
  const from = String(point.from);
  const [where, value] = scopeSql(scope);
  const recent = await run(em, `select entry_id, calendar_id, txid::text as txid, state from entry_changes where ${where} and txid >= ? order by txid`, [value, from]);
  const unseen = recent.filter((r) => !point.seen.includes(BigInt(r.txid as string)));
  const ids = [...new Set(unseen.map((r) => r.entry_id as string))];
  const earlier = ids.length ? await run(em, `select distinct on (entry_id) entry_id, calendar_id, txid::text as txid, state from entry_changes where entry_id in (${marks(ids.length)}) and txid < ? order by entry_id, txid desc`, [...ids, from]) : [];
  const row = (r: Dictionary): ChangeRow => ({ entryId: r.entry_id as string, calendarId: r.calendar_id as string, txid: BigInt(r.txid as string), state: (r.state as EntrySnapshot | null) ?? null });
  const byEntry = new Map<string, ChangeRow[]>(ids.map((id) => [id, []]));
  // What the client holds of an entry is its newest record visible at the point: the newest before
  // `from` or a seen one (older ones would only add tombstones it already had).
  const held = new Map<string, ChangeRow>();
  for (const r of [...earlier, ...recent.filter((x) => !unseen.includes(x))].map(row)) {
    if (byEntry.has(r.entryId) && (held.get(r.entryId)?.txid ?? -1n) < r.txid) held.set(r.entryId, r);
  }
  for (const r of held.values()) byEntry.get(r.entryId)!.push(r);
  for (const r of unseen.map(row)) byEntry.get(r.entryId)!.push(r);
  return byEntry;
}

/** Today's number (days since 1970-01-01 UTC): tokens carry it for their expiry. */
export function dayNumber(now = Date.now()): number {
  return Math.floor(now / DAY_MS);
}

/** True when a token issued on day `day` is past the retention. */
export function expired(day: number, now = Date.now()): boolean {
  return dayNumber(now) - day > SYNC_RETENTION_DAYS;
}
