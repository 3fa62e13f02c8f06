import { toRecurrence } from '../domain/recurrence-record';
import type { EventRecord } from '../event.entity';
import type { IcsAttendee, IcsEntry } from './ics';

/**
 * Pure mapping from the rows of a calendar to the iCalendar shapes of ics.ts: one `IcsEntry` per
 * single entry or series (RFC 5545 VEVENT), each series with its exception dates (EXDATE) and its
 * overrides (VEVENTs with RECURRENCE-ID). The way back (import, CalDAV PUT) is ics-parse.ts and
 * calendar-object.write.ts.
 */

/**
 * An entry or series row and its overrides as the export takes them, under `uid` (default: the row's
 * id), with its participants as ORGANIZER and ATTENDEEs. Overrides of cancelled occurrences are left out.
 */
export function toIcsEntry(row: EventRecord, overrides: readonly EventRecord[], uid = row.id, attendees: IcsAttendee[] = []): IcsEntry {
  return {
    id: uid,
    attendees,
    title: row.title,
    description: row.description,
    location: row.location,
    status: row.status,
    transparency: row.transparency,
    allDay: row.allDay ?? false,
    sequence: row.sequence,
    start: row.start,
    end: row.end,
    timeZone: row.timeZone,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    recurrence: row.recurrence ? toRecurrence(row.recurrence) : null,
    rdates: (row.rdates ?? []).map((d) => new Date(d)),
    exdates: row.exdates.map((d) => new Date(d)),
    overrides: overrides
      .filter((o) => !row.exdates.includes(o.originalStart!.toISOString()))
      .map((o) => ({ originalStart: o.originalStart!, start: o.start, end: o.end, title: o.title, description: o.description, location: o.location, status: o.status, transparency: o.transparency, sequence: o.sequence })),
  };
}

/**
 * The entries of a calendar's rows: singles and series in the order given, each with its overrides
 * among `rows` and its participants from `attendeesOf` (by entry id).
 */
export function toIcsEntries(rows: readonly EventRecord[], attendeesOf: ReadonlyMap<string, IcsAttendee[]> = new Map()): IcsEntry[] {
  const overrides = rows.filter((r) => r.series);
  return rows.filter((r) => !r.series).map((r) => toIcsEntry(r, overrides.filter((o) => o.series!.id === r.id), r.id, attendeesOf.get(r.id) ?? []));
}
