import { Entity, OneToOne, Property, type Ref } from '@mikro-orm/core';
import { Calendar } from '../../calendars/calendar.entity';

/**
 * The secret subscription URL of a calendar (`/calendars/:id/feed/:token.ics`): whoever has the token
 * reads the calendar as iCalendar without signing in, as Google Calendar "From URL", Apple and
 * Thunderbird subscriptions need. The owner rotates it (a new token; the old URL stops working) or
 * revokes it. Deleted with the calendar.
 */
@Entity({ tableName: 'calendar_feeds' })
export class CalendarFeed {
  @OneToOne(() => Calendar, { ref: true, primary: true, deleteRule: 'cascade', owner: true })
  calendar!: Ref<Calendar>;

  /** 32 random bytes, base64url (43 characters). */
  @Property({ length: 64 })
  token!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
