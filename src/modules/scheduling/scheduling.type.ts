import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime, TimeZone, UUID } from '../../graphql/scalars';
import type { Weekday } from './domain/working-hours';

export enum WeekdayValue {
  monday = 'monday',
  tuesday = 'tuesday',
  wednesday = 'wednesday',
  thursday = 'thursday',
  friday = 'friday',
  saturday = 'saturday',
  sunday = 'sunday',
}
registerEnumType(WeekdayValue, { name: 'Weekday', description: 'A day of the week', valuesConfig: { monday: { description: 'Monday' }, tuesday: { description: 'Tuesday' }, wednesday: { description: 'Wednesday' }, thursday: { description: 'Thursday' }, friday: { description: 'Friday' }, saturday: { description: 'Saturday' }, sunday: { description: 'Sunday' } } });

@ObjectType('WorkingHours', { description: 'The hours of the week a user accepts meetings in, in its own time zone (default Monday–Friday 09:00–17:00)' })
export class WorkingHoursType {
  @Field(() => UUID, { description: 'the user they belong to' })
  userId!: string;

  @Field(() => TimeZone, { description: "the user's time zone, which the hours are in (they follow it when it changes)" })
  timeZone!: string;

  @Field(() => [WeekdayValue], { description: 'the working days' })
  daysOfWeek!: Weekday[];

  @Field({ description: 'HH:MM local time, inclusive' })
  startTime!: string;

  @Field({ description: 'HH:MM local time (24:00 = midnight), exclusive' })
  endTime!: string;

  @Field({ description: 'true until the user sets its own' })
  isDefault!: boolean;
}

@ObjectType('BusyInterval', { description: 'A busy stretch [start, end): merged across entries, clipped to the window' })
export class BusyIntervalType {
  @Field(() => DateTime, { description: 'start (inclusive), UTC' })
  start!: Date;

  @Field(() => DateTime, { description: 'end (exclusive), UTC' })
  end!: Date;
}

@ObjectType('FreeBusyError', { description: 'Why an item has no answer' })
export class FreeBusyErrorType {
  @Field({ description: "notFound: an unknown user, or a calendar that is unknown or not the caller's" })
  reason!: string;
}

@ObjectType('FreeBusyItem', { description: 'The answer for one requested user or calendar' })
export class FreeBusyItemType {
  @Field(() => UUID, { nullable: true, description: 'the user asked for, if it was a user' })
  userId?: string;

  @Field(() => UUID, { nullable: true, description: 'the calendar asked for, if it was a calendar' })
  calendarId?: string;

  @Field(() => [BusyIntervalType], { description: 'its busy stretches in the window, sorted, merged' })
  busy!: BusyIntervalType[];

  @Field(() => [FreeBusyErrorType], { description: 'empty when the item was answered' })
  errors!: FreeBusyErrorType[];
}

@ObjectType('FreeBusy', { description: 'When users and calendars are busy: times only, never titles or ids' })
export class FreeBusyType {
  @Field(() => DateTime, { description: 'start of the window (inclusive), as asked' })
  timeMin!: Date;

  @Field(() => DateTime, { description: 'end of the window (exclusive), as asked' })
  timeMax!: Date;

  @Field(() => [FreeBusyItemType], { description: 'one per requested item, in request order' })
  items!: FreeBusyItemType[];
}

@ObjectType('MeetingSuggestion', { description: 'A slot in which every required attendee is free and within its working hours' })
export class MeetingSuggestionType {
  @Field(() => DateTime, { description: 'start of the slot, UTC' })
  start!: Date;

  @Field(() => DateTime, { description: 'end of the slot (exclusive), UTC' })
  end!: Date;

  @Field(() => [UUID], { description: 'the optional attendees free for the whole slot' })
  availableOptionalAttendees!: string[];
}
