import type ICAL from 'ical.js';
import { AppError } from '../../../infra/errors';
import { FIELD_OF_PART, FREQUENCIES, type Frequency, normalizeRecurrence, type Recurrence, validateRecurrence } from '../domain/rrule';
import { parseRRule } from '../domain/rrule-text';
import { dateAtTimeOf, resolveTime, type ResolvedTime } from './ics-time';

/**
 * Maps an RRULE (RFC 5545 §3.3.10, as ical.js reads it) onto the series rule of the domain
 * (domain/rrule.ts): every part the domain offers — FREQ up to YEARLY, INTERVAL, COUNT or UNTIL,
 * BYDAY with ordinals, BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYMONTH, BYSETPOS, BYHOUR, BYMINUTE,
 * BYSECOND, WKST — through the same parser and checks as the API's `rrule` text. What the domain
 * refuses (FREQ=HOURLY and finer, out-of-range values, parts that do not go together) is a problem
 * naming the part. Pure.
 */

/** What {@link mapRecur} returns: the rule, or the part the domain cannot hold. */
export type MappedRecur = { recurrence: Recurrence } | { problem: string; property: string };

/**
 * @param start - DTSTART of the series (its zone is where the rule repeats and floating UNTIL is read).
 * @throws IcsError (from time resolution) when UNTIL is not a real date-time.
 */
export function mapRecur(recur: ICAL.Recur, start: ResolvedTime, where: { line: number; property: string }): MappedRecur {
  const freq = String(recur.freq ?? '').toLowerCase();
  if (!FREQUENCIES.includes(freq as Frequency)) return { property: `RRULE FREQ=${String(recur.freq)}`, problem: `RRULE FREQ=${String(recur.freq)} is not supported (${FREQUENCIES.join(', ').toUpperCase()})` };
  // UNTIL is read here (a DATE ends at DTSTART's time of that day; a floating time is in DTSTART's
  // zone), the other parts by the API's parser.
  const until = recur.until
    ? recur.until.isDate
      ? dateAtTimeOf(recur.until, start, where)
      : resolveTime(recur.until, undefined, { vtimezones: new Map(), floatingZone: start.timeZone }, where).instant
    : undefined;
  const text = recur.toString().split(';').filter((part) => !/^UNTIL=/i.test(part)).join(';');
  try {
    const rule = parseRRule(text, { timeZone: start.timeZone, path: '/rrule' });
    if (until) rule.until = until;
    validateRecurrence(rule, start.instant, { source: 'rrule', path: '' });
    return { recurrence: normalizeRecurrence(rule) };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const message = err.details.errors?.[0]?.message ?? err.message;
    const part = /^([A-Z]+)=/.exec(message)?.[1];
    return { property: part ? `RRULE ${part}` : 'RRULE', problem: `RRULE ${message}` };
  }
}

/**
 * The parts of an RRULE property outside RFC 5545 §3.3.10 (RFC 7529's RSCALE and SKIP, X- parts,
 * misspelt BY parts), upper case, in the order written. ical.js keeps them in the property's jCal
 * but drops them from its Recur value, so without this check they would be lost silently.
 */
export function unknownRecurParts(prop: ICAL.Property): string[] {
  const value = (prop.toJSON() as unknown[])[3];
  if (!value || typeof value !== 'object') return [];
  return Object.keys(value).map((part) => part.toUpperCase()).filter((part) => !(part in FIELD_OF_PART));
}
