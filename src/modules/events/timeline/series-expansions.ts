import { LRUCache } from 'lru-cache';
import type { Occurrence } from '../domain/recurrence';
import { occurrencesOf, type Window } from '../domain/timeline';
import type { EventRecord } from '../event.entity';

/** Most occurrences kept by {@link SeriesExpansions} (about 150 bytes each: some 8 MB at most). */
export const MAX_REMEMBERED_OCCURRENCES = 50_000;

/**
 * Remembers the occurrences of series (RFC 5545 expansion by rrule-temporal) per process, keyed by
 * everything the expansion depends on: the series' timing (first start, duration, zone, all-day, rule,
 * RDATE and EXDATE lists), the window and the limit. A series that changed is another key, so nothing
 * is ever invalidated; the least recently used expansions go first.
 *
 * Why: expanding the series of a calendar was a fifth of the CPU of a listing with 50 series in the
 * profile of `npm run bench` (plus the garbage of the Temporal objects), and a write to a calendar
 * makes its cached pages stale while its series, mostly, did not change: the next read expands them
 * again. Callers must not change the arrays or the Dates they are given.
 */
export class SeriesExpansions {
  private readonly remembered = new LRUCache<string, readonly Occurrence[]>({
    maxSize: MAX_REMEMBERED_OCCURRENCES,
    sizeCalculation: (occurrences) => Math.max(1, occurrences.length),
  });

  /** As {@link occurrencesOf}: the occurrences of `series` intersecting `window`, the first `limit` of them. */
  readonly expand = (series: EventRecord, window: Window, limit?: number): readonly Occurrence[] => {
    const key = JSON.stringify([
      series.start.getTime(), series.end.getTime(), series.timeZone, series.allDay, series.recurrence, series.rdates, series.exdates,
      window.from.getTime(), window.to.getTime(), limit ?? null,
    ]);
    let occurrences = this.remembered.get(key);
    if (!occurrences) this.remembered.set(key, (occurrences = occurrencesOf(series, window, limit)));
    return occurrences;
  };
}
