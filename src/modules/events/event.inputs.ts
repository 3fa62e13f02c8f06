import { ArrayMaxSize, IsOptional, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { DateTime, Duration, TimeZone, UUID } from '../../graphql/scalars';
import type { Frequency, Weekday } from './domain/rrule';
import type { EventStatus, Transparency } from './domain/event-status';
import { EventRoleValue, EventStatusValue, FrequencyValue, TransparencyValue, WeekdayValue } from './event.type';
import { ParticipantInput } from './participants/participant.inputs';
import type { EventRoleFilter } from './timeline/timeline.repository';

@InputType({
  description: 'RFC 5545 recurrence: the RRULE as fields, as rrule text, or both when they agree; count and until exclude each other, neither repeats forever. rdates absent: none; exdates absent: the series keeps its exception dates',
})
export class RecurrenceInput {
  @Field(() => FrequencyValue, { nullable: true, description: 'required unless rrule is given' })
  frequency?: Frequency;

  @Field(() => Int, { nullable: true, description: 'default 1' })
  @IsOptional()
  @Min(1)
  @Max(1000)
  interval?: number;

  @Field(() => Int, { nullable: true, description: 'number of occurrences, 1 to 10000; not with until' })
  @IsOptional()
  @Min(1)
  @Max(10000)
  count?: number;

  @Field(() => DateTime, { nullable: true, description: 'inclusive' })
  until?: Date;

  @Field(() => [String], { nullable: true, description: 'BYDAY: MO, 2TU, -1FR (ordinals with monthly and yearly rules)' })
  @IsOptional()
  @ArrayMaxSize(366)
  byDay?: string[];

  @Field(() => [Int], { nullable: true, description: 'BYMONTHDAY: 1..31 or -31..-1' })
  @IsOptional()
  @ArrayMaxSize(366)
  byMonthDay?: number[];

  @Field(() => [Int], { nullable: true, description: 'BYYEARDAY: 1..366 or negative (yearly)' })
  @IsOptional()
  @ArrayMaxSize(366)
  byYearDay?: number[];

  @Field(() => [Int], { nullable: true, description: 'BYWEEKNO: 1..53 or negative (yearly)' })
  @IsOptional()
  @ArrayMaxSize(366)
  byWeekNo?: number[];

  @Field(() => [Int], { nullable: true, description: 'BYMONTH: 1..12' })
  @IsOptional()
  @ArrayMaxSize(366)
  byMonth?: number[];

  @Field(() => [Int], { nullable: true, description: "BYSETPOS: the n-th of each period's occurrences" })
  @IsOptional()
  @ArrayMaxSize(366)
  bySetPos?: number[];

  @Field(() => [Int], { nullable: true, description: 'BYHOUR: 0..23' })
  @IsOptional()
  @ArrayMaxSize(366)
  byHour?: number[];

  @Field(() => [Int], { nullable: true, description: 'BYMINUTE: 0..59' })
  @IsOptional()
  @ArrayMaxSize(366)
  byMinute?: number[];

  @Field(() => [Int], { nullable: true, description: 'BYSECOND: 0..59' })
  @IsOptional()
  @ArrayMaxSize(366)
  bySecond?: number[];

  @Field(() => WeekdayValue, { nullable: true, description: 'WKST, default MO' })
  wkst?: Weekday;

  @Field(() => String, { nullable: true, description: 'RFC 5545 RRULE value, e.g. FREQ=MONTHLY;BYDAY=2TU' })
  @IsOptional()
  @MaxLength(2000)
  rrule?: string;

  @Field(() => [DateTime], { nullable: true, description: 'RDATE: extra occurrences' })
  @IsOptional()
  @ArrayMaxSize(1000)
  rdates?: Date[];

  @Field(() => [DateTime], { nullable: true, description: 'EXDATE: cancelled occurrences by original start (replaces the exception dates)' })
  @IsOptional()
  @ArrayMaxSize(1000)
  exdates?: Date[];
}

@InputType({ description: 'timed: start plus end or duration (both only when they agree); all-day: allDay with startDate (and endDate)' })
export class CreateEventInput {
  @Field(() => UUID, { nullable: true, description: "default: the caller's primary calendar" })
  calendarId?: string;

  @Field({ description: '1 to 200 characters' })
  @Length(1, 200)
  title!: string;

  @Field(() => String, { nullable: true, description: 'at most 5000 characters' })
  @IsOptional()
  @MaxLength(5000)
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'at most 500 characters' })
  @IsOptional()
  @MaxLength(500)
  location?: string | null;

  @Field(() => EventStatusValue, { nullable: true, description: 'RFC 5545 STATUS; default confirmed' })
  status?: EventStatus;

  @Field(() => TransparencyValue, { nullable: true, description: 'RFC 5545 TRANSP; default opaque' })
  transparency?: Transparency;

  @Field(() => DateTime, { nullable: true, description: 'timed entries: the start, with an offset or Z (with end or duration)' })
  start?: Date;

  @Field(() => Boolean, { nullable: true, description: 'all-day entry (default false; true when startDate is given)' })
  allDay?: boolean;

  @Field(() => String, { nullable: true, description: 'all-day: first day, YYYY-MM-DD in timeZone' })
  @IsOptional()
  @MaxLength(10)
  startDate?: string;

  @Field(() => String, { nullable: true, description: 'all-day: the day after the last one (exclusive); default startDate + 1' })
  @IsOptional()
  @MaxLength(10)
  endDate?: string;

  @Field(() => DateTime, { nullable: true, description: 'exclusive; or give duration' })
  end?: Date;

  @Field(() => Duration, { nullable: true, description: 'ISO 8601, e.g. PT1H30M' })
  duration?: string;

  @Field(() => TimeZone, { nullable: true, description: "default: the calendar's" })
  timeZone?: string;

  @Field(() => RecurrenceInput, { nullable: true, description: 'makes the event a series' })
  @IsOptional()
  @ValidateNested()
  recurrence?: RecurrenceInput;

  @Field(() => [ParticipantInput], { nullable: true, description: 'invitees; the caller hosts and is always a participant' })
  @IsOptional()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  participants?: ParticipantInput[];
}

