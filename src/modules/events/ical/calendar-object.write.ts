import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../../infra/errors';
import { Calendar } from '../../calendars/calendar.entity';
import { User } from '../../users/user.entity';
import type { AvailabilityService } from '../availability/availability.service';
import { OVERLAP_HORIZON_DAYS } from '../availability/overlap';
import { isBusy } from '../domain/event-status';
import { assertEntryTime, type Interval } from '../domain/event-time';
import { expandOccurrences } from '../domain/recurrence';
import { toRecurrence } from '../domain/recurrence-record';
import { setRule } from '../entries/series-rules';
import { Event } from '../event.entity';
import { Participant } from '../participants/participant.entity';
import { mergeTimeline } from '../domain/timeline';
import { CalendarObject } from './calendar-object.entity';
import type { IcsComponent, IcsObject } from './ics-parse';

/**
 * Writing one iCalendar object (a UID: an entry, or a series with its exceptions) into a calendar,
 * inside the caller's transaction, with the domain's rules: the one-day rule, valid recurrence, the
 * overlap check against the rest of the calendar (after all of the object's changes, so an occurrence
 * moved out of a clash does not clash), and overrides only of real occurrences. Shared by CalDAV PUT
 * and import. The caller locks the calendar row first.
 */

/** Why an object cannot be stored: `property` names the iCalendar part (RFC 4791 precondition errors quote it). */
export class ObjectRejected extends AppError {
  constructor(
    message: string,
    readonly property: string | null,
    kind: 'bad_request' | 'conflict' = 'bad_request',
    details: AppError['details'] = {},
  ) {
    super(kind, message, details);
  }
}

/** What a write did. */
export interface WrittenObject {
  event: Event;
  created: boolean;
}

/**
 * Creates or replaces the entry of `object` in `calendar`: `existing` is its current row (or null to
 * create one, with the owner as host); `name` is its resource name (default: the one it has, else
 * `<id>.ics`). Overrides not in `object` are removed; the series' `updatedAt`
 * always moves, so its ETag changes with any of its exceptions.
 * @throws ObjectRejected (400) for problems the domain cannot represent, a series rule it refuses,
 *   the one-day rule, an override of a non-occurrence; (409, with conflicts) on overlap unless `force`.
 */
export async function writeObject(
  em: EntityManager,
  availability: AvailabilityService,
  calendar: Calendar,
  object: IcsObject,
  opts: { existing: Event | null; name?: string; ownerEmail: string; force: boolean },
): Promise<WrittenObject> {
  const [problem] = object.problems;
  if (problem) throw new ObjectRejected(`line ${problem.line}: ${problem.message}`, problem.property);
  const master = object.master;
  if (!master) throw new ObjectRejected('the object has no VEVENT without RECURRENCE-ID', 'RECURRENCE-ID');
  if (object.organizer && object.organizer !== opts.ownerEmail) {
    throw new ObjectRejected(`ORGANIZER ${object.organizer} is not the owner of this calendar: only the owner's own events are stored here`, 'ORGANIZER');
  }

  const existing = opts.existing;
  const event = existing ?? new Event({
    calendar: em.getReference(Calendar, calendar.id, { wrapped: true }),
    host: calendar.owner,
    title: master.title,
    start: master.start,
    end: master.end,
    timeZone: master.timeZone,
  });
  await assertAttendees(em, event, object, opts.ownerEmail, existing !== null);
  assign(event, master);
  guard(() => setRule(event, master.recurrence, { rdates: master.rdates }), (path) => (path.includes('/rdates') ? 'RDATE' : path === '/start' ? 'DTSTART' : 'RRULE'));
  if (master.recurrence) event.exdates = [...new Set(master.exdates.map((d) => d.toISOString()))].sort();
  guard(() => assertEntryTime(event, event.timeZone), 'DTEND');
  event.updatedAt = new Date();
  if (!existing) {
    em.persist(event);
    const host = new Participant(em.getReference(Event, event.id, { wrapped: true }), calendar.owner, 'required');
    Object.assign(host, { isHost: true, response: 'accepted' });
    em.persist(host);
  }

  const overrides = await replaceOverrides(em, event, object);
  if (!opts.force) {
    const items = objectIntervals(event, overrides);
    await availability.assertNoOverlap(calendar.id, items, new Set([event.id]), em);
  }
  const found = await em.findOne(CalendarObject, { eventId: event.id });
  const name = opts.name ?? found?.name ?? `${event.id}.ics`;
  const mapping = found ?? new CalendarObject({ eventId: event.id, calendar: em.getReference(Calendar, calendar.id, { wrapped: true }), uid: object.uid, name });
  Object.assign(mapping, { uid: object.uid, name, preserved: Object.keys(object.preserved).length ? object.preserved : null });
  em.persist(mapping);
  await em.flush();
  return { event, created: !existing };
}

