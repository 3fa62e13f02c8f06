import { Entity, ManyToOne, PrimaryKey, Property, type Ref, Unique } from '@mikro-orm/core';
import { Calendar } from '../../calendars/calendar.entity';
import type { PreservedParts } from './ics-parse';

/**
 * The iCalendar identity of an entry or series that came from a CalDAV client or an import (RFC 4791
 * §4.1 calendar object resource): its UID and resource name, which the client chose and expects to
 * keep, and the properties it sent that the domain does not model (VALARM, X-…), written back on
 * export. Entries without a row use their id as UID and `<id>.ics` as name.
 *
 * `eventId` has no foreign key on purpose: the row outlives its entry, so a later PUT or import of the
 * same UID or name finds it again and a deleted resource is still named by its href.
 */
@Entity({ tableName: 'calendar_objects' })
@Unique({ name: 'calendar_objects_uid_unique', properties: ['calendar', 'uid'] })
@Unique({ name: 'calendar_objects_name_unique', properties: ['calendar', 'name'] })
export class CalendarObject {
  @PrimaryKey({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => Calendar, { ref: true, deleteRule: 'cascade' })
  calendar: Ref<Calendar>;

  /** UID (RFC 5545 §3.8.4.7), at most 255 characters. */
  @Property({ length: 255 })
  uid: string;

  /** The last path segment of the resource (`abc.ics`), at most 255 characters. */
  @Property({ length: 255 })
  name: string;

  /** Unmodelled properties and components as jCal, by VEVENT (`master` or RECURRENCE-ID). */
  @Property({ type: 'json', nullable: true })
  preserved?: PreservedParts | null;

  constructor(init: { eventId: string; calendar: Ref<Calendar>; uid: string; name: string }) {
    this.eventId = init.eventId;
    this.calendar = init.calendar;
    this.uid = init.uid;
    this.name = init.name;
  }
}