@InputType({ description: 'Only the fields given change; moving only start keeps the duration' })
export class UpdateEventInput {
  @Field({ nullable: true, description: '1 to 200 characters' })
  @IsOptional()
  @Length(1, 200)
  title?: string;

  @Field(() => String, { nullable: true, description: 'at most 5000 characters; null clears it' })
  @IsOptional()
  @MaxLength(5000)
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'at most 500 characters; null clears it' })
  @IsOptional()
  @MaxLength(500)
  location?: string | null;

  @Field(() => EventStatusValue, { nullable: true, description: 'RFC 5545 STATUS' })
  status?: EventStatus;

  @Field(() => TransparencyValue, { nullable: true, description: 'RFC 5545 TRANSP' })
  transparency?: Transparency;

  @Field(() => DateTime, { nullable: true, description: 'with an offset or Z; alone, it keeps the duration' })
  start?: Date;

  @Field(() => Boolean, { nullable: true, description: 'true makes it all-day (with startDate), false timed (with start)' })
  allDay?: boolean;

  @Field(() => String, { nullable: true, description: 'all-day: first day, YYYY-MM-DD' })
  @IsOptional()
  @MaxLength(10)
  startDate?: string;

  @Field(() => String, { nullable: true, description: 'all-day: the day after the last one (exclusive)' })
  @IsOptional()
  @MaxLength(10)
  endDate?: string;

  @Field(() => DateTime, { nullable: true, description: 'exclusive' })
  end?: Date;

  @Field(() => Duration, { nullable: true, description: 'ISO 8601, e.g. PT1H30M' })
  duration?: string;

  @Field(() => TimeZone, { nullable: true, description: 'IANA zone' })
  timeZone?: string;

  @Field(() => RecurrenceInput, { nullable: true, description: 'null makes a series a single event' })
  @IsOptional()
  @ValidateNested()
  recurrence?: RecurrenceInput | null;
}

@InputType({ description: "A user's events (default: the caller's), by role, optionally intersecting [from, to) and in one calendar" })
export class EventFilter {
  @Field(() => UUID, { nullable: true, description: 'default: the caller; another user needs an admin' })
  userId?: string;

  @Field(() => EventRoleValue, { defaultValue: EventRoleValue.any, description: 'which events of the user: hosted, invited to, or both (default any)' })
  role!: EventRoleFilter;

  @Field(() => DateTime, { nullable: true, description: 'with to: events ending after it; without from/to, no date bound and series listed once' })
  from?: Date;

  @Field(() => DateTime, { nullable: true, description: 'exclusive, with from; the window may be up to 400 years long: a page is bounded by first/after, not by the window' })
  to?: Date;

  @Field(() => UUID, { nullable: true, description: 'only events of this calendar' })
  calendarId?: string;
}
