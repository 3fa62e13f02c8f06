import { ArrayMaxSize, IsOptional, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { DateTime, Duration, TimeZone, UUID } from '../../graphql/scalars';
import type { Frequency } from './domain/rrule';
import type { EventStatus, Transparency } from './domain/event-status';
import { EventRoleValue, EventStatusValue, FrequencyValue, TransparencyValue } from './event.type';
import { ParticipantInput } from './participants/participant.inputs';
import type { EventRoleFilter } from './timeline/timeline.repository';

@InputType({ description: 'count and until exclude each other; neither repeats forever' })
export class RecurrenceInput {
  @Field(() => FrequencyValue)
  frequency!: Frequency;

  @Field(() => Int, { defaultValue: 1 })
  @Min(1)
  @Max(1000)
  interval!: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(10000)
  count?: number;

  @Field(() => DateTime, { nullable: true, description: 'inclusive' })
  until?: Date;
}

@InputType({ description: 'start plus end or duration (both only when they agree)' })
export class CreateEventInput {
  @Field(() => UUID, { nullable: true, description: "default: the caller's primary calendar" })
  calendarId?: string;

  @Field()
  @Length(1, 200)
  title!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000)
  description?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  location?: string | null;

  @Field(() => EventStatusValue, { nullable: true, description: 'RFC 5545 STATUS; default confirmed' })
  status?: EventStatus;

  @Field(() => TransparencyValue, { nullable: true, description: 'RFC 5545 TRANSP; default opaque' })
  transparency?: Transparency;

  @Field(() => DateTime)
  start!: Date;

  @Field(() => DateTime, { nullable: true })
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
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 200)
  title?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000)
  description?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  location?: string | null;

  @Field(() => EventStatusValue, { nullable: true })
  status?: EventStatus;

  @Field(() => TransparencyValue, { nullable: true })
  transparency?: Transparency;

  @Field(() => DateTime, { nullable: true })
  start?: Date;

  @Field(() => DateTime, { nullable: true })
  end?: Date;

  @Field(() => Duration, { nullable: true })
  duration?: string;

  @Field(() => TimeZone, { nullable: true })
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

  @Field(() => EventRoleValue, { defaultValue: EventRoleValue.any })
  role!: EventRoleFilter;

  @Field(() => DateTime, { nullable: true })
  from?: Date;

  @Field(() => DateTime, { nullable: true })
  to?: Date;

  @Field(() => UUID, { nullable: true })
  calendarId?: string;
}
