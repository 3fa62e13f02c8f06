import { Temporal } from '@js-temporal/polyfill';
import ICAL from 'ical.js';
import { isTimeZone } from '../../../infra/time-zone';

/**
 * Pure conversion of iCalendar DATE-TIME values (RFC 5545 §3.3.5) read by ical.js into UTC instants
 * and IANA zones. No ORM or HTTP here.
 *
 * The three forms of §3.3.5: UTC (`…Z`) is that instant; with `TZID` it is local time in that zone;
 * without either it is floating, read in the calendar's zone (RFC 4791 §4.1: a server stores floating
 * times as the calendar-timezone's). A TZID is resolved, in order, as an IANA name (also at the end of
 * an old Mozilla / libical path such as `/mozilla.org/20050126_1/Europe/Paris`), then through the
 * file's own VTIMEZONE (Outlook's `W. Europe Standard Time`), whose `X-LIC-LOCATION` names the IANA
 * zone when it has one. A local time in a DST gap moves forward by the gap and an ambiguous one takes
 * the first instant (RFC 5545 §3.3.5; Temporal's `compatible`).
 */

/** A value that is not valid iCalendar; `line` is 1-based in the source text. */
export class IcsError extends Error {
  override name = 'IcsError';

  constructor(
    message: string,
    readonly line: number,
    readonly property?: string,
  ) {
    super(message);
  }
}

/** Time zones a file defines (VTIMEZONE by TZID) plus the zone floating times are read in. */
export interface ZoneContext {
  vtimezones: Map<string, ICAL.Component>;
  /** IANA zone of floating times: the calendar's. */
  floatingZone: string;
}

/** A DATE-TIME resolved to an instant, with the IANA zone its wall-clock time belongs to. */
export interface ResolvedTime {
  instant: Date;
  /** IANA zone (`UTC` for the UTC form). */
  timeZone: string;
}

/** The VTIMEZONEs of a VCALENDAR by TZID. */
export function vtimezonesOf(vcalendar: ICAL.Component): Map<string, ICAL.Component> {
  const map = new Map<string, ICAL.Component>();
  for (const vtz of vcalendar.getAllSubcomponents('vtimezone')) {
    const tzid = vtz.getFirstPropertyValue('tzid');
    if (typeof tzid === 'string') map.set(tzid, vtz);
  }
  return map;
}

/** The IANA zone a TZID names, or null. */
export function ianaZoneOf(tzid: string): string | null {
  if (isTimeZone(tzid)) return tzid;
  const parts = tzid.split('/').filter(Boolean);
  for (let i = 1; i < parts.length; i++) {
    const candidate = parts.slice(i).join('/');
    if (isTimeZone(candidate)) return candidate;
  }
  return null;
}

/**
 * The instant and zone of a DATE-TIME property value (`time` is its ical.js value, `tzid` its TZID
 * parameter).
 * @throws IcsError when the value is not a valid date-time or the TZID is neither an IANA zone nor
 *   defined by a VTIMEZONE of the file.
 */
export function resolveTime(time: ICAL.Time, tzid: string | undefined, ctx: ZoneContext, where: { line: number; property: string }): ResolvedTime {
  const local = plainDateTime(time, where);
  if (time.zone === ICAL.Timezone.utcTimezone) {
    return { instant: new Date(local.toZonedDateTime('UTC').epochMilliseconds), timeZone: 'UTC' };
  }
  if (!tzid) return { instant: new Date(local.toZonedDateTime(ctx.floatingZone, { disambiguation: 'compatible' }).epochMilliseconds), timeZone: ctx.floatingZone };
  const iana = ianaZoneOf(tzid);
  if (iana) return { instant: new Date(local.toZonedDateTime(iana, { disambiguation: 'compatible' }).epochMilliseconds), timeZone: iana };
  const vtz = ctx.vtimezones.get(tzid);
  if (!vtz) throw new IcsError(`${where.property};TZID=${tzid}: the zone is neither an IANA name nor defined by a VTIMEZONE of the file`, where.line, where.property);
  const zone = new ICAL.Timezone({ component: vtz, tzid });
  const zoned = new ICAL.Time({ year: local.year, month: local.month, day: local.day, hour: local.hour, minute: local.minute, second: local.second, isDate: false }, zone);
  const instant = new Date(zoned.toUnixTime() * 1000);
  const location = vtz.getFirstPropertyValue('x-lic-location');
  const named = typeof location === 'string' ? ianaZoneOf(location) : null;
  return { instant, timeZone: named ?? sameOffsetZone(instant, zoned.utcOffset(), ctx.floatingZone) };
}

/** `preferred` when it has `offsetSeconds` at `instant`, else UTC (a VTIMEZONE without an IANA name). */
function sameOffsetZone(instant: Date, offsetSeconds: number, preferred: string): string {
  const offsetNs = Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(preferred).offsetNanoseconds;
  return offsetNs === offsetSeconds * 1e9 ? preferred : 'UTC';
}

/** The local date (and time) fields of an ical.js value. @throws IcsError when they are not a real date-time. */
export function plainDateTime(time: ICAL.Time, where: { line: number; property: string }): Temporal.PlainDateTime {
  try {
    return Temporal.PlainDateTime.from(
      { year: time.year, month: time.month, day: time.day, hour: time.isDate ? 0 : time.hour, minute: time.isDate ? 0 : time.minute, second: time.isDate ? 0 : Math.min(time.second, 59) },
      { overflow: 'reject' },
    );
  } catch {
    throw new IcsError(`${where.property}: ${time.toString()} is not a valid date-time`, where.line, where.property);
  }
}

/**
 * A DATE value (`VALUE=DATE`) given where a date-time is expected (EXDATE, RECURRENCE-ID or UNTIL of a
 * timed series): the instant of that date at the series' local start time in its zone.
 */
export function dateAtTimeOf(time: ICAL.Time, seriesStart: ResolvedTime, where: { line: number; property: string }): Date {
  const date = plainDateTime(time, where).toPlainDate();
  const clock = Temporal.Instant.fromEpochMilliseconds(seriesStart.instant.getTime()).toZonedDateTimeISO(seriesStart.timeZone).toPlainTime();
  return new Date(date.toPlainDateTime(clock).toZonedDateTime(seriesStart.timeZone, { disambiguation: 'compatible' }).epochMilliseconds);
}

/**
 * Checks the date and date-time values of a property as written (ical.js rolls impossible dates such
 * as month 13 over into real ones instead of rejecting them).
 * @throws IcsError naming the property and line.
 */
export function assertRealDates(prop: ICAL.Property, where: { line: number; property: string }): void {
  for (const raw of (prop.toJSON() as unknown[]).slice(3)) {
    if (typeof raw !== 'string') continue;
    try {
      if (raw.length === 10) Temporal.PlainDate.from(raw, { overflow: 'reject' });
      else Temporal.PlainDateTime.from(raw.replace(/Z$/, ''), { overflow: 'reject' });
    } catch {
      throw new IcsError(`${where.property}: ${raw} is not a valid date or date-time`, where.line, where.property);
    }
  }
}
