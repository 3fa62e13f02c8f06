import { Temporal } from '@js-temporal/polyfill';
import type { Span } from './spans';

/**
 * Pure rules of working hours: the hours of the week in which a person accepts meetings, as
 * Microsoft Graph's `workingHours` (days of the week, a start and an end time) in the person's own
 * time zone, and their expansion into UTC spans over a window, DST-correct.
 */

/** Days of the week, Monday first (ISO 8601 weekday numbers 1–7 by index + 1). */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local wall-clock time `HH:MM`, 24-hour; `24:00` only as an end (the next midnight). */
export const LOCAL_TIME_PATTERN = '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$';

/** Working hours: on each of `daysOfWeek`, from `startTime` to `endTime` local time (`startTime < endTime`). */
export interface WorkingHours {
  daysOfWeek: Weekday[];
  /** `HH:MM`, inclusive. */
  startTime: string;
  /** `HH:MM` or `24:00`, exclusive. */
  endTime: string;
}

/** What a user has until it sets its own: Monday to Friday, 09:00–17:00 local time. */
export const DEFAULT_WORKING_HOURS: Readonly<WorkingHours> = Object.freeze({
  daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as Weekday[],
  startTime: '09:00',
  endTime: '17:00',
});

/** Minutes since local midnight of `HH:MM` (`24:00` = 1440). */
export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/**
 * The problems of `hours` as `[path, message]` pairs (empty when valid): times must match
 * {@link LOCAL_TIME_PATTERN}, `startTime` must be before `endTime` (no shift over midnight), days must
 * be known and not repeated. Transports check shapes with their schemas; this is the rule both share.
 */
export function workingHoursProblems(hours: WorkingHours): [string, string][] {
  const problems: [string, string][] = [];
  const time = new RegExp(LOCAL_TIME_PATTERN);
  if (!time.test(hours.startTime) || hours.startTime === '24:00') problems.push(['/startTime', 'a local time HH:MM from 00:00 to 23:59']);
  if (!time.test(hours.endTime)) problems.push(['/endTime', 'a local time HH:MM from 00:01 to 24:00']);
  if (problems.length === 0 && minutesOf(hours.startTime) >= minutesOf(hours.endTime)) problems.push(['/endTime', 'endTime must be after startTime (working hours do not cross midnight)']);
  const days = new Set<string>();
  for (const [i, d] of hours.daysOfWeek.entries()) {
    if (!(WEEKDAYS as readonly string[]).includes(d)) problems.push([`/daysOfWeek/${i}`, `one of ${WEEKDAYS.join(', ')}`]);
    else if (days.has(d)) problems.push([`/daysOfWeek/${i}`, `${d} is listed twice`]);
    days.add(d);
  }
  return problems;
}

/**
 * The UTC spans of `hours` in `timeZone` that intersect `window`, normalised (sorted, disjoint),
 * clipped to it. Each local day is resolved on its own, so a 09:00 start is 09:00 local on both
 * sides of a DST change. A local time that does not exist (skipped by a spring-forward) moves forward
 * by the gap and an ambiguous one (repeated by a fall-back) takes the earlier instant — Temporal's
 * `compatible` disambiguation, the RFC 5545 §3.3.5 rule for DATE-TIME values.
 * @param timeZone - IANA name (assumed valid; users' zones are checked when set).
 */
export function workingSpans(hours: WorkingHours, timeZone: string, window: Span): Span[] {
  if (window.end <= window.start || hours.daysOfWeek.length === 0) return [];
  const days = new Set(hours.daysOfWeek.map((d) => WEEKDAYS.indexOf(d) + 1));
  const start = Temporal.PlainTime.from(hours.startTime);
  const endMinutes = minutesOf(hours.endTime);
  const end = endMinutes === 1440 ? undefined : Temporal.PlainTime.from(hours.endTime);
  // One day of margin on each side: the window's edges may fall on other local dates than UTC's.
  let day = Temporal.Instant.fromEpochMilliseconds(window.start).toZonedDateTimeISO(timeZone).toPlainDate().subtract({ days: 1 });
  const last = Temporal.Instant.fromEpochMilliseconds(window.end).toZonedDateTimeISO(timeZone).toPlainDate().add({ days: 1 });
  const out: Span[] = [];
  for (; Temporal.PlainDate.compare(day, last) <= 0; day = day.add({ days: 1 })) {
    if (!days.has(day.dayOfWeek)) continue;
    const from = day.toZonedDateTime({ timeZone, plainTime: start }).epochMilliseconds;
    const to = end ? day.toZonedDateTime({ timeZone, plainTime: end }).epochMilliseconds : day.add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds;
    const s = Math.max(from, window.start);
    const e = Math.min(to, window.end);
    if (e > s) out.push({ start: s, end: e });
  }
  // Consecutive days of 00:00–24:00 touch: merge them so the list is normalised.
  return out.reduce<Span[]>((acc, s) => {
    const prev = acc[acc.length - 1];
    if (prev && s.start <= prev.end) prev.end = Math.max(prev.end, s.end);
    else acc.push(s);
    return acc;
  }, []);
}
