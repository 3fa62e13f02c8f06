import { Temporal } from '@js-temporal/polyfill';
import type { Actor } from '../../infra/actor';
import { AppError } from '../../infra/errors';
import type { Services } from '../../infra/services';
import { DEFAULT_SUGGESTIONS, MAX_ATTENDEES, MAX_FREE_BUSY_ITEMS, MAX_MEETING_MS, MAX_SUGGESTIONS, MAX_WINDOW_DAYS, MAX_WINDOW_MS } from './domain/limits';
import { type AttendeeFreeTime, suggestSlots } from './domain/slots';
import { clipSpans, mergeSpans, type Span, subtractSpans } from './domain/spans';
import { type WorkingHours, workingSpans } from './domain/working-hours';
import { assertValidWorkingHours, type WorkingHoursService } from './working-hours.service';

/** One item of a free/busy request: a user (all it attends) or one of the caller's calendars. */
export type FreeBusyTarget = { userId: string; calendarId?: undefined } | { calendarId: string; userId?: undefined };

/** Why an item has no answer (Google Calendar's `errors[].reason`). */
export type FreeBusyErrorReason = 'notFound';

/** The answer for one item: merged busy intervals (UTC, clipped to the window), or an error. */
export type FreeBusyItemView = FreeBusyTarget & { busy: { start: Date; end: Date }[]; errors?: { reason: FreeBusyErrorReason }[] };

export interface FreeBusyView {
  timeMin: Date;
  timeMax: Date;
  /** One per requested item, in request order. */
  items: FreeBusyItemView[];
}

export interface SuggestionQuery {
  attendees: { userId: string; optional?: boolean }[];
  /** ISO 8601 duration in hours, minutes and seconds (`PT45M`). */
  duration: string;
  timeMin: Date;
  timeMax: Date;
  /** Hours every attendee is searched in, instead of each one's own. */
  workingHours?: WorkingHours;
  limit?: number;
}

export interface MeetingSuggestionView {
  start: Date;
  end: Date;
  /** The optional attendees free for the whole slot, in request order. */
  availableOptionalAttendees: string[];
}

/**
 * Free/busy (Google Calendar's freebusy.query, CalDAV's free-busy-query of RFC 4791 §7.10) and meeting
 * suggestions (Microsoft Graph's findMeetingTimes). Both reveal times only, never titles or ids.
 * Reads entries through the events module's availability service, users and calendars through theirs.
 */
export class SchedulingService {
  constructor(
    private readonly services: Pick<Services, 'users' | 'calendars' | 'availability'>,
    private readonly workingHours: WorkingHoursService,
  ) {}

  /**
   * Merged busy intervals per item in `[timeMin, timeMax)`. Any signed-in user may ask for any user's
   * (as in Google Calendar within a domain); a calendar only by its owner. An unknown user and an
   * unknown or someone else's calendar are answered alike, with `errors: [{ reason: 'notFound' }]`
   * for that item only. A fixed number of SQL statements whatever the items and entries.
   * @throws AppError 400 for a window that is empty, reversed or longer than {@link MAX_WINDOW_DAYS}
   *   days, or more than {@link MAX_FREE_BUSY_ITEMS} items.
   */
  async freeBusy(actor: Actor, q: { timeMin: Date; timeMax: Date; items: FreeBusyTarget[] }): Promise<FreeBusyView> {
    const window = assertWindow(q.timeMin, q.timeMax);
    if (q.items.length > MAX_FREE_BUSY_ITEMS) throw AppError.invalid('/items', `at most ${MAX_FREE_BUSY_ITEMS} items per request`);
    const userIds = q.items.flatMap((i) => (i.userId ? [i.userId] : []));
    const calendarIds = q.items.flatMap((i) => (i.calendarId ? [i.calendarId] : []));
    const knownUsers = new Set((await this.services.users.findByIds(userIds)).map((u) => u.id));
    const visible = await this.services.calendars.ownedAmong(actor, calendarIds);
    const busy = await this.services.availability.busyTimes({ userIds: [...knownUsers], calendarIds: [...visible] }, { from: q.timeMin, to: q.timeMax });
    const answer = (target: FreeBusyTarget, intervals: { start: Date; end: Date }[] | undefined): FreeBusyItemView => {
      if (!intervals) return { ...target, busy: [], errors: [{ reason: 'notFound' }] };
      return { ...target, busy: toSpans(intervals, window).map((s) => ({ start: new Date(s.start), end: new Date(s.end) })) };
    };
    const items = q.items.map((item) => {
      if (item.userId !== undefined) return answer({ userId: item.userId }, knownUsers.has(item.userId) ? busy.users.get(item.userId) : undefined);
      return answer({ calendarId: item.calendarId }, visible.has(item.calendarId) ? busy.calendars.get(item.calendarId) : undefined);
    });
    return { timeMin: q.timeMin, timeMax: q.timeMax, items };
  }

