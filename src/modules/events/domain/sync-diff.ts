import type { EventRecord } from '../event.entity';
import { mergeTimeline, type TimelineItem, type TimelineRows, type Window } from './timeline';

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

/** The timing of a stored row as a change record keeps it (ISO 8601 UTC strings). */
export interface PastRow {
  id: string;
  start: string;
  end: string;
  timeZone: string;
  recurrence: unknown;
  exdates: string[];
  seriesId: string | null;
  originalStart: string | null;
}

/** Rows (singles, series, overrides) as {@link mergeTimeline} takes them. */
export function rowsOf<R extends EventRecord>(records: readonly R[]): TimelineRows<R> {
  return {
    singles: records.filter((r) => !r.recurrence && !r.series),
    series: records.filter((r) => !!r.recurrence && !r.series),
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
    recurrence: (r.recurrence ?? null) as EventRecord['recurrence'],
    exdates: r.exdates,
    series: r.seriesId ? { id: r.seriesId } : null,
    originalStart: r.originalStart ? new Date(r.originalStart) : null,
  } as EventRecord;
}

/**
 * What to send for changed entries in `window`: every current item of theirs (changed or not; a
 * client replaces what it holds), and a tombstone for each item that one of their past states listed
 * and the current state does not (an occurrence cancelled, moved by a split, or cut off; an entry
 * deleted or moved out of the window). Past states a client never saw only add tombstones of items
 * it does not hold, which it ignores.
 * @param current - the current rows of the changed entries (top-level rows and overrides).
 * @param past - their past states, each one entry's rows at one time.
 */
export function syncItems<R extends EventRecord>(current: readonly R[], past: readonly (readonly PastRow[])[], window: Window): { items: TimelineItem<R>[]; cancelled: CancelledItem[] } {
  const items = mergeTimeline(rowsOf(current), window);
  const now = new Set(items.map((i) => i.id));
  const cancelled = new Map<string, CancelledItem>();
  for (const state of past) {
    for (const old of mergeTimeline(rowsOf(state.map(pastRecord)), window)) {
      if (now.has(old.id) || cancelled.has(old.id)) continue;
      cancelled.set(old.id, { id: old.id, seriesId: old.series?.id ?? null, originalStart: old.originalStart ?? null, start: old.start });
    }
  }
  return { items, cancelled: [...cancelled.values()] };
}
