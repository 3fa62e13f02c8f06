import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { DateTime, Duration, UUID } from '../../graphql/scalars';
import { DEFAULT_SUGGESTIONS, MAX_ATTENDEES, MAX_FREE_BUSY_ITEMS, MAX_SUGGESTIONS, MAX_WINDOW_DAYS } from './domain/limits';
import type { Weekday } from './domain/working-hours';
import { WeekdayValue } from './scheduling.type';

const windowNote = `[timeMin, timeMax), at most ${MAX_WINDOW_DAYS} days`;

@InputType({ description: 'Working hours: the days, and the local start and end times (HH:MM, end 24:00 = midnight), start before end' })
export class WorkingHoursInput {
  @Field(() => [WeekdayValue], { description: 'the working days, each once' })
  @ArrayMaxSize(7)
  daysOfWeek!: Weekday[];

  @Field({ description: 'HH:MM local time, inclusive, e.g. 09:00' })
  startTime!: string;

  @Field({ description: 'HH:MM local time, exclusive, e.g. 17:00; 24:00 = midnight' })
  endTime!: string;
}

@InputType({ description: "A user (every entry it hosts or attends and has not declined) or one of the caller's calendars: exactly one of the two" })
export class FreeBusyItemInput {
  @Field(() => UUID, { nullable: true, description: 'a user (not with calendarId)' })
  userId?: string | null;

  @Field(() => UUID, { nullable: true, description: "one of the caller's calendars (not with userId)" })
  calendarId?: string | null;
}

@InputType({ description: 'A window and the users or calendars whose busy times are asked for' })
export class FreeBusyInput {
  @Field(() => DateTime, { description: `start of the window (inclusive); ${windowNote}` })
  timeMin!: Date;

  @Field(() => DateTime, { description: `end of the window (exclusive); ${windowNote}` })
  timeMax!: Date;

  @Field(() => [FreeBusyItemInput], { description: `1 to ${MAX_FREE_BUSY_ITEMS} users or calendars` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_FREE_BUSY_ITEMS)
  @ValidateNested()
  items!: FreeBusyItemInput[];
}

@InputType({ description: 'An attendee of a meeting to find a slot for' })
export class AttendeeInput {
  @Field(() => UUID, { description: 'the attendee' })
  userId!: string;

  @Field({ nullable: true, defaultValue: false, description: 'an optional attendee only ranks slots' })
  optional?: boolean;
}

@InputType({ description: 'Who should meet, for how long, and within which window' })
export class MeetingSuggestionsInput {
  @Field(() => [AttendeeInput], { description: `1 to ${MAX_ATTENDEES} attendees, at least one required, each once; the caller is not added` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ATTENDEES)
  @ValidateNested()
  attendees!: AttendeeInput[];

  @Field(() => Duration, { description: 'length in hours and minutes, PT1M to PT24H, e.g. PT45M' })
  duration!: string;

  @Field(() => DateTime, { description: `start of the window (inclusive); ${windowNote}` })
  timeMin!: Date;

  @Field(() => DateTime, { description: `end of the window (exclusive); ${windowNote}` })
  timeMax!: Date;

  @Field(() => WorkingHoursInput, { nullable: true, description: "hours to search in for every attendee (in each one's time zone) instead of each one's own" })
  @IsOptional()
  @ValidateNested()
  workingHours?: WorkingHoursInput | null;

  @Field(() => Int, { nullable: true, description: `most slots returned, default ${DEFAULT_SUGGESTIONS}, at most ${MAX_SUGGESTIONS}` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SUGGESTIONS)
  limit?: number | null;
}
