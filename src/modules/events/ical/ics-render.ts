import ICAL from 'ical.js';
import type { EventRecord } from '../event.entity';
import { toIcsEntry } from './ical-mapping';
import { buildCalendarIcs, type IcsAttendee } from './ics';
import type { PreservedParts } from './ics-parse';
import { resolveTime, vtimezonesOf } from './ics-time';
import { mergeTimeline, type Window } from '../domain/timeline';
import { toZoned } from '../domain/event-time';

/**
 * One calendar object resource as iCalendar text: the export (ics.ts) of one entry or series with its
 * overrides, under the UID the client chose, with the properties the domain does not model (kept at
 * PUT or import: VALARM, X-…) written back into their VEVENTs. Pure.
 */

/** PRODID of everything this service writes. */
export const PRODUCT_ID = '//calendar-service//EN';

/**
 * The VCALENDAR of one object.
 * @param vtimezone - VTIMEZONE block of an IANA zone (see ics.ts).
 */
export function renderObject(
  calendar: { id: string; name: string; timeZone: string },
  row: EventRecord,
  overrides: EventRecord[],
  opts: { uid?: string; preserved?: PreservedParts | null; vtimezone: (tz: string) => string | null; attendees?: IcsAttendee[] },
): string {
  const text = buildCalendarIcs(calendar, [toIcsEntry(row, overrides, opts.uid, opts.attendees)], { prodId: PRODUCT_ID, vtimezone: opts.vtimezone });
  if (!opts.preserved || Object.keys(opts.preserved).length === 0) return text;
  const root = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const zones = { vtimezones: vtimezonesOf(root), floatingZone: 'UTC' };
  for (const vevent of root.getAllSubcomponents('vevent')) {
    const prop = vevent.getFirstProperty('recurrence-id');
    const value = prop?.getFirstValue();
    const tzid = prop?.getParameter('tzid');
    const key = value instanceof ICAL.Time ? resolveTime(value, typeof tzid === 'string' ? tzid : undefined, zones, { line: 0, property: 'RECURRENCE-ID' }).instant.toISOString() : 'master';
    for (const jcal of opts.preserved[key] ?? []) {
      const part = jcal as unknown[];
      // A property's jCal is [name, params, type, ...values]; a component's is [name, props, comps].
      if (part.length === 3 && Array.isArray(part[1]) && Array.isArray(part[2])) vevent.addSubcomponent(new ICAL.Component(part));
      else vevent.addProperty(new ICAL.Property(part));
    }
  }
  return crlfEnded(root.toString());
}

/**
 * The instances of one object intersecting `window`, as CalDAV `expand` asks (RFC 4791 §9.6.5): one
 * VEVENT per occurrence, overrides applied and cancelled ones left out, with RECURRENCE-ID for
 * occurrences of a series, times in UTC, and no RRULE, RDATE or EXDATE. All-day entries keep their
 * `VALUE=DATE` values (the local dates of the entry's zone): §9.6.5 puts DATE-TIMEs in UTC, and a
 * date has no time to convert; clients show a UTC midnight as a timed event.
 */
export function renderExpanded(row: EventRecord, overrides: EventRecord[], window: Window, opts: { uid?: string; preserved?: PreservedParts | null }): string {
  const rows = row.recurrence ? { singles: [], series: [row], overrides } : { singles: [row], series: [], overrides: [] };
  const root = new ICAL.Component(['vcalendar', [], []]);
  root.addPropertyWithValue('version', '2.0');
  root.addPropertyWithValue('prodid', PRODUCT_ID);
  const utc = (d: Date) => ICAL.Time.fromJSDate(d, true);
  const date = (d: Date) => ICAL.Time.fromDateString(toZoned(d, row.timeZone).toPlainDate().toString());
  const time = row.allDay ? date : utc;
  for (const item of mergeTimeline(rows, window)) {
    const vevent = new ICAL.Component('vevent');
    vevent.addPropertyWithValue('uid', opts.uid ?? row.id);
    vevent.addPropertyWithValue('dtstamp', utc(row.updatedAt));
    if (item.originalStart) vevent.addPropertyWithValue('recurrence-id', time(item.originalStart));
    vevent.addPropertyWithValue('dtstart', time(item.start));
    vevent.addPropertyWithValue('dtend', time(item.end));
    vevent.addPropertyWithValue('sequence', item.row.sequence ?? 0);
    vevent.addPropertyWithValue('summary', item.row.title);
    if (item.row.description) vevent.addPropertyWithValue('description', item.row.description);
    if (item.row.location) vevent.addPropertyWithValue('location', item.row.location);
    vevent.addPropertyWithValue('status', (item.row.status ?? 'confirmed').toUpperCase());
    vevent.addPropertyWithValue('transp', (item.row.transparency ?? 'opaque').toUpperCase());
    const kept = opts.preserved?.[item.row === row ? 'master' : item.originalStart!.toISOString()] ?? (item.row === row ? [] : opts.preserved?.master ?? []);
    for (const jcal of kept) {
      const part = jcal as unknown[];
      if (part.length === 3 && Array.isArray(part[1]) && Array.isArray(part[2])) vevent.addSubcomponent(new ICAL.Component(part));
      else vevent.addProperty(new ICAL.Property(part));
    }
    root.addSubcomponent(vevent);
  }
  return crlfEnded(root.toString());
}

/** `text` ending with CRLF, as every content line must, the last one too (RFC 5545 §3.1). */
function crlfEnded(text: string): string {
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
