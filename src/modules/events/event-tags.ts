import type { EntityManager } from '@mikro-orm/postgresql';
import { Calendar } from '../calendars/calendar.entity';
import { Participant } from './participants/participant.entity';

/** Cache tags of the events module (src/infra/cache.ts): what its cached listings were read from. */
export const EventTags = {
  /** Entries of a calendar (listings over a range). */
  calendar: (calendarId: string) => `calendar:${calendarId}`,
  /** Events a user hosts or attends (/events listings, meeting anchors). */
  eventsOf: (userId: string) => `events-of:${userId}`,
};

/**
 * Cache tags a write to these events (of one calendar) must invalidate: the calendar's listings, and
 * the /events listings and meeting anchors of everyone taking part. Read them before a write that
 * removes participants; invalidate after the transaction commits, before the response.
 * @param em - the request's manager, or the transaction's inside one.
 */
export async function tagsOfEvents(em: EntityManager, calendarId: string, eventIds: string[]): Promise<string[]> {
  const participants = eventIds.length ? await em.find(Participant, { event: { $in: eventIds } }, { fields: ['user'] }) : [];
  return [EventTags.calendar(calendarId), ...new Set(participants.map((p) => EventTags.eventsOf(p.user.id)))];
}

/**
 * Cache tags of everything held in calendars, for a write that removes them (deleting a calendar,
 * or its owner): their listings and the /events listings of everyone taking part in their events.
 * Read it before the deletion.
 */
export async function tagsOfCalendars(em: EntityManager, where: { calendarId: string } | { ownerId: string }): Promise<string[]> {
  const calendars = 'calendarId' in where ? [where.calendarId] : (await em.find(Calendar, { owner: where.ownerId }, { fields: ['id'] })).map((c) => c.id);
  const participants = calendars.length ? await em.find(Participant, { event: { calendar: { $in: calendars } } }, { fields: ['user'] }) : [];
  return [...calendars.map(EventTags.calendar), ...new Set(participants.map((p) => EventTags.eventsOf(p.user.id)))];
}
