import { Temporal } from '@js-temporal/polyfill';
import ICAL from 'ical.js';
import type { EventStatus, Transparency } from '../domain/event-status';
import type { Recurrence } from '../domain/rrule';
import { assertRealDates, IcsError, resolveTime, type ResolvedTime, vtimezonesOf, type ZoneContext } from './ics-time';
import { mapRecur, unknownRecurParts } from './ics-recur';
import { allDayEnd, allDayStart, datesOf, statusOf } from './ics-values';
import { sourceLines, type SourceMap } from './ics-source';

export { IcsError } from './ics-time';

/**
 * The iCalendar (RFC 5545) reader: text from a CalDAV PUT or an import, parsed by ical.js, mapped to
 * the entries, series and overrides of the domain. Pure; the export (ics.ts) is the other direction.
 *
 * Nothing is lost silently. Each property of a VEVENT is either mapped to a field, managed by the
 * server (DTSTAMP, CREATED, LAST-MODIFIED, SEQUENCE), kept verbatim in `preserved` and written back
 * on export (VALARM, X-*, CLASS, CATEGORIES, URL… — what changes no time or meaning the domain
 * holds), or reported in `problems` because the domain cannot represent it (EXRULE, RDATE periods,
 * all-day dates, STATUS other than CONFIRMED, TENTATIVE or CANCELLED, FREQ=HOURLY and finer).
 * RRULE maps to the whole rule of domain/rrule.ts, RDATE and EXDATE to the series' dates.
 * STATUS and TRANSP map to `status` and `transparency` (absent: confirmed, opaque).
 * An object with problems must be refused (CalDAV) or skipped (import), naming them.
 */

/** Title, description and location, with the domain's length limits applied as problems. */
export interface IcsTexts {
  title: string;
  description: string | null;
  location: string | null;
}

/** One VEVENT's times: UTC instants, and the IANA zone of DTSTART (where RRULE repeats). */
export interface IcsComponent extends IcsTexts {
  /** STATUS (§3.8.1.11), default confirmed. */
  status: EventStatus;
  /** TRANSP (§3.8.2.7), default opaque. */
  transparency: Transparency;
  /** DTSTART;VALUE=DATE: whole days from `start` to `end` (starts of days in `timeZone`, the floating zone). */
  allDay: boolean;
  start: Date;
  end: Date;
  timeZone: string;
  /** 1-based line of its BEGIN:VEVENT. */
  line: number;
}

/** The VEVENT without RECURRENCE-ID: a single entry, or a series when `recurrence` is set. */
export interface IcsMaster extends IcsComponent {
  recurrence: Recurrence | null;
  /** RDATE: extra occurrences, by start. */
  rdates: Date[];
  /** EXDATE: original starts of cancelled occurrences. */
  exdates: Date[];
}

/** A VEVENT with RECURRENCE-ID: one changed occurrence of the series. */
export interface IcsOverride extends IcsComponent {
  /** The original start of the occurrence (RECURRENCE-ID), UTC. */
  recurrenceId: Date;
}

/** A participant named by ATTENDEE (RFC 5545 §3.8.4.1). */
export interface IcsAttendee {
  /** Lower-cased address of the `mailto:` URI. */
  email: string;
  role: 'required' | 'optional';
}

/** Something the domain cannot hold; refusing the object names it. */
export interface IcsProblem {
  line: number;
  /** The iCalendar property or component, e.g. `RRULE` or `DTSTART;VALUE=DATE`. */
  property: string;
  message: string;
}

/** Properties and sub-components kept verbatim, as jCal (RFC 7265), per VEVENT: `master` or the RECURRENCE-ID as ISO 8601. */
export type PreservedParts = Record<string, unknown[]>;

/** Every VEVENT of one UID: a calendar object resource (RFC 4791 §4.1). */
export interface IcsObject {
  uid: string;
  line: number;
  master: IcsMaster | null;
  overrides: IcsOverride[];
  problems: IcsProblem[];
  preserved: PreservedParts;
  /** ORGANIZER's address, lower-cased. */
  organizer: string | null;
  /** ATTENDEEs of the master (of the first VEVENT when there is none). */
  attendees: IcsAttendee[];
}

