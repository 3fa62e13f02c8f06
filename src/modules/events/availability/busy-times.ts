import type { EntityManager } from '@mikro-orm/postgresql';
import type { Interval } from '../domain/event-time';
import { isBusy } from '../domain/event-status';
import { mergeTimeline, type TimelineItem, type Window } from '../domain/timeline';
import { loadAttendedSingleTimes, loadTimelineRows, loadUserRows } from '../timeline/timeline.repository';

/*
 * Which entries make someone busy (RFC 4791 §7.10, Google Calendar's freebusy.query): every single
 * entry and occurrence of a series intersecting the window, overrides applied and exception dates
 * removed, whose shown row is busy (domain/event-status.ts: not cancelled, not transparent).
 */

/** The busy intervals of each owner (a user or a calendar), in no order; they may overlap. */
export type BusyIntervals = Map<string, Interval[]>;

const busyOf = (items: TimelineItem[]): Interval[] => items.filter((i) => isBusy(i.row)).map((i) => ({ start: i.start, end: i.end }));

/**
 * Per user of `userIds`, when it is busy in `window`: the entries it hosts or is invited to and has
 * not declined (a series declined is declined for every occurrence). Three SQL statements whatever
 * the number of users and entries: the singles' times (only four columns: a busy week holds
 * thousands), the series, their overrides. Unknown users map to `[]`.
 */
export async function busyOfUsers(em: EntityManager, userIds: readonly string[], window: Window): Promise<BusyIntervals> {
  const out: BusyIntervals = new Map(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  const ids = [...out.keys()];
  const singles = await loadAttendedSingleTimes(em, ids, window);
  const rows = await loadUserRows(em, ids.map((userId) => ({ userId })), { role: 'any', attending: true, window, withoutSingles: true });
  for (const [userId, r] of rows) {
    const own = singles.get(userId)!.filter((s) => isBusy(s)).map((s) => ({ start: s.start, end: s.end }));
    out.set(userId, [...own, ...busyOf(mergeTimeline(r, window))]);
  }
  return out;
}

/**
 * Per calendar of `calendarIds`, when its entries make it busy in `window`. Three SQL statements
 * whatever the number of calendars and entries. The caller has checked that it may see them.
 */
export async function busyOfCalendars(em: EntityManager, calendarIds: readonly string[], window: Window): Promise<BusyIntervals> {
  const out: BusyIntervals = new Map(calendarIds.map((id) => [id, []]));
  if (calendarIds.length === 0) return out;
  const items = mergeTimeline(await loadTimelineRows(em, { calendar: { $in: [...out.keys()] } }, window), window);
  for (const item of items) {
    if (isBusy(item.row)) out.get((item.series ?? item.row).calendar.id)?.push({ start: item.start, end: item.end });
  }
  return out;
}
