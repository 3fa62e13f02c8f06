import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../../infra/errors';
import type { Interval } from '../domain/event-time';
import { mergeTimeline } from '../domain/timeline';
import { loadTimelineRows } from '../timeline/timeline.repository';
import type { Window } from '../domain/timeline';
import { busyOfCalendars, busyOfUsers, type BusyIntervals } from './busy-times';
import { clashesOf, spanOf } from './overlap';

/**
 * When calendars and people are busy: the overlap check of writes (rules in overlap.ts) and the busy
 * intervals that free/busy queries and meeting suggestions (the scheduling module) are built from.
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

  /**
   * When each user and each calendar is busy in `window` (UTC, `[from, to)`): the intervals of their
   * busy entries and occurrences (busy-times.ts: not cancelled, not transparent, not declined),
   * in no order, unmerged, unclipped (an entry that starts before the window keeps its start). At most six SQL statements whatever the numbers of users, calendars and entries. Reveals
   * times only; authorising (which calendars the caller may see) is the caller's job.
   */
  async busyTimes(q: { userIds: readonly string[]; calendarIds: readonly string[] }, window: Window): Promise<{ users: BusyIntervals; calendars: BusyIntervals }> {
    return { users: await busyOfUsers(this.em, q.userIds, window), calendars: await busyOfCalendars(this.em, q.calendarIds, window) };
  }
}