/** A parsed VCALENDAR stream. */
export interface ParsedIcs {
  /** METHOD (iTIP, RFC 5546), which a CalDAV resource must not have (RFC 4791 §4.1). */
  method: string | null;
  objects: IcsObject[];
  /** Components other than VEVENT and VTIMEZONE (VTODO, VJOURNAL…), which this calendar does not hold. */
  otherComponents: { name: string; uid: string | null; line: number }[];
}

/** Properties the mapping reads; the server manages DTSTAMP, CREATED, LAST-MODIFIED and SEQUENCE itself. */
const HANDLED = new Set(['uid', 'recurrence-id', 'dtstart', 'dtend', 'duration', 'summary', 'description', 'location', 'rrule', 'exdate', 'rdate', 'exrule', 'status', 'transp', 'organizer', 'attendee', 'dtstamp', 'created', 'last-modified', 'sequence']);

/** Domain limits (the contract: titles 200, descriptions 5000 characters; locations 500). */
const MAX_LENGTH = { summary: 200, description: 5000, location: 500 } as const;

/**
 * Parses iCalendar text (one or more VCALENDARs) and groups its VEVENTs by UID.
 * @param opts.floatingZone - IANA zone of floating times (the calendar's).
 * @throws IcsError naming the line when the text is not iCalendar, a VEVENT has no UID or DTSTART, a
 *   UID has two masters or one RECURRENCE-ID twice, a date-time is invalid or a TZID is unknown.
 */
export function parseIcs(text: string, opts: { floatingZone: string }): ParsedIcs {
  const source = sourceLines(text);
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch (err) {
    throw new IcsError(`malformed iCalendar at line ${source.lineOfError((err as Error).message)}: ${(err as Error).message}`, source.lineOfError((err as Error).message));
  }
  const roots = (Array.isArray(jcal) && Array.isArray(jcal[0]) ? jcal : [jcal]).map((j) => new ICAL.Component(j as unknown[]));
  if (roots.length === 0 || roots.some((r) => r.name !== 'vcalendar')) throw new IcsError('the body is not a VCALENDAR', 1);

  const result: ParsedIcs = { method: null, objects: [], otherComponents: [] };
  const byUid = new Map<string, IcsObject>();
  let veventIndex = 0;
  for (const root of roots) {
    const method = root.getFirstPropertyValue('method');
    if (typeof method === 'string') result.method = method;
    const ctx: ZoneContext = { vtimezones: vtimezonesOf(root), floatingZone: opts.floatingZone };
    for (const comp of root.getAllSubcomponents()) {
      if (comp.name === 'vtimezone') continue;
      if (comp.name !== 'vevent') {
        const uid = comp.getFirstPropertyValue('uid');
        result.otherComponents.push({ name: comp.name.toUpperCase(), uid: typeof uid === 'string' ? uid : null, line: source.componentLine(comp.name, 0) });
        continue;
      }
      const lines = source.vevent(veventIndex++);
      const uid = comp.getFirstPropertyValue('uid');
      if (typeof uid !== 'string' || uid.trim() === '') throw new IcsError('a VEVENT has no UID (RFC 5545 §3.6.1)', lines.begin, 'UID');
      let object = byUid.get(uid);
      if (!object) {
        object = { uid, line: lines.begin, master: null, overrides: [], problems: [], preserved: {}, organizer: null, attendees: [] };
        byUid.set(uid, object);
        result.objects.push(object);
      }
      readVevent(comp, object, ctx, lines);
    }
  }
  for (const object of result.objects) {
    if (!object.master && object.overrides.length > 0) {
      object.problems.push({ line: object.line, property: 'RECURRENCE-ID', message: 'an occurrence (RECURRENCE-ID) without its series cannot be stored' });
    } else if (object.master && !object.master.recurrence && object.overrides.length > 0) {
      object.problems.push({ line: object.overrides[0]!.line, property: 'RECURRENCE-ID', message: 'a RECURRENCE-ID of an event without RRULE cannot be stored' });
    }
  }
  return result;
}