  /**
   * Up to `limit` (default {@link DEFAULT_SUGGESTIONS}) slots of `duration` in `[timeMin, timeMax)` in
   * which every required attendee is free and inside its working hours, in its own time zone (or in
   * `workingHours` for everyone, in each one's time zone), ranked by the number of optional attendees
   * free, then by earliest start (domain/slots.ts). The caller is not added: list it to count it.
   * Any signed-in user may ask: the answer reveals no more than free/busy does.
   * A fixed number of SQL statements whatever the attendees and entries.
   * @throws AppError 400 (window as {@link freeBusy}; no required attendee, a repeated one, more than
   *   {@link MAX_ATTENDEES}; a duration that is not a positive time of at most a day; bad working
   *   hours; limit outside 1–{@link MAX_SUGGESTIONS}), 404 naming an unknown attendee.
   */
  async suggest(q: SuggestionQuery): Promise<{ suggestions: MeetingSuggestionView[] }> {
    const window = assertWindow(q.timeMin, q.timeMax);
    const durationMs = parseMeetingDuration(q.duration);
    const limit = q.limit ?? DEFAULT_SUGGESTIONS;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SUGGESTIONS) throw AppError.invalid('/limit', `an integer from 1 to ${MAX_SUGGESTIONS}`);
    assertAttendees(q.attendees);
    if (q.workingHours) assertValidWorkingHours(q.workingHours, '/workingHours');
    const ids = q.attendees.map((a) => a.userId);
    const users = await this.services.users.findByIds(ids);
    const missing = ids.findIndex((id) => !users.some((u) => u.id === id));
    if (missing >= 0) throw new AppError('not_found', `user ${ids[missing]} was not found`, { errors: [{ path: `/attendees/${missing}/userId`, message: 'no such user' }] });
    const hours = q.workingHours ? new Map(users.map((u) => [u.id, q.workingHours!])) : await this.workingHours.ofUsers(users);
    const { users: busy } = await this.services.availability.busyTimes({ userIds: ids, calendarIds: [] }, { from: q.timeMin, to: q.timeMax });
    const zones = new Map(users.map((u) => [u.id, u.timeZone]));
    const freeTime = (userId: string): AttendeeFreeTime => ({
      key: userId,
      free: subtractSpans(workingSpans(hours.get(userId)!, zones.get(userId)!, window), toSpans(busy.get(userId) ?? [], window)),
    });
    const slots = suggestSlots({
      required: q.attendees.filter((a) => !a.optional).map((a) => freeTime(a.userId)),
      optional: q.attendees.filter((a) => a.optional).map((a) => freeTime(a.userId)),
      durationMs,
      limit,
    });
    return { suggestions: slots.map((s) => ({ start: new Date(s.start), end: new Date(s.end), availableOptionalAttendees: s.optionalFree })) };
  }
}

/** Busy intervals as merged spans clipped to `window`. */
function toSpans(intervals: readonly { start: Date; end: Date }[], window: Span): Span[] {
  return clipSpans(mergeSpans(intervals.map((i) => ({ start: i.start.getTime(), end: i.end.getTime() }))), window);
}

/** @throws AppError 400 (`/timeMax`) unless `timeMin < timeMax` and the window is at most {@link MAX_WINDOW_DAYS} days. */
function assertWindow(timeMin: Date, timeMax: Date): Span {
  const window = { start: timeMin.getTime(), end: timeMax.getTime() };
  if (window.end <= window.start) throw AppError.invalid('/timeMax', 'timeMax must be after timeMin');
  if (window.end - window.start > MAX_WINDOW_MS) throw AppError.invalid('/timeMax', `the window may span at most ${MAX_WINDOW_DAYS} days`);
  return window;
}

/** @throws AppError 400 (`/attendees…`) without a required attendee, with a repeated one, or with too many. */
function assertAttendees(attendees: SuggestionQuery['attendees']): void {
  if (attendees.length > MAX_ATTENDEES) throw AppError.invalid('/attendees', `at most ${MAX_ATTENDEES} attendees`);
  if (!attendees.some((a) => !a.optional)) throw AppError.invalid('/attendees', 'at least one attendee must be required (optional: false)');
  const seen = new Set<string>();
  for (const [i, a] of attendees.entries()) {
    if (seen.has(a.userId)) throw AppError.invalid(`/attendees/${i}/userId`, `user ${a.userId} is listed twice`);
    seen.add(a.userId);
  }
}

/**
 * Milliseconds of an ISO 8601 duration of hours, minutes and seconds (`PT1H30M`), from one minute to
 * {@link MAX_MEETING_MS}. Days and larger units are refused: their length depends on the calendar.
 * @throws AppError 400 (`/duration`).
 */
export function parseMeetingDuration(duration: string): number {
  let parsed: Temporal.Duration;
  try {
    parsed = Temporal.Duration.from(duration);
  } catch {
    throw AppError.invalid('/duration', `\`${duration}\` is not an ISO 8601 duration such as PT30M`);
  }
  if (parsed.years || parsed.months || parsed.weeks || parsed.days) throw AppError.invalid('/duration', 'give the duration in hours and minutes, e.g. PT1H30M');
  const ms = parsed.total({ unit: 'milliseconds' });
  if (ms < 60_000 || ms > MAX_MEETING_MS) throw AppError.invalid('/duration', 'a meeting lasts from one minute (PT1M) to one day (PT24H)');
  return ms;
}
