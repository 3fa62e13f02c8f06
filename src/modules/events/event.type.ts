import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../graphql/connection';
import { DateTime, Duration, TimeZone, UUID } from '../../graphql/scalars';

export enum FrequencyValue {
  daily = 'daily',
  weekly = 'weekly',
  monthly = 'monthly',
  yearly = 'yearly',
}
registerEnumType(FrequencyValue, { name: 'Frequency', description: 'RFC 5545 FREQ', valuesConfig: { daily: { description: 'every day (FREQ=DAILY)' }, weekly: { description: 'every week (FREQ=WEEKLY)' }, monthly: { description: 'every month (FREQ=MONTHLY)' }, yearly: { description: 'every year (FREQ=YEARLY)' } } });

export enum WeekdayValue {
  MO = 'MO',
  TU = 'TU',
  WE = 'WE',
  TH = 'TH',
  FR = 'FR',
  SA = 'SA',
  SU = 'SU',
}
registerEnumType(WeekdayValue, { name: 'RRuleWeekday', description: 'RFC 5545 weekday code (BYDAY, WKST)', valuesConfig: { MO: { description: 'Monday' }, TU: { description: 'Tuesday' }, WE: { description: 'Wednesday' }, TH: { description: 'Thursday' }, FR: { description: 'Friday' }, SA: { description: 'Saturday' }, SU: { description: 'Sunday' } } });

export enum EventStatusValue {
  confirmed = 'confirmed',
  tentative = 'tentative',
  cancelled = 'cancelled',
}
registerEnumType(EventStatusValue, {
  name: 'EventStatus',
  description: 'RFC 5545 STATUS of an entry',
  valuesConfig: {
    confirmed: { description: 'the default: it takes place' },
    tentative: { description: 'not yet sure; still busy time' },
    cancelled: { description: 'called off: still listed, never conflicts and is never busy' },
  },
});

export enum TransparencyValue {
  opaque = 'opaque',
  transparent = 'transparent',
}
registerEnumType(TransparencyValue, {
  name: 'Transparency',
  description: 'RFC 5545 TRANSP: whether an entry blocks its time',
  valuesConfig: {
    opaque: { description: 'the default: the time is busy and overlapping entries conflict' },
    transparent: { description: 'a birthday, a reminder: never conflicts and is never busy' },
  },
});

export enum EditScopeValue {
  single = 'single',
  following = 'following',
  all = 'all',
}
registerEnumType(EditScopeValue, { name: 'EditScope', description: 'single: one occurrence; following: it and the later ones; all: the whole series', valuesConfig: { single: { description: 'only this occurrence' }, following: { description: 'this occurrence and the later ones (the series is split there)' }, all: { description: 'the whole series' } } });

export enum EventRoleValue {
  host = 'host',
  participant = 'participant',
  any = 'any',
}
registerEnumType(EventRoleValue, { name: 'EventRole', description: 'host: events the user hosts; participant: events it is invited to and does not host; any: both', valuesConfig: { host: { description: 'events the user hosts' }, participant: { description: 'events the user is invited to and does not host' }, any: { description: 'both' } } });

@ObjectType('Recurrence', { description: 'Repeats at the same local wall-clock time in the series time zone' })
export class RecurrenceType {
  @Field(() => FrequencyValue, { description: 'how often it repeats (RFC 5545 FREQ)' })
  frequency!: string;

  @Field(() => Int, { description: 'every how many periods (RFC 5545 INTERVAL), at least 1' })
  interval!: number;

  @Field(() => Int, { nullable: true, description: 'number of occurrences (RFC 5545 COUNT); null with until or when endless' })
  count!: number | null;

  @Field(() => DateTime, { nullable: true, description: 'inclusive (RFC 5545)' })
  until!: Date | null;

  @Field(() => [String], { nullable: true, description: 'BYDAY: weekdays with an optional ordinal (MO, 2TU, -1FR)' })
  byDay?: string[];

