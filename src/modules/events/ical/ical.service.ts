import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../../infra/actor';
import { ownedCalendar } from '../access/event-access';
import { Event } from '../event.entity';
import { namedParticipantsOf } from '../participants/participant.repository';
import { toIcsEntries } from './ical-mapping';
import { buildCalendarIcs } from './ics';

/** Calendars as iCalendar (RFC 5545): the export now; import and CalDAV belong here too. */
export class ICalendarService {
  constructor(private readonly em: EntityManager) {}

  /**
   * The calendar as RFC 5545 iCalendar: singles, series with RRULE and EXDATE, and overrides as
   * VEVENTs with RECURRENCE-ID, in local time with VTIMEZONE blocks from `vtimezone`; the host as
   * ORGANIZER and every participant as an ATTENDEE with ROLE and PARTSTAT.
   * @throws AppError 404 unless the actor owns the calendar.
   */
  async exportCalendar(actor: Actor, calendarId: string, vtimezone: (tz: string) => string | null): Promise<string> {
    const calendar = await ownedCalendar(this.em, actor, calendarId);
    const rows = await this.em.find(Event, { calendar: calendar.id }, { orderBy: { start: 'asc', id: 'asc' } });
    const attendees = await namedParticipantsOf(this.em, rows.filter((r) => !r.series).map((r) => r.id));
    return buildCalendarIcs({ id: calendar.id, name: calendar.name, timeZone: calendar.timeZone }, toIcsEntries(rows, attendees), { prodId: '//calendar-service//EN', vtimezone });
  }
}
