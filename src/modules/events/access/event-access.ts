import { type EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { Actor } from '../../../infra/actor';
import { AppError } from '../../../infra/errors';
import { Calendar } from '../../calendars/calendar.entity';
import { occurrenceId, parseEntryId } from '../domain/event-id';
import { Event } from '../event.entity';
import { occurrencesOf, type TimelineItem } from '../domain/timeline';

/**
 * The lookups every capability of the events module authorises with: the event an actor may see, the
 * calendar an actor owns, the entry (event, series or occurrence) an id names. Someone else's data
 * reads as 404: its existence is not revealed. Each takes the manager to read with (the request's,
 * or a transaction's).
 */

/** Where an entry id points: the event row, and for an occurrence its original start. */
export interface EntryTarget {
  event: Event;
  originalStart?: Date;
}

/**
 * A single event or series the actor may see, by UUID: in calendar `calendarId` the actor owns when
 * given (calendar routes); otherwise one it hosts or is invited to (admins see all).
 * @throws AppError 400 (not a UUID, or an occurrence id), 404 otherwise.
 */
export async function visibleEvent(em: EntityManager, actor: Actor, id: string, calendarId?: string): Promise<Event> {
  const { eventId, originalStart } = parseEntryId(id);
  if (originalStart) throw AppError.invalid('/id', 'give the series id, not an occurrence id');
  return findVisible(em, actor, eventId, calendarId);
}

/**
 * Parses an entry id (`<uuid>` or `<seriesId>_<YYYYMMDDTHHMMSSZ>`, or a series id plus `occurrence`)
 * and loads its visible row; an occurrence must exist in its series.
 * @throws AppError 400 (malformed id, occurrence of a non-series), 404 (not visible, no such occurrence).
 */
export async function entryTarget(em: EntityManager, actor: Actor, id: string, opts: { calendarId?: string; occurrence?: Date }): Promise<EntryTarget> {
  const parsed = parseEntryId(id);
  const originalStart = parsed.originalStart ?? opts.occurrence;
  const event = await findVisible(em, actor, parsed.eventId, opts.calendarId);
  if (!originalStart) return { event };
  if (!event.recurrence) throw AppError.invalid('/id', `${event.id} is not a series: it has no occurrences`);
  await occurrenceItem(em, event, originalStart); // 404 unless it is an occurrence
  return { event, originalStart };
}

/** The occurrence of `series` at `originalStart`, with its override applied. @throws AppError 404 */
export async function occurrenceItem(em: EntityManager, series: Event, originalStart: Date): Promise<TimelineItem<Event>> {
  const at = { from: originalStart, to: new Date(originalStart.getTime() + 1) };
  const occurrence = occurrencesOf(series, at).find((o) => o.originalStart.getTime() === originalStart.getTime());
  if (!occurrence) throw AppError.notFound('occurrence', occurrenceId(series.id, originalStart));
  const override = await em.findOne(Event, { series: series.id, originalStart });
  const row = override ?? series;
  return { id: occurrenceId(series.id, originalStart), start: override?.start ?? occurrence.start, end: override?.end ?? occurrence.end, row, series, originalStart };
}

/**
 * The calendar `id` (default: the actor's primary one) if the actor owns it, optionally locked
 * (`FOR UPDATE`) for the rest of the transaction. @throws AppError 404
 */
export async function ownedCalendar(em: EntityManager, actor: Actor, id: string | undefined, lock = false): Promise<Calendar> {
  const where = id ? { id, owner: actor.userId } : { owner: actor.userId, isPrimary: true };
  const calendar = await em.findOne(Calendar, where, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  if (!calendar) throw AppError.notFound('calendar', id);
  return calendar;
}

/** @throws AppError 403 unless the actor hosts the event (participants may read it, not change it). */
export function assertHost(actor: Actor, event: Event): Event {
  if (event.host.id !== actor.userId) throw new AppError('forbidden', 'only the host changes this event');
  return event;
}

/** See {@link visibleEvent}; `id` is a UUID. */
async function findVisible(em: EntityManager, actor: Actor, id: string, calendarId?: string): Promise<Event> {
  let where: Record<string, unknown>;
  if (calendarId) where = { id, series: null, calendar: { id: calendarId, owner: actor.userId } };
  else if (actor.role === 'admin') where = { id, series: null };
  else where = { id, series: null, $or: [{ host: actor.userId }, { participants: { user: actor.userId } }] };
  const event = await em.findOne(Event, where);
  if (!event) throw AppError.notFound('event', id);
  return event;
}
