import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../../infra/errors';
import type { Interval } from '../domain/event-time';
import { mergeTimeline } from '../domain/timeline';
import { loadTimelineRows } from '../timeline/timeline.repository';
import { clashesOf, spanOf } from './overlap';

/**
 * When a calendar is busy: the overlap check of writes (rules in overlap.ts). Free/busy queries and
 * meeting suggestions belong here too.
 */
export class AvailabilityService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Checks `candidates` (sorted intervals, see `candidateIntervals`) against the singles and
   * occurrences of the calendar, ignoring the items and series whose ids are in `exclude`. Writers
   * call it in their transaction, after locking the calendar row, so that concurrent writers of one
   * calendar cannot both pass it.
   * @param em - default this request's manager; pass the transaction's inside one.
   * @throws AppError 409 listing (up to 20) overlapping entries.
   */
  async assertNoOverlap(calendarId: string, candidates: Interval[], exclude: ReadonlySet<string>, em: EntityManager = this.em): Promise<void> {
    if (candidates.length === 0) return;
    const window = spanOf(candidates);
    const items = mergeTimeline(await loadTimelineRows(em, { calendar: calendarId }, window), window).filter(
      (i) => !exclude.has(i.id) && !exclude.has(i.row.id) && !(i.series && exclude.has(i.series.id)),
    );
    const clashes = clashesOf(items, candidates);
    if (clashes.length === 0) return;
    throw new AppError('conflict', `the entry overlaps ${clashes.length === 1 ? 'another entry' : `${clashes.length} entries`} of this calendar; send force=true to keep both`, {
      conflicts: clashes.map((c) => ({ id: c.id, title: c.row.title, start: c.start, end: c.end })),
    });
  }
}