/** Maps one VEVENT into its object (as the master or an override). */
function readVevent(comp: ICAL.Component, object: IcsObject, ctx: ZoneContext, lines: SourceMap): void {
  const at = (property: string) => ({ line: lines.property(property), property: property.toUpperCase() });
  const problem = (property: string, message: string) => object.problems.push({ line: lines.property(property.split(/[;\s]/)[0]!), property, message });
  const timeOf = (name: string): { value: ICAL.Time; tzid?: string } | null => {
    const prop = comp.getFirstProperty(name);
    if (!prop) return null;
    const value = prop.getFirstValue();
    if (!(value instanceof ICAL.Time)) throw new IcsError(`${name.toUpperCase()} is not a date-time`, at(name).line, name.toUpperCase());
    assertRealDates(prop, at(name));
    const tzid = prop.getParameter('tzid');
    return { value, tzid: typeof tzid === 'string' ? tzid : undefined };
  };

  const dtstart = timeOf('dtstart');
  if (!dtstart) throw new IcsError(`VEVENT ${object.uid} has no DTSTART (RFC 4791 §4.1 requires one)`, lines.begin, 'DTSTART');
  const recurrenceIdProp = timeOf('recurrence-id');
  const allDay = dtstart.value.isDate;
  // An all-day VEVENT floats: its dates are days of the calendar's zone.
  const start = allDay ? allDayStart(dtstart.value, ctx.floatingZone) : resolveTime(dtstart.value, dtstart.tzid, ctx, at('dtstart'));
  const end = allDay ? allDayEnd(comp, dtstart.value, ctx.floatingZone, problem) : endOf(comp, start, ctx, at, problem);
  const texts = textsOf(comp, problem);
  const component: IcsComponent = { ...texts, ...statusOf(comp, problem), allDay, start: start.instant, end: end ?? start.instant, timeZone: start.timeZone, line: lines.begin };

  if (comp.hasProperty('exrule')) problem('EXRULE', 'EXRULE is not supported (RFC 5545 deprecates it): use EXDATE');

  const organizer = comp.getFirstPropertyValue('organizer');
  if (typeof organizer === 'string') object.organizer ??= mailAddress(organizer);
  const attendees = comp.getAllProperties('attendee').map((p) => ({
    email: mailAddress(String(p.getFirstValue())),
    role: String(p.getParameter('role') ?? '').toUpperCase() === 'OPT-PARTICIPANT' ? ('optional' as const) : ('required' as const),
  }));

  let key: string;
  if (recurrenceIdProp) {
    if (recurrenceIdProp.value.isDate !== allDay) {
      problem(`RECURRENCE-ID${allDay ? '' : ';VALUE=DATE'}`, 'RECURRENCE-ID must have the value type of DTSTART (RFC 5545 §3.8.4.4)');
      return;
    }
    const range = comp.getFirstProperty('recurrence-id')!.getParameter('range');
    if (range) problem('RECURRENCE-ID;RANGE', 'RECURRENCE-ID;RANGE=THISANDFUTURE is not supported; send the series itself');
    const recurrenceId = (allDay ? allDayStart(recurrenceIdProp.value, ctx.floatingZone) : resolveTime(recurrenceIdProp.value, recurrenceIdProp.tzid, ctx, at('recurrence-id'))).instant;
    if (object.overrides.some((o) => o.recurrenceId.getTime() === recurrenceId.getTime())) {
      throw new IcsError(`UID ${object.uid} has RECURRENCE-ID ${recurrenceId.toISOString()} twice`, lines.begin, 'RECURRENCE-ID');
    }
    if (comp.hasProperty('rrule')) problem('RRULE', 'an occurrence (RECURRENCE-ID) cannot have its own RRULE');
    object.overrides.push({ ...component, recurrenceId });
    key = recurrenceId.toISOString();
    if (object.attendees.length === 0) object.attendees = attendees;
  } else {
    if (object.master) throw new IcsError(`UID ${object.uid} has two VEVENTs without RECURRENCE-ID`, lines.begin, 'UID');
    const rrules = comp.getAllProperties('rrule');
    if (rrules.length > 1) problem('RRULE', 'more than one RRULE is not supported');
    const unknown = rrules[0] ? unknownRecurParts(rrules[0]) : [];
    if (unknown.length > 0) problem(`RRULE ${unknown[0]}`, `RRULE ${unknown.join(', ')} cannot be stored: only the parts of RFC 5545 §3.3.10 are supported`);
    const mapped = rrules[0] && unknown.length === 0 ? mapRecur(rrules[0].getFirstValue() as ICAL.Recur, start, at('rrule')) : null;
    if (mapped && 'problem' in mapped) problem(mapped.property, mapped.problem);
    const recurrence = mapped && 'recurrence' in mapped ? mapped.recurrence : null;
    const exdates = recurrence ? datesOf(comp, 'exdate', start, ctx, at('exdate'), problem) : [];
    const rdates = recurrence ? datesOf(comp, 'rdate', start, ctx, at('rdate'), problem) : [];
    if (!recurrence && rrules.length === 0) {
      for (const name of ['exdate', 'rdate']) if (comp.hasProperty(name)) problem(name.toUpperCase(), `${name.toUpperCase()} without RRULE cannot be stored`);
    }
    object.master = { ...component, recurrence, rdates, exdates };
    object.line = lines.begin;
    object.attendees = attendees;
    key = 'master';
  }
  const kept = [
    ...comp.getAllProperties().filter((p) => !HANDLED.has(p.name)).map((p) => p.toJSON()),
    ...comp.getAllSubcomponents().map((c) => c.toJSON()),
  ];
  if (kept.length > 0) object.preserved[key] = kept;
}