  @Field(() => [Int], { nullable: true, description: 'BYMONTHDAY (negative: from the end of the month)' })
  byMonthDay?: number[];

  @Field(() => [Int], { nullable: true, description: 'BYYEARDAY' })
  byYearDay?: number[];

  @Field(() => [Int], { nullable: true, description: 'BYWEEKNO (weeks starting on wkst)' })
  byWeekNo?: number[];

  @Field(() => [Int], { nullable: true, description: 'BYMONTH' })
  byMonth?: number[];

  @Field(() => [Int], { nullable: true, description: "BYSETPOS: the n-th of each period's occurrences" })
  bySetPos?: number[];

  @Field(() => [Int], { nullable: true, description: 'BYHOUR' })
  byHour?: number[];

  @Field(() => [Int], { nullable: true, description: 'BYMINUTE' })
  byMinute?: number[];

  @Field(() => [Int], { nullable: true, description: 'BYSECOND' })
  bySecond?: number[];

  @Field(() => WeekdayValue, { nullable: true, description: 'WKST, when not MO' })
  wkst?: string;

  @Field({ description: 'the canonical RFC 5545 RRULE of the fields, e.g. FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR' })
  rrule!: string;

  @Field(() => [DateTime], { description: 'RDATE: extra occurrences, sorted' })
  rdates!: Date[];

  @Field(() => [DateTime], { description: 'EXDATE: cancelled occurrences by original start, sorted' })
  exdates!: Date[];
}

@ObjectType('Event', { description: 'A calendar entry (meeting): one block of time within one day of its time zone' })
export class EventType {
  @Field(() => String, { description: 'UUID, or <seriesId>_<YYYYMMDDTHHMMSSZ> for an occurrence of a series' })
  id!: string;

  @Field(() => UUID, { description: 'the calendar that holds it' })
  calendarId!: string;

  @Field({ description: 'its title, 1 to 200 characters' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'free text, at most 5000 characters' })
  description!: string | null;

  @Field(() => String, { nullable: true, description: 'where it takes place, at most 500 characters' })
  location!: string | null;

  @Field(() => EventStatusValue, { description: 'RFC 5545 STATUS; default confirmed' })
  status!: string;

  @Field(() => TransparencyValue, { description: 'RFC 5545 TRANSP; default opaque' })
  transparency!: string;

  @Field({ description: 'an all-day entry (RFC 5545 DTSTART;VALUE=DATE): startDate and endDate are its dates' })
  allDay!: boolean;

  @Field(() => String, { nullable: true, description: 'all-day: first day (YYYY-MM-DD) in timeZone' })
  startDate!: string | null;

  @Field(() => String, { nullable: true, description: 'all-day: the day after the last one (exclusive)' })
  endDate!: string | null;

  @Field(() => DateTime, { description: 'its start, UTC; all-day: the start of startDate in timeZone' })
  start!: Date;

  @Field(() => DateTime, { description: 'its end (exclusive), UTC' })
  end!: Date;

  @Field(() => Duration, { description: 'ISO 8601, e.g. PT1H30M' })
  duration!: string;

  @Field(() => TimeZone, { description: 'IANA zone of its wall-clock time (occurrences of a series keep it across DST)' })
  timeZone!: string;

  @Field(() => UUID, { description: "the user who hosts it (the calendar's owner); always a participant" })
  hostId!: string;

  @Field(() => RecurrenceType, { nullable: true, description: 'set on a series record' })
  recurrence!: RecurrenceType | null;

  @Field(() => UUID, { nullable: true, description: 'set on an occurrence: the series it belongs to' })
  seriesId!: string | null;

  @Field(() => DateTime, { nullable: true, description: 'set on an occurrence: the start the series gave it (RECURRENCE-ID), even once moved' })
  originalStart!: Date | null;

  @Field(() => DateTime, { description: 'when it was created' })
  createdAt!: Date;

  @Field(() => DateTime, { description: 'when it last changed' })
  updatedAt!: Date;
}

export const EventConnection = Connection(EventType, 'Event');
