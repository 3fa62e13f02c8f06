import type { EventRecord } from '../event.entity';
import { compareItems, mergeTimeline, occurrencesOf, type TimelineItem, type TimelineRows, type Window } from './timeline';

/**
 * Pure part of incremental sync: from the current rows of the entries that changed and what those
 * entries were before, the items a client must be sent so that its copy of a window equals a full
 * read of it (Google Calendar's `syncToken` semantics).
 */

/** An item a client may hold that no longer exists in the window: deleted, cancelled, moved out or away. */
export interface CancelledItem {
  /** The id it was listed with: an entry UUID or `<seriesId>_<YYYYMMDDTHHMMSSZ>`. */
  id: string;
  seriesId: string | null;
  originalStart: Date | null;
  /** Where it was (UTC): its place in the sort order of the sync page. */
  start: Date;
}

/**
 * The timing of one stored row of an entry as a change record keeps it (ISO 8601 UTC strings): as
 * much as it takes to know which items it listed.
 */
export interface PastRow {
  id: string;
  start: string;
  end: string;
  timeZone: string;
  /** An all-day entry (floating dates); absent in records written before they existed. */
  allDay?: boolean;
  /** The stored recurrence of a series (RecurrenceRecord), else null. */
  recurrence: unknown;
  exdates: string[];
  /** Of a series: its extra occurrences (RFC 5545 RDATE); absent in records written before they existed. */
  rdates?: string[];
  /** Of an override: its series and the start it had there. */
  seriesId: string | null;
  originalStart: string | null;
}

/**
 * Rows (singles, series, overrides) as {@link mergeTimeline} takes them for `window`, with the series
 * a listing of it loads: those whose span `[start, seriesEnd)` intersects it (timeline.repository.ts),
 * so a sync shows what a full read shows.
 */
export function rowsOf<R extends EventRecord>(records: readonly R[], window: Window): TimelineRows<R> {
  return {
    singles: records.filter((r) => !r.recurrence && !r.series),
    series: records.filter((r) => !!r.recurrence && !r.series && r.start < window.to && (!r.seriesEnd || r.seriesEnd > window.from)),
    overrides: records.filter((r) => !!r.series),
  };
}

/** A past row as a record: only what expansion reads is real (no title, calendar or host). */
export function pastRecord(r: PastRow): EventRecord {
  return {
    id: r.id,
    start: new Date(r.start),
    end: new Date(r.end),
    timeZone: r.timeZone,
    allDay: r.allDay ?? false,
    recurrence: (r.recurrence ?? null) as EventRecord['recurrence'],
    exdates: r.exdates,
    rdates: r.rdates ?? [],
    series: r.seriesId ? { id: r.seriesId } : null,
    originalStart: r.originalStart ? new Date(r.originalStart) : null,
  } as EventRecord;
}

/** A position in the sort order of a listing (start, then id). */
export interface SortKey {
  start: Date;
  id: string;
}

/**
 * What to send for changed entries in `window`, after `after` (a page's cursor): every current item
 * of theirs (changed or not; a client replaces what it holds), and a tombstone for each item that one
 * of their past states listed and the current state does not have in the window (an occurrence
 * cancelled, moved by a split or cut off; an entry deleted or moved out of the window). Past states a
 * client never saw only add tombstones of items it does not hold, which it ignores.
 *
 * Sorted by start then id; the first `limit` after `after` are exact (series are expanded from the
 * cursor and only as far as a page needs, as listings do, so the work does not grow with the window).
 * @param current - the current rows of the changed entries (top-level rows and overrides).
 * @param past - their past states, each one entry's rows at one time.
 */
export function syncItems<R extends EventRecord>(
  current: readonly R[],
  past: readonly (readonly PastRow[])[],
  window: Window,
  page: { after?: SortKey; limit: number },
): { items: TimelineItem<R>[]; cancelled: CancelledItem[] } {
  const from = page.after && page.after.start > window.from ? page.after.start : window.from;
  const narrowed = { from, to: window.to };
  const now = rowsOf(current, window);
  const pastRecords = past.map((state) => state.map(pastRecord));
  // Overrides may move items ahead of others, so each list is expanded that much further.
  const limit = page.limit + 2 + current.length + pastRecords.reduce((n, s) => n + s.length, 0);
  const items = mergeTimeline(now, narrowed, { limit });
  const listed = new Set(items.map((i) => i.id));
  const cancelled = new Map<string, CancelledItem>();
  for (const state of pastRecords) {
    for (const old of mergeTimeline(rowsOf(state, window), narrowed, { limit })) {
      if (listed.has(old.id) || cancelled.has(old.id) || existsIn(now, old, window)) continue;
      cancelled.set(old.id, { id: old.id, seriesId: old.series?.id ?? null, originalStart: old.originalStart ?? null, start: old.start });
    }
  }
  const after = page.after;
  const keep = (k: SortKey) => !after || compareItems(k, after) > 0;
  return { items: items.filter(keep), cancelled: [...cancelled.values()].filter(keep) };
}

/** True when the item `old` listed is still in `window` under `rows` (wherever it is now). */
function existsIn<R extends EventRecord>(rows: TimelineRows<R>, old: TimelineItem, window: Window): boolean {
  const inWindow = (start: Date, end: Date) => start < window.to && end > window.from;
  if (!old.series) return rows.singles.some((r) => r.id === old.id && inWindow(r.start, r.end));
  const series = rows.series.find((r) => r.id === old.series!.id);
  if (!series) return false;
  const at = old.originalStart!.getTime();
  if (series.exdates.includes(old.originalStart!.toISOString())) return false;
  const override = rows.overrides.find((o) => o.series!.id === series.id && o.originalStart!.getTime() === at);
  if (override) return inWindow(override.start, override.end);
  return occurrencesOf(series, { from: old.originalStart!, to: new Date(at + 1) }).some((o) => o.originalStart.getTime() === at && inWindow(o.start, o.end));
}
