import ICAL from 'ical.js';
import { Temporal } from '@js-temporal/polyfill';
import { AppError } from '../../../infra/errors';
import { allDayInterval } from '../domain/event-time';
import { EVENT_STATUSES, type EventStatus, type Transparency, TRANSPARENCIES } from '../domain/event-status';
import { assertRealDates, dateAtTimeOf, IcsError, resolveTime, type ResolvedTime, type ZoneContext } from './ics-time';

/** Values of VEVENT properties the reader (ics-parse.ts) maps: STATUS, TRANSP, RDATE, EXDATE and all-day dates. Pure. */

/**
 * STATUS and TRANSP of a VEVENT (absent: confirmed, opaque). STATUS values of other components
 * (NEEDS-ACTION, DRAFT, FINAL…) are problems: §3.8.1.11 allows only TENTATIVE, CONFIRMED, CANCELLED.
 */
export function statusOf(comp: ICAL.Component, problem: (p: string, m: string) => void): { status: EventStatus; transparency: Transparency } {
  const out = { status: 'confirmed' as EventStatus, transparency: 'opaque' as Transparency };
  const status = comp.getFirstPropertyValue('status');
  if (typeof status === 'string') {
    const value = status.toLowerCase();
    if ((EVENT_STATUSES as readonly string[]).includes(value)) out.status = value as EventStatus;
    else problem(`STATUS:${status.toUpperCase()}`, `STATUS ${status.toUpperCase()} is not a VEVENT status (TENTATIVE, CONFIRMED or CANCELLED)`);
  }
  const transp = comp.getFirstPropertyValue('transp');
  if (typeof transp === 'string') {
    const value = transp.toLowerCase();
    if ((TRANSPARENCIES as readonly string[]).includes(value)) out.transparency = value as Transparency;
    else problem(`TRANSP:${transp.toUpperCase()}`, `TRANSP ${transp.toUpperCase()} is not supported (OPAQUE or TRANSPARENT)`);
  }
  return out;
}

/**
 * EXDATE or RDATE values (several properties, each with a list) as instants: a DATE is that day at
 * the series' local start time; an RDATE PERIOD (§3.3.9) is a problem (occurrences have the series'
 * length).
 */
export function datesOf(comp: ICAL.Component, name: 'exdate' | 'rdate', start: ResolvedTime, ctx: ZoneContext, where: { line: number; property: string }, problem: (p: string, m: string) => void): Date[] {
  const out: Date[] = [];
  const NAME = name.toUpperCase();
  for (const prop of comp.getAllProperties(name)) {
    if (prop.type === 'period') {
      problem(`${NAME};VALUE=PERIOD`, `${NAME} periods are not supported: every occurrence has the series' length`);
      continue;
    }
    assertRealDates(prop, where);
    const tzid = prop.getParameter('tzid');
    for (const value of prop.getValues()) {
      if (!(value instanceof ICAL.Time)) throw new IcsError(`${NAME} is not a date-time`, where.line, NAME);
      out.push(value.isDate ? dateAtTimeOf(value, start, where) : resolveTime(value, typeof tzid === 'string' ? tzid : undefined, ctx, where).instant);
    }
  }
  return out;
}


/** `YYYY-MM-DD` of a DATE value. */
function isoDate(t: ICAL.Time): string {
  return Temporal.PlainDate.from({ year: t.year, month: t.month, day: t.day }).toString();
}

/** A DATE (all-day DTSTART or RECURRENCE-ID) as the start of that day in `zone`. */
export function allDayStart(date: ICAL.Time, zone: string): ResolvedTime {
  return { instant: allDayInterval(isoDate(date), null, zone).start, timeZone: zone };
}

/**
 * The end of an all-day VEVENT: DTEND as a DATE (exclusive), or DTSTART plus a DURATION of whole days
 * or weeks, or the next day (RFC 5545 §3.6.1). Anything else is a problem, and null is returned.
 */
export function allDayEnd(comp: ICAL.Component, start: ICAL.Time, zone: string, problem: (p: string, m: string) => void): Date | null {
  const startDate = isoDate(start);
  let endDate: string | null = null;
  const dtend = comp.getFirstPropertyValue('dtend');
  const duration = comp.getFirstPropertyValue('duration');
  if (dtend != null) {
    if (!(dtend instanceof ICAL.Time) || !dtend.isDate) return problem('DTEND', 'an all-day VEVENT (DTSTART;VALUE=DATE) needs a DTEND date'), null;
    endDate = isoDate(dtend);
  } else if (duration instanceof ICAL.Duration) {
    if (duration.isNegative || duration.hours || duration.minutes || duration.seconds) return problem('DURATION', 'an all-day VEVENT lasts whole days (P1D, P1W)'), null;
    endDate = Temporal.PlainDate.from(startDate).add({ days: (duration.weeks ?? 0) * 7 + (duration.days ?? 0) }).toString();
  }
  try {
    return allDayInterval(startDate, endDate, zone).end;
  } catch (err) {
    if (err instanceof AppError) return problem(dtend != null ? 'DTEND' : 'DURATION', err.message), null;
    throw err;
  }
}