/** DTEND, or DTSTART + DURATION (nominal days in wall-clock time), or null when neither is given. */
function endOf(comp: ICAL.Component, start: ResolvedTime, ctx: ZoneContext, at: (p: string) => { line: number; property: string }, problem: (p: string, m: string) => void): Date | null {
  const dtend = comp.getFirstProperty('dtend');
  if (dtend) {
    const value = dtend.getFirstValue();
    if (!(value instanceof ICAL.Time)) throw new IcsError('DTEND is not a date-time', at('dtend').line, 'DTEND');
    assertRealDates(dtend, at('dtend'));
    if (value.isDate) {
      problem('DTEND;VALUE=DATE', 'a DTEND date without time is not supported for a timed entry');
      return null;
    }
    const tzid = dtend.getParameter('tzid');
    return resolveTime(value, typeof tzid === 'string' ? tzid : undefined, ctx, at('dtend')).instant;
  }
  const duration = comp.getFirstPropertyValue('duration');
  if (duration instanceof ICAL.Duration) {
    // RFC 5545 §3.3.6: days and weeks are nominal (wall-clock), hours and below exact.
    const sign = duration.isNegative ? -1 : 1;
    const days = sign * ((duration.weeks ?? 0) * 7 + (duration.days ?? 0));
    const seconds = sign * ((duration.hours ?? 0) * 3600 + (duration.minutes ?? 0) * 60 + (duration.seconds ?? 0));
    const zoned = Temporal.Instant.fromEpochMilliseconds(start.instant.getTime()).toZonedDateTimeISO(start.timeZone).add({ days });
    return new Date(zoned.epochMilliseconds + seconds * 1000);
  }
  return null;
}

/** SUMMARY, DESCRIPTION and LOCATION, each within its length limit (a longer one is a problem, not cut). */
function textsOf(comp: ICAL.Component, problem: (p: string, m: string) => void): IcsTexts {
  const text = (name: keyof typeof MAX_LENGTH): string | null => {
    const value = comp.getFirstPropertyValue(name);
    if (value == null) return null;
    const s = String(value);
    if (s.length > MAX_LENGTH[name]) problem(name.toUpperCase(), `${name.toUpperCase()} is longer than ${MAX_LENGTH[name]} characters`);
    return s;
  };
  return { title: text('summary') ?? '', description: text('description'), location: text('location') };
}

/** The address of a `mailto:` URI (or the value itself), lower-cased. */
function mailAddress(uri: string): string {
  return uri.replace(/^mailto:/i, '').trim().toLowerCase();
}
