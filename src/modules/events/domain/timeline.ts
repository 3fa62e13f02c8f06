import { occurrenceId } from './event-id';
import { expandOccurrences, type Occurrence } from './recurrence';
import { toRecurrence } from './recurrence-record';
import type { EventRecord } from '../event.entity';

/**
 * Pure merging of stored rows into what a window shows: single entries, and the occurrences of
 * series with their overrides applied and their exception dates removed (RFC 5545 RRULE, EXDATE,
 * RECURRENCE-ID). No database access: the caller loads the rows.
 */

/** `[from, to)`, UTC. */
export interface Window {
  from: Date;
  to: Date;
}

/**
 * One entry of a window. `row` holds the fields to show (the single, the override, or the series):
 * an `Event` entity where the caller edits it, a plain record in listings.
 */
export interface TimelineItem<R extends EventRecord = EventRecord> {
  /** The entry id: the row's UUID, or `<seriesId>_<YYYYMMDDTHHMMSSZ>` for an occurrence. */
  id: string;
  start: Date;
  end: Date;
  row: R;
  /** Set for an occurrence of a series. */
  series?: R;
  originalStart?: Date;
}

/** Rows from the database: singles and overrides intersecting the window, and candidate series. */
export interface TimelineRows<R extends EventRecord = EventRecord> {
  singles: R[];
  series: R[];
  /** Overrides of `series` whose original start or own time falls in or near the window. */
  overrides: R[];
}

/**
 * The occurrences of a stored series intersecting `window` (exception dates removed, overrides not
 * applied), sorted by start; with `limit`, only the earliest `limit` of them (the expansion stops there).
 */
export function occurrencesOf(series: EventRecord, window: Window, limit?: number): Occurrence[] {
  return expandOccurrences(
    {
      start: series.start,
      durationMs: series.end.getTime() - series.start.getTime(),
      timeZone: series.timeZone,
      allDay: series.allDay,
      recurrence: toRecurrence(series.recurrence!),
      rdates: (series.rdates ?? []).map((d) => new Date(d)),
      exdates: series.exdates.map((d) => new Date(d)),
    },
    window,
    limit === undefined ? {} : { limit },
  );
}

const intersects = (start: Date, end: Date, w: Window) => start < w.to && end > w.from;

/**
 * Everything of `rows` that intersects `window`, sorted by start then id: singles as they are; each
 * series expanded, an occurrence replaced by its override when there is one (even when the override
 * moved it out of the window, in which case it is not shown) and overrides shown where they now are.
 *
 * With `opts.limit`, the caller keeps only the first `limit` items that start at or after
 * `window.from` (a page: the caller narrows `window.from` to its cursor's start), so each series is
 * expanded only up to its earliest `limit + overrides + 2` occurrences: the overridden ones are not
 * shown in their place, and two more may be dropped by the caller (one still running at
 * `window.from`, one starting exactly at the cursor). The work then depends on `limit`, not on the
 * window's length (an endless daily series over a century costs what one page shows); the first
 * `limit` items at or after `window.from` are exact, later ones may be missing.
 *
 * `opts.expand` replaces {@link occurrencesOf} (same contract), e.g. by one that remembers expansions.
 */
export function mergeTimeline<R extends EventRecord>(rows: TimelineRows<R>, window: Window, opts: { limit?: number; expand?: (series: R, window: Window, limit?: number) => readonly Occurrence[] } = {}): TimelineItem<R>[] {
  const expand = opts.expand ?? occurrencesOf;
  const items: TimelineItem<R>[] = rows.singles.filter((e) => intersects(e.start, e.end, window)).map((e) => ({ id: e.id, start: e.start, end: e.end, row: e }));
  const overridesBySeries = new Map<string, Map<number, R>>();
  for (const o of rows.overrides) {
    const bySeries = overridesBySeries.get(o.series!.id) ?? new Map<number, R>();
    bySeries.set(o.originalStart!.getTime(), o);
    overridesBySeries.set(o.series!.id, bySeries);
  }
  for (const series of rows.series) {
    const overrides = overridesBySeries.get(series.id) ?? new Map<number, R>();
    const expansionLimit = opts.limit === undefined ? undefined : opts.limit + overrides.size + 2;
    for (const occ of expand(series, window, expansionLimit)) {
      if (overrides.has(occ.originalStart.getTime())) continue; // shown below, where it now is
      items.push({ id: occurrenceId(series.id, occ.originalStart), start: occ.start, end: occ.end, row: series, series, originalStart: occ.originalStart });
    }
    const exdates = new Set(series.exdates);
    for (const o of overrides.values()) {
      if (exdates.has(o.originalStart!.toISOString()) || !intersects(o.start, o.end, window)) continue;
      items.push({ id: occurrenceId(series.id, o.originalStart!), start: o.start, end: o.end, row: o, series, originalStart: o.originalStart! });
    }
  }
  return items.sort(compareItems);
}

/** Sort order of every listing: start, then id (string order). */
export function compareItems(a: { start: Date; id: string }, b: { start: Date; id: string }): number {
  return a.start.getTime() - b.start.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
