import { Temporal } from '@js-temporal/polyfill';
import type ICAL from 'ical.js';
import { FREQUENCIES, type Frequency } from '../domain/rrule';
import type { RecurrenceInput } from '../entries/series-rules';
import { dateAtTimeOf, resolveTime, type ResolvedTime } from './ics-time';

/**
 * Maps an RRULE (RFC 5545 §3.3.10, as ical.js reads it) onto the series the domain holds: FREQ
 * DAILY, WEEKLY or MONTHLY with INTERVAL and COUNT or UNTIL. Parts that only restate DTSTART are
 * accepted and dropped — `FREQ=WEEKLY;BYDAY=TU` for a Tuesday start (what Thunderbird and Apple
 * Calendar write), `FREQ=MONTHLY;BYMONTHDAY=14` for a start on the 14th, and WKST when no BYDAY list
 * makes it matter; any other part is a problem naming it. Pure.
 */

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** What {@link mapRecur} returns: the recurrence, or the part the domain cannot hold. */
export type MappedRecur = { recurrence: RecurrenceInput } | { problem: string; property: string };

/**
 * @param start - DTSTART of the series (its zone is where the rule repeats and floating UNTIL is read).
 * @throws IcsError (from time resolution) when UNTIL is not a real date-time.
 */
export function mapRecur(recur: ICAL.Recur, start: ResolvedTime, where: { line: number; property: string }): MappedRecur {
  const freq = String(recur.freq ?? '').toLowerCase();
  if (!FREQUENCIES.includes(freq as Frequency)) return { property: `RRULE FREQ=${String(recur.freq)}`, problem: `RRULE FREQ=${String(recur.freq)} is not supported (${FREQUENCIES.join(', ').toUpperCase()})` };
  const local = Temporal.Instant.fromEpochMilliseconds(start.instant.getTime()).toZonedDateTimeISO(start.timeZone);
  const parts = (recur.parts ?? {}) as Record<string, (string | number)[]>;
  for (const [name, values] of Object.entries(parts)) {
    if (!values || values.length === 0) continue;
    const restates =
      (name === 'BYDAY' && freq === 'weekly' && values.length === 1 && String(values[0]).toUpperCase() === WEEKDAYS[local.dayOfWeek - 1]) ||
      (name === 'BYMONTHDAY' && freq === 'monthly' && values.length === 1 && Number(values[0]) === local.day);
    if (!restates) return { property: `RRULE ${name}`, problem: `RRULE ${name}=${values.join(',')} is not supported` };
  }
  const recurrence: RecurrenceInput = { frequency: freq as Frequency, interval: recur.interval ?? 1 };
  if (recur.count != null) recurrence.count = recur.count;
  if (recur.until) {
    recurrence.until = recur.until.isDate
      ? dateAtTimeOf(recur.until, start, where)
      : resolveTime(recur.until, undefined, { vtimezones: new Map(), floatingZone: start.timeZone }, where).instant;
  }
  return { recurrence };
}
