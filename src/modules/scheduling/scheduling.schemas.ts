import { Type } from '@sinclair/typebox';
import { DateTime, Duration, TimeZone, Uuid } from '../../infra/http-schemas';
import { DEFAULT_SUGGESTIONS, MAX_ATTENDEES, MAX_FREE_BUSY_ITEMS, MAX_SUGGESTIONS, MAX_WINDOW_DAYS } from './domain/limits';
import { LOCAL_TIME_PATTERN, type Weekday, WEEKDAYS } from './domain/working-hours';

const windowNote = `half-open [timeMin, timeMax), at most ${MAX_WINDOW_DAYS} days`;
const TimeMin = { ...DateTime, description: `start of the window (inclusive); ${windowNote}` };
const TimeMax = { ...DateTime, description: `end of the window (exclusive); ${windowNote}` };

const Weekday = Type.Unsafe<Weekday>(Type.String({ enum: [...WEEKDAYS], description: 'a day of the week, lower case' }));
const LocalTime = (description: string) => Type.String({ pattern: LOCAL_TIME_PATTERN, description });

/** Working hours as written (PUT body, and the `workingHours` override of a suggestion request). */
export const WorkingHoursBody = Type.Object(
  {
    daysOfWeek: Type.Array(Weekday, { maxItems: 7, uniqueItems: true, description: 'the days worked, e.g. ["monday", "tuesday"]; [] = never' }),
    startTime: LocalTime('local time HH:MM the day starts (inclusive), e.g. 09:00'),
    endTime: LocalTime('local time HH:MM the day ends (exclusive), after startTime; 24:00 = midnight'),
  },
  { additionalProperties: false },
);

export const WorkingHoursSchema = Type.Object(
  {
    userId: Uuid,
    timeZone: { ...TimeZone, description: 'the user\'s time zone, which the hours are in (they follow it when it changes)' },
    daysOfWeek: Type.Array(Weekday),
    startTime: Type.String({ description: 'HH:MM local time, inclusive' }),
    endTime: Type.String({ description: 'HH:MM local time (24:00 = midnight), exclusive' }),
    isDefault: Type.Boolean({ description: 'true until the user sets its own (Monday–Friday 09:00–17:00)' }),
  },
  { $id: 'WorkingHours', description: 'The hours of the week a user accepts meetings in, in its own time zone' },
);

const BusyInterval = Type.Object({ start: DateTime, end: DateTime }, { description: 'a busy stretch [start, end), merged across entries and clipped to the window' });

export const FreeBusyBody = Type.Object(
  {
    timeMin: TimeMin,
    timeMax: TimeMax,
    items: Type.Array(
      Type.Union([
        Type.Object({ userId: Uuid }, { additionalProperties: false, description: 'a user: every entry it hosts or attends and has not declined' }),
        Type.Object({ calendarId: Uuid }, { additionalProperties: false, description: 'one of the caller\'s calendars: its entries' }),
      ]),
      { minItems: 1, maxItems: MAX_FREE_BUSY_ITEMS, description: `1 to ${MAX_FREE_BUSY_ITEMS} users or calendars` },
    ),
  },
  { additionalProperties: false },
);

export const FreeBusySchema = Type.Object(
  {
    timeMin: DateTime,
    timeMax: DateTime,
    items: Type.Array(
      Type.Object({
        userId: Type.Optional(Uuid),
        calendarId: Type.Optional(Uuid),
        busy: Type.Array(BusyInterval),
        errors: Type.Optional(Type.Array(Type.Object({ reason: Type.Literal('notFound', { description: 'an unknown user, or a calendar that is unknown or not the caller\'s' }) }))),
      }),
      { description: 'one per requested item, in request order' },
    ),
  },
  { $id: 'FreeBusy', description: 'When users and calendars are busy: times only, never titles or ids' },
);

export const MeetingSuggestionsBody = Type.Object(
  {
    attendees: Type.Array(
      Type.Object({ userId: Uuid, optional: Type.Optional(Type.Boolean({ default: false, description: 'an optional attendee only ranks slots; default false (required)' })) }, { additionalProperties: false }),
      { minItems: 1, maxItems: MAX_ATTENDEES, description: `1 to ${MAX_ATTENDEES} attendees, at least one required, each once; the caller is not added` },
    ),
    duration: { ...Duration, description: 'length of the meeting in hours and minutes, PT1M to PT24H, e.g. PT45M' },
    timeMin: TimeMin,
    timeMax: TimeMax,
    workingHours: Type.Optional({ ...WorkingHoursBody, description: 'hours to search in for every attendee (in each one\'s time zone) instead of each one\'s own; all seven days 00:00–24:00 = any time' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SUGGESTIONS, default: DEFAULT_SUGGESTIONS, description: `most slots returned, default ${DEFAULT_SUGGESTIONS}` })),
  },
  { additionalProperties: false },
);

export const MeetingSuggestionsSchema = Type.Object(
  {
    suggestions: Type.Array(
      Type.Object({
        start: DateTime,
        end: DateTime,
        availableOptionalAttendees: Type.Array(Uuid, { description: 'the optional attendees free for the whole slot' }),
      }),
      { description: 'best first: most optional attendees free, then earliest start; starts on the quarter hour' },
    ),
  },
  { $id: 'MeetingSuggestions', description: 'Slots in which every required attendee is free and within its working hours' },
);
