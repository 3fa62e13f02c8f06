import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../graphql/connection';
import { DateTime, Duration, TimeZone, UUID } from '../../graphql/scalars';

export enum FrequencyValue {
  daily = 'daily',
  weekly = 'weekly',
  monthly = 'monthly',
  yearly = 'yearly',
}
registerEnumType(FrequencyValue, { name: 'Frequency', description: 'RFC 5545 FREQ' });

export enum WeekdayValue {
  MO = 'MO',
  TU = 'TU',
  WE = 'WE',
  TH = 'TH',
  FR = 'FR',
  SA = 'SA',
  SU = 'SU',
}
registerEnumType(WeekdayValue, { name: 'RRuleWeekday', description: 'RFC 5545 weekday code (BYDAY, WKST)' });

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
registerEnumType(EditScopeValue, { name: 'EditScope', description: 'single: one occurrence; following: it and the later ones; all: the whole series' });

export enum EventRoleValue {
  host = 'host',
  participant = 'participant',
  any = 'any',
}
registerEnumType(EventRoleValue, { name: 'EventRole', description: 'host: events the user hosts; participant: events it is invited to and does not host; any: both' });

@ObjectType('Recurrence', { description: 'Repeats at the same local wall-clock time in the series time zone' })
export class RecurrenceType {
  @Field(() => FrequencyValue)
  frequency!: string;

  @Field(() => Int)
  interval!: number;

  @Field(() => Int, { nullable: true })
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

  @Field(() => UUID)
  calendarId!: string;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true })
  location!: string | null;

  @Field(() => EventStatusValue, { description: 'RFC 5545 STATUS; default confirmed' })
  status!: string;

  @Field(() => TransparencyValue, { description: 'RFC 5545 TRANSP; default opaque' })
  transparency!: string;

  @Field(() => DateTime)
  start!: Date;

  @Field(() => DateTime)
  end!: Date;

  @Field(() => Duration, { description: 'ISO 8601, e.g. PT1H30M' })
  duration!: string;

  @Field(() => TimeZone)
  timeZone!: string;

  @Field(() => UUID)
  hostId!: string;

  @Field(() => RecurrenceType, { nullable: true, description: 'set on a series record' })
  recurrence!: RecurrenceType | null;

  @Field(() => UUID, { nullable: true, description: 'set on an occurrence: the series it belongs to' })
  seriesId!: string | null;

  @Field(() => DateTime, { nullable: true })
  originalStart!: Date | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;
}

export const EventConnection = Connection(EventType, 'Event');
