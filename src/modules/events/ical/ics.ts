import ical, { ICalAttendeeRole, ICalAttendeeStatus, type ICalCalendarProdIdData, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import type { EventStatus, Transparency } from '../domain/event-status';
import { toZoned } from '../domain/event-time';
import type { Recurrence } from '../domain/rrule';
import { toRRule } from '../domain/rrule-text';

/**
 * The iCalendar (RFC 5545) export of a calendar, built with ical-generator. Pure: data in, text out.
 *
 * Times are written as local time with `TZID=<IANA zone>` (RFC 5545 §3.2.19, §3.3.5 form 3) so that
 * RRULE repeats at the series' wall-clock time across DST, exactly as `expandOccurrences` (domain/recurrence.ts)
 * does; entries in `UTC` are written in UTC form (`…Z`). DTSTAMP, CREATED and LAST-MODIFIED are UTC
 * (§3.8.7).
 *
 * VTIMEZONE: RFC 5545 §3.2.19 requires one VTIMEZONE per TZID used. ical-generator has no time zone
 * database, so it takes a generator (`opts.vtimezone`) — e.g. `getVtimezoneComponent` of
 * `@touch4it/ical-timezones`, or `(tz) => tzlib_get_ical_block(tz)[0]` of `timezones-ical-library`.
 * Without one, TZIDs are written without VTIMEZONE components: Google, Apple and Outlook resolve IANA
 * names anyway, but strict parsers (ical.js) then read the times as floating.
 */

/** A modified occurrence of a series (RFC 5545 §3.8.4.4: a VEVENT with the series' UID and a RECURRENCE-ID). */
export interface IcsOverride {
  /** The start the rule generated: the RECURRENCE-ID. */
  originalStart: Date;
  start: Date;
  end: Date;
  title: string;
  description?: string | null;
  location?: string | null;
  /** STATUS (§3.8.1.11); default confirmed. */
  status?: EventStatus;
  /** TRANSP (§3.8.2.7); default opaque. */
  transparency?: Transparency;
  /** SEQUENCE (§3.8.7.4); default 0. */
  sequence?: number;
}

/**
 * A participant of an entry: the host becomes ORGANIZER (RFC 5545 §3.8.4.3), everyone (the host
 * included) an ATTENDEE (§3.8.4.1) with ROLE and PARTSTAT (§3.2.16, §3.2.12) and CN.
 */
export interface IcsAttendee {
  name: string;
  email: string;
  /** ROLE: `required` = REQ-PARTICIPANT, `optional` = OPT-PARTICIPANT. */
  role: 'required' | 'optional';
  /** PARTSTAT: needs_action = NEEDS-ACTION, accepted, declined, tentative. */
  response: 'needs_action' | 'accepted' | 'declined' | 'tentative';
  isHost: boolean;
}

/** One entry (single event or series) of the calendar. All instants are UTC `Date`s. */
export interface IcsEntry {
  /** Becomes the UID (RFC 5545 §3.8.4.7); shared by a series and its overrides. */
  id: string;
  title: string;
  description?: string | null;
  location?: string | null;
  /** STATUS (§3.8.1.11); default confirmed. */
  status?: EventStatus;
  /** TRANSP (§3.8.2.7); default opaque. */
  transparency?: Transparency;
  /** DTSTART;VALUE=DATE and DTEND;VALUE=DATE: the local dates of `start` and `end` in `timeZone`. */
  allDay?: boolean;
  /** SEQUENCE (§3.8.7.4): the revision of the entry's timing; default 0. */
  sequence?: number;
  /** DTSTART; for a series, its first start. */
  start: Date;
  /** DTEND; for a series, the end of its first occurrence. */
  end: Date;
  /** IANA zone of DTSTART/DTEND, and the zone the RRULE is evaluated in. */
  timeZone: string;
  createdAt: Date;
  /** LAST-MODIFIED, and DTSTAMP (§3.8.7.2: without METHOD, DTSTAMP is when the data was last revised). */
  updatedAt: Date;
  /** RRULE (§3.8.5.3); null or absent for a single event. */
  recurrence?: Recurrence | null;
  /** RDATE (§3.8.5.2): extra occurrences. Ignored without `recurrence`. */
  rdates?: Date[];
  /** EXDATE (§3.8.5.1): original starts of cancelled occurrences. Ignored without `recurrence`. */
  exdates?: Date[];
  /** Extra VEVENTs with the same UID and a RECURRENCE-ID. Ignored without `recurrence`. */
  overrides?: IcsOverride[];
  /** ORGANIZER and ATTENDEEs, written on the entry and on each of its overrides; default none. */
  attendees?: IcsAttendee[];
}

/** Export options. */
export interface IcsOptions {
  /** PRODID (§3.7.3): `//Company//Product//EN` or `{ company, product, language? }`. */
  prodId: string | ICalCalendarProdIdData;
  /**
   * VTIMEZONE generator, default none: takes an IANA zone, returns a `BEGIN:VTIMEZONE…END:VTIMEZONE`
   * block or null (ical-generator's `timezone.generator` contract). Called once per zone used.
   */
  vtimezone?: (timeZone: string) => string | null;
}

/**
 * The calendar as RFC 5545 text (CRLF line ends, lines folded at 75 octets, the last line
 * `END:VCALENDAR` ended by CRLF too, §3.1): a VCALENDAR with its properties first (§3.6: NAME /
 * X-WR-CALNAME, X-WR-TIMEZONE), then the VTIMEZONEs of the zones used (when `opts.vtimezone` is given)
 * and one VEVENT per entry — a series with RRULE, RDATE and EXDATE, followed by one VEVENT per override
 * with RECURRENCE-ID in the series' zone; each with ORGANIZER and ATTENDEEs when the entry has them.
 * Entries are written in the order given.
 *
 * @throws Error from ical-generator when `opts.prodId` is a malformed string.
 */
export function buildCalendarIcs(
  calendar: { id: string; name: string; timeZone: string },
  entries: IcsEntry[],
  opts: IcsOptions,
): string {
  const cal = ical({
    prodId: opts.prodId,
    name: calendar.name,
    // A name here would make ical-generator write DTSTAMP, CREATED and LAST-MODIFIED as local time
    // without Z (it formats them in the calendar zone); zones are set per event instead.
    timezone: opts.vtimezone ? { name: null, generator: opts.vtimezone } : null,
  });

  const allDayRecurrenceIds: string[] = [];
  for (const entry of entries) {
    const tz = entry.timeZone;
    const isSeries = entry.recurrence != null;
    const common = { id: entry.id, timezone: tz, stamp: entry.updatedAt, created: entry.createdAt, lastModified: entry.updatedAt, ...people(entry.attendees ?? []) };
    const allDay = entry.allDay ?? false;
    cal.createEvent({
      ...common,
      ...texts(entry),
      // ical-generator formats a Date with a zone in the *process* zone; a ZonedDateTime keeps its own.
      start: toZoned(entry.start, tz),
      end: toZoned(entry.end, tz),
      allDay,
      sequence: entry.sequence ?? 0,
      repeating: isSeries ? recurrenceLines(entry.recurrence!, { rdate: entry.rdates ?? [], exdate: entry.exdates ?? [] }, tz, allDay) : null,
    });
    if (!isSeries) continue;
    for (const o of entry.overrides ?? []) {
      cal.createEvent({
        ...common,
        ...texts(o),
        start: toZoned(o.start, tz),
        end: toZoned(o.end, tz),
        allDay,
        sequence: o.sequence ?? 0,
        recurrenceId: toZoned(o.originalStart, tz),
      });
      if (allDay) allDayRecurrenceIds.push(`RECURRENCE-ID;TZID=${tz}:${basic(o.originalStart, tz)}`);
    }
  }
  // ical-generator writes RECURRENCE-ID as a date-time even for all-day events; RFC 5545 §3.8.4.4
  // wants the value type of DTSTART (DATE). Local midnight in the zone is exactly that date.
  let text = cal.toString();
  for (const line of allDayRecurrenceIds) text = text.replace(`${line}\r\n`, `RECURRENCE-ID;VALUE=DATE:${line.slice(-15, -7)}\r\n`);
  return withCalendarProperties(text, [`X-WR-TIMEZONE:${calendar.timeZone}`]);
}

/**
 * `text` with `lines` added to the calendar's own properties, before its first component (RFC 5545
 * §3.6; ical-generator writes custom properties after the events), and ending with CRLF (§3.1: every
 * content line ends with CRLF, the last one too; ical-generator leaves it off).
 */
function withCalendarProperties(text: string, lines: string[]): string {
  const body = text.endsWith('\r\n') ? text : `${text}\r\n`;
  const first = body.search(/\r\nBEGIN:(?!VCALENDAR)/);
  const at = first >= 0 ? first + 2 : body.lastIndexOf('END:VCALENDAR');
  return body.slice(0, at) + lines.map((l) => `${l}\r\n`).join('') + body.slice(at);
}

/** ORGANIZER (the host) and one ATTENDEE per participant (RFC 5545 §3.8.4.1, §3.8.4.3). */
function people(attendees: IcsAttendee[]) {
  const host = attendees.find((a) => a.isHost);
  return {
    organizer: host ? { name: host.name, email: host.email } : null,
    attendees: attendees.map((a) => ({ name: a.name, email: a.email, role: ROLE[a.role], status: PARTSTAT[a.response] })),
  };
}

const ROLE: Record<IcsAttendee['role'], ICalAttendeeRole> = { required: ICalAttendeeRole.REQ, optional: ICalAttendeeRole.OPT };
const PARTSTAT: Record<IcsAttendee['response'], ICalAttendeeStatus> = {
  needs_action: ICalAttendeeStatus.NEEDSACTION,
  accepted: ICalAttendeeStatus.ACCEPTED,
  declined: ICalAttendeeStatus.DECLINED,
  tentative: ICalAttendeeStatus.TENTATIVE,
};

/** SUMMARY, DESCRIPTION, LOCATION, STATUS and TRANSP (both always written, so no reader guesses the default). */
function texts(x: { title: string; description?: string | null; location?: string | null; status?: EventStatus; transparency?: Transparency }) {
  return {
    summary: x.title,
    description: x.description ?? null,
    location: x.location ?? null,
    status: STATUS[x.status ?? 'confirmed'],
    transparency: TRANSP[x.transparency ?? 'opaque'],
  };
}

const STATUS: Record<EventStatus, ICalEventStatus> = { confirmed: ICalEventStatus.CONFIRMED, tentative: ICalEventStatus.TENTATIVE, cancelled: ICalEventStatus.CANCELLED };
const TRANSP: Record<Transparency, ICalEventTransparency> = { opaque: ICalEventTransparency.OPAQUE, transparent: ICalEventTransparency.TRANSPARENT };

/**
 * RRULE, RDATE and EXDATE lines. Passed to ical-generator as text: its own `repeating` object writes
 * UNTIL in the calendar zone and cannot write RDATE or EXDATE;TZID from instants.
 */
function recurrenceLines(recurrence: Recurrence, dates: { rdate: Date[]; exdate: Date[] }, timeZone: string, allDay: boolean): string {
  // An all-day series' UNTIL, RDATE and EXDATE are DATEs, as its DTSTART (§3.3.10, §3.8.5.1-2).
  const lines = [`RRULE:${toRRule(recurrence, allDay ? { dateIn: timeZone } : {})}`];
  for (const [name, list] of Object.entries(dates)) {
    if (list.length === 0) continue;
    const sorted = [...list].sort((a, b) => a.getTime() - b.getTime());
    const NAME = name.toUpperCase();
    lines.push(
      allDay ? `${NAME};VALUE=DATE:${sorted.map((d) => basic(d, timeZone).slice(0, 8)).join(',')}`
      : timeZone === 'UTC'
        ? `${NAME}:${sorted.map((d) => basic(d, 'UTC') + 'Z').join(',')}`
        : `${NAME};TZID=${timeZone}:${sorted.map((d) => basic(d, timeZone)).join(',')}`,
    );
  }
  return lines.join('\n');
}

/** Local `YYYYMMDDTHHMMSS` of an instant in a zone (RFC 5545 §3.3.5). */
function basic(instant: Date, timeZone: string): string {
  const z = toZoned(instant, timeZone);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(z.year, 4)}${p(z.month)}${p(z.day)}T${p(z.hour)}${p(z.minute)}${p(z.second)}`;
}