/**
 * The intervals the object occupies: the entry, or the occurrences (overrides applied) up to the
 * overlap horizon; cancelled and transparent ones occupy nothing (`isBusy`).
 */
function objectIntervals(event: Event, overrides: Event[]): Interval[] {
  if (!event.recurrence) return isBusy(event) ? [event] : [];
  const horizon = new Date(event.start.getTime() + OVERLAP_HORIZON_DAYS * 86_400_000);
  const to = event.seriesEnd && event.seriesEnd < horizon ? event.seriesEnd : horizon;
  return mergeTimeline({ singles: [], series: [event], overrides }, { from: event.start, to }).filter((i) => isBusy(i.row));
}

/** Runs a domain check, turning its 400 into a rejection naming `property` (or the one its JSON pointer names). */
function guard(fn: () => void, property: string | ((path: string) => string)): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError && err.kind === 'bad_request') {
      throw new ObjectRejected(err.message, typeof property === 'string' ? property : property(err.details.errors?.[0]?.path ?? ''));
    }
    throw err;
  }
}

function assign(row: Event, c: IcsComponent): void {
  row.title = c.title;
  row.description = c.description;
  row.location = c.location;
  row.status = c.status;
  row.allDay = c.allDay;
  row.transparency = c.transparency;
  row.start = c.start;
  row.end = c.end;
  row.timeZone = c.timeZone;
}

/** Makes the overrides of `series` those of `object` (none for a single entry); returns them. */
async function replaceOverrides(em: EntityManager, series: Event, object: IcsObject): Promise<Event[]> {
  const current = series.recurrence || object.overrides.length ? await em.find(Event, { series: series.id }) : [];
  const wanted = series.recurrence ? object.overrides.filter((o) => !series.exdates.includes(o.recurrenceId.toISOString())) : [];
  const byStart = new Map(current.map((o) => [o.originalStart!.getTime(), o]));
  const kept: Event[] = [];
  for (const o of wanted) {
    assertOccurrence(series, o.recurrenceId);
    let row = byStart.get(o.recurrenceId.getTime());
    byStart.delete(o.recurrenceId.getTime());
    if (!row) {
      row = new Event({ calendar: series.calendar, host: series.host, title: o.title, start: o.start, end: o.end, timeZone: o.timeZone });
      Object.assign(row, { series: em.getReference(Event, series.id, { wrapped: true }), originalStart: o.recurrenceId });
      em.persist(row);
    }
    assign(row, o);
    guard(() => assertEntryTime(row!, row!.timeZone), 'DTEND');
    kept.push(row);
  }
  for (const stale of byStart.values()) em.remove(stale);
  return kept;
}

/** @throws ObjectRejected unless `at` is an occurrence the rule generates. */
function assertOccurrence(series: Event, at: Date): void {
  const timing = { start: series.start, durationMs: 1, timeZone: series.timeZone, allDay: series.allDay, recurrence: toRecurrence(series.recurrence!), rdates: series.rdates.map((d) => new Date(d)) };
  const [hit] = expandOccurrences(timing, { from: at, to: new Date(at.getTime() + 1) }, { limit: 1 });
  if (!hit || hit.originalStart.getTime() !== at.getTime()) {
    throw new ObjectRejected(`RECURRENCE-ID ${at.toISOString()} is not an occurrence of the series`, 'RECURRENCE-ID');
  }
}

/**
 * ATTENDEEs must be the owner or the event's participants already: invitations are sent through the
 * API (REST or GraphQL), which checks that the invitees are users. @throws ObjectRejected
 */
async function assertAttendees(em: EntityManager, event: Event, object: IcsObject, ownerEmail: string, exists: boolean): Promise<void> {
  const others = object.attendees.filter((a) => a.email !== ownerEmail);
  if (others.length === 0) return;
  const known = exists ? new Set((await em.find(Participant, { event: event.id }, { populate: ['user'] })).map((p) => p.user.getEntity().email)) : new Set<string>();
  const unknown = others.find((a) => !known.has(a.email));
  if (unknown) throw new ObjectRejected(`ATTENDEE ${unknown.email} is not a participant: invite people through the API, which checks they are users`, 'ATTENDEE');
}

/** The user's email, lower-cased. */
export async function emailOf(em: EntityManager, userId: string): Promise<string> {
  return (await em.findOneOrFail(User, { id: userId }, { fields: ['email'] })).email;
}
