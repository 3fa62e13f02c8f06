import { isBusy } from '../domain/event-status';
import { type Interval, overlaps } from '../domain/event-time';
import type { EventRecord } from '../event.entity';
import { occurrencesOf, type Window } from '../domain/timeline';

/**
 * Pure rules of the overlap check: which intervals an entry occupies, and which existing items clash
 * with them. Intervals are half-open and UTC (`[start, end)`: back-to-back entries do not overlap).
 */

/**
 * How far ahead a series is checked for overlaps, from its first start: an endless series (or a
 * longer one) is checked for its first 366 days only.
 */
export const OVERLAP_HORIZON_DAYS = 366;

/** How many overlapping entries a 409 lists at most. */
export const MAX_CONFLICTS = 20;

const DAY_MS = 86_400_000;

/**
 * The intervals an entry occupies, sorted: itself, or a series' occurrences up to the overlap horizon;
 * none when it is not busy (cancelled or transparent, see `isBusy`), so that it never conflicts.
 */
export function candidateIntervals(event: EventRecord): Interval[] {
  if (!isBusy(event)) return [];
  if (!event.recurrence) return [event];
  const horizon = new Date(event.start.getTime() + OVERLAP_HORIZON_DAYS * DAY_MS);
  const to = event.seriesEnd && event.seriesEnd < horizon ? event.seriesEnd : horizon;
  return occurrencesOf(event, { from: event.start, to });
}

/** The window that holds every interval of `candidates` (sorted, not empty): first start to last end. */
export function spanOf(candidates: readonly Interval[]): Window {
  return { from: candidates[0]!.start, to: new Date(Math.max(...candidates.map((c) => c.end.getTime()))) };
}

/**
 * The first `max` of `items` (in their order) that overlap one of `candidates`. Items that are not
 * busy (their row, an occurrence's override or series, is cancelled or transparent) never clash.
 */
export function clashesOf<T extends Interval & { row?: EventRecord }>(items: readonly T[], candidates: readonly Interval[], max = MAX_CONFLICTS): T[] {
  const clashes: T[] = [];
  for (const item of items) {
    if (clashes.length === max) break;
    if (item.row && !isBusy(item.row)) continue;
    if (candidates.some((c) => overlaps(c, item))) clashes.push(item);
  }
  return clashes;
}
