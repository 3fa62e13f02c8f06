import { randomUUID } from 'node:crypto';
import { Check, Collection, Entity, Index, ManyToOne, OneToMany, OptionalProps, PrimaryKey, Property, type Ref, Unique } from '@mikro-orm/core';
import { Calendar } from '../calendars/calendar.entity';
import { User } from '../users/user.entity';
import type { EventStatus, Transparency } from './domain/event-status';
import type { RecurrenceRecord } from './domain/recurrence-record';
// Type-only: the participant entity refers to this one (its owning side), so the inverse side names
// it by string and the two files do not import each other at run time.
import type { Participant } from './participants/participant.entity';

/**
 * A calendar entry (= event, = meeting): one contiguous block of time `[start, end)` within one
 * calendar day of `timeZone`. Times are UTC instants (`timestamptz`). A row is one of:
 * - a single entry (`recurrence` and `series` null);
 * - a series (`recurrence` set): `start`/`end` are its first occurrence, `seriesEnd` the end of its
 *   last (null when endless), `rdates` its extra occurrences and `exdates` its cancelled ones;
 * - an override of one occurrence of a series (`series` and `originalStart` set): that occurrence's
 *   own fields. Overrides are only reached through their series.
 *
 * Index `events_calendar_range_idx` (calendar_id, start_at, end_at) serves both the range listing
 * and the overlap check: both filter `calendar_id = ? and start_at < :to and start_at > :from - 1 day
 * and end_at > :from` (an entry lasts at most one day, which bounds `start_at` from below).
 */
@Entity({ tableName: 'events' })
@Check({ name: 'events_end_after_start', expression: '"end_at" > "start_at"' })
@Check({ name: 'events_status_check', expression: `"status" in ('confirmed', 'tentative', 'cancelled')` })
@Check({ name: 'events_transparency_check', expression: `"transparency" in ('opaque', 'transparent')` })
@Index({ name: 'events_calendar_range_idx', properties: ['calendar', 'start', 'end'] })
@Index({ name: 'events_host_range_idx', properties: ['host', 'start'] })
@Index({ name: 'events_all_day_idx', expression: 'create index "events_all_day_idx" on "events" ("calendar_id", "start_at") where "all_day"' })
@Index({ name: 'events_series_idx', expression: 'create index "events_series_idx" on "events" ("calendar_id", "start_at", "series_end") where "recurrence" is not null' })
@Unique({ name: 'events_override_unique', properties: ['series', 'originalStart'] })
export class Event {
  [OptionalProps]?: 'description' | 'location' | 'createdAt' | 'updatedAt' | 'recurrence' | 'seriesEnd' | 'exdates' | 'rdates' | 'series' | 'originalStart' | 'status' | 'transparency' | 'allDay' | 'sequence';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Calendar, { ref: true, deleteRule: 'cascade' })
  calendar: Ref<Calendar>;

  @Property({ length: 200 })
  title: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Property({ length: 500, nullable: true })
  location?: string | null;

  /**
   * An all-day entry (RFC 5545 DTSTART;VALUE=DATE): `start`/`end` are the starts of its first day and
   * of the day after its last in `timeZone`; it may span several days (events_all_day_idx).
   */
  @Property({ default: false })
  allDay: boolean = false;

  /** RFC 5545 STATUS; a cancelled entry stays listed but never conflicts nor counts as busy. */
  @Property({ length: 16, default: 'confirmed' })
  status: EventStatus = 'confirmed';

  /**
   * RFC 5545 SEQUENCE (§3.8.7.4): 0, then one more on each change of start, end, zone, all-day, rule,
   * extra or exception dates, or status. Kept by the `events_sequence` trigger, never written here.
   */
  @Property({ default: 0 })
  sequence: number = 0;

  /** RFC 5545 TRANSP; a transparent entry never conflicts nor counts as busy. */
  @Property({ length: 16, default: 'opaque' })
  transparency: Transparency = 'opaque';

  @Property({ type: 'datetime', fieldName: 'start_at' })
  start: Date;

  @Property({ type: 'datetime', fieldName: 'end_at' })
  end: Date;

  /** IANA time zone the entry is planned in; defaults to its calendar's. */
  @Property({ length: 64 })
  timeZone: string;

  /** The host; always the owner of `calendar` and listed among `participants` with isHost. */
  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  host: Ref<User>;

  @OneToMany({ entity: 'Participant', mappedBy: 'event' })
  participants = new Collection<Participant>(this);

  /** Set on a series. */
  @Property({ type: 'json', nullable: true })
  recurrence?: RecurrenceRecord | null;

  /** Of a series: the end of its last occurrence, null when endless (SQL prefilter of series). */
  @Property({ type: 'datetime', nullable: true })
  seriesEnd?: Date | null;

  /** Of a series: extra occurrences, by start (RFC 5545 RDATE), ISO 8601 UTC, sorted. */
  @Property({ type: 'json', default: '[]' })
  rdates: string[] = [];

  /** Of a series: cancelled occurrences, by original start (RFC 5545 EXDATE), ISO 8601 UTC. */
  @Property({ type: 'json', default: '[]' })
  exdates: string[] = [];

  /** Of an override: the series it belongs to (deleted with it). */
  @ManyToOne(() => Event, { ref: true, nullable: true, deleteRule: 'cascade', index: 'events_series_id_idx' })
  series?: Ref<Event> | null;

  /** Of an override: the start the occurrence had in its series (RFC 5545 RECURRENCE-ID). */
  @Property({ type: 'datetime', nullable: true })
  originalStart?: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(init: { calendar: Ref<Calendar>; host: Ref<User>; title: string; start: Date; end: Date; timeZone: string }) {
    this.calendar = init.calendar;
    this.host = init.host;
    this.title = init.title;
    this.start = init.start;
    this.end = init.end;
    this.timeZone = init.timeZone;
  }
}

/**
 * The fields of an event row that listings read, relations as `{ id }`. An `Event` entity is one; so
 * is a row read without hydrating an entity (timeline/timeline.repository.ts), which listings use because
 * creating entities costs more than the query for a month view.
 */
export type EventRecord = Pick<Event, 'id' | 'title' | 'description' | 'location' | 'status' | 'transparency' | 'allDay' | 'sequence' | 'start' | 'end' | 'timeZone' | 'recurrence' | 'seriesEnd' | 'rdates' | 'exdates' | 'originalStart' | 'createdAt' | 'updatedAt'> & {
  calendar: { id: string };
  host: { id: string };
  series?: { id: string } | null;
};
