import { Type } from '@sinclair/typebox';
import { toDate, toOptionalDate } from '../../infra/http-input';
import { DateTime, Description, Duration, Nullable, PageOf, PageQuery, StringEnum, TimeZone, Title, Uuid } from '../../infra/http-schemas';
import type { EventInput, EventPatch, RecurrenceInput } from './entries/series-rules';
import { ParticipantRoleSchema } from './participants/participant.schemas';

const Location = Type.String({ maxLength: 500 });

/** RFC 5545 STATUS (§3.8.1.11) of a VEVENT, lower case. */
export const StatusSchema = StringEnum(['confirmed', 'tentative', 'cancelled'], {
  description: 'RFC 5545 STATUS; default confirmed. A cancelled entry stays listed, never conflicts and is never busy',
});
/** RFC 5545 TRANSP (§3.8.2.7), lower case. */
export const TransparencySchema = StringEnum(['opaque', 'transparent'], {
  description: 'RFC 5545 TRANSP; default opaque. A transparent entry (a birthday, a reminder) never conflicts and is never busy',
});

const Frequency = StringEnum(['daily', 'weekly', 'monthly', 'yearly'], { description: 'RFC 5545 FREQ' });
const Weekday = StringEnum(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], { description: 'RFC 5545 weekday' });
/** A BYxxx list of integers; ranges are checked by the rule (events/domain/rrule.ts) with a JSON pointer to the value. */
const IntList = (description: string) => Type.Array(Type.Integer(), { maxItems: 366, description });
const DateList = (description: string) => Type.Array(DateTime, { maxItems: 1000, description });

/** The RRULE parts beyond FREQ, INTERVAL, COUNT and UNTIL, as in the input and the output. */
const RuleParts = {
  byDay: Type.Optional(Type.Array(Type.String({ maxLength: 4, description: 'weekday with an optional ordinal: MO, 2TU, -1FR' }), { maxItems: 366, description: 'BYDAY; ordinals with monthly and yearly rules only' })),
  byMonthDay: Type.Optional(IntList('BYMONTHDAY: 1..31 or -31..-1 (from the end of the month)')),
  byYearDay: Type.Optional(IntList('BYYEARDAY: 1..366 or -366..-1 (yearly rules)')),
  byWeekNo: Type.Optional(IntList('BYWEEKNO: 1..53 or -53..-1, weeks starting on wkst (yearly rules)')),
  byMonth: Type.Optional(IntList('BYMONTH: 1..12')),
  bySetPos: Type.Optional(IntList('BYSETPOS: the n-th of each period\'s occurrences, -1 the last')),
  byHour: Type.Optional(IntList('BYHOUR: 0..23 (at most 24 times a day in all)')),
  byMinute: Type.Optional(IntList('BYMINUTE: 0..59')),
  bySecond: Type.Optional(IntList('BYSECOND: 0..59')),
  wkst: Type.Optional(Weekday),
};

export const RecurrenceSchema = Type.Object(
  {
    frequency: Frequency,
    interval: Type.Integer(),
    count: Nullable(Type.Integer()),
    until: Nullable(DateTime),
    ...RuleParts,
    rrule: Type.String({ description: 'the canonical RFC 5545 RRULE of the fields, e.g. FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR' }),
    rdates: DateList('RDATE: extra occurrences, UTC, sorted'),
    exdates: DateList('EXDATE: cancelled occurrences by original start, UTC, sorted'),
  },
  { $id: 'Recurrence', description: 'RFC 5545 recurrence (RRULE, RDATE, EXDATE); repeats at the same local wall-clock time in the series time zone' },
);

/**
 * A series' recurrence as given: the rule as fields, as `rrule` text, or both when they agree; count
 * and until exclude each other; neither repeats forever. `rdates` absent: none; `exdates` absent:
 * the series keeps its exception dates.
 */
const RecurrenceInput = Type.Object(
  {
    frequency: Type.Optional(Frequency),
    interval: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'default 1' })),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    until: Type.Optional(DateTime),
    ...RuleParts,
    rrule: Type.Optional(Type.String({ maxLength: 2000, description: 'RFC 5545 RRULE value, e.g. FREQ=MONTHLY;BYDAY=2TU (instead of or with the fields)' })),
    rdates: Type.Optional(DateList('RDATE: extra occurrences, each after the start and not already one of the rule')),
    exdates: Type.Optional(DateList('EXDATE: cancelled occurrences by original start; replaces the series\' exception dates')),
  },
  { additionalProperties: false },
);

export const EventSchema = Type.Object(
  {
    id: Type.String({ description: 'UUID, or <seriesId>_<YYYYMMDDTHHMMSSZ> for an occurrence' }),
    calendarId: Uuid,
    title: Type.String(),
    description: Nullable(Type.String()),
    location: Nullable(Type.String()),
    status: StatusSchema,
    transparency: TransparencySchema,
    allDay: Type.Boolean({ description: 'an all-day entry: startDate and endDate are its dates' }),
    startDate: Nullable(Type.String({ format: 'date', description: 'all-day: first day, in timeZone' })),
    endDate: Nullable(Type.String({ format: 'date', description: 'all-day: the day after the last one (exclusive)' })),
    start: DateTime,
    end: DateTime,
    duration: Type.String({ description: 'ISO 8601, e.g. PT1H30M' }),
    timeZone: Type.String(),
    hostId: Uuid,
    recurrence: Nullable(Type.Ref('Recurrence')),
    seriesId: Nullable(Uuid),
    originalStart: Nullable(DateTime),
    createdAt: DateTime,
    updatedAt: DateTime,
    participants: Type.Optional(Type.Array(Type.Ref('Participant'))),
  },
  { $id: 'Event' },
);

/** Writable fields; timed: `start` plus `end` or `duration` (both only when they agree); all-day: `startDate` (and `endDate`). */
const EntryFields = {
  title: Title,
  description: Type.Optional(Nullable(Description)),
  location: Type.Optional(Nullable(Location)),
  status: Type.Optional(StatusSchema),
  transparency: Type.Optional(TransparencySchema),
  start: Type.Optional(DateTime),
  end: Type.Optional(DateTime),
  allDay: Type.Optional(Type.Boolean({ description: 'all-day entry (default false; true when startDate is given)' })),
  startDate: Type.Optional(Type.String({ format: 'date', description: 'all-day: first day, YYYY-MM-DD in timeZone' })),
  endDate: Type.Optional(Type.String({ format: 'date', description: 'all-day: the day after the last one (exclusive, as Google\'s end.date); default startDate + 1' })),
  duration: Type.Optional(Duration),
  timeZone: Type.Optional(TimeZone),
  recurrence: Type.Optional(Nullable(RecurrenceInput)),
};

export const CreateEntryBody = Type.Object(EntryFields, { additionalProperties: false });
export const PutEntryBody = CreateEntryBody;
export const PatchEntryBody = Type.Partial(CreateEntryBody, { additionalProperties: false, minProperties: 1 });

export const ForceQuery = Type.Object({
  force: Type.Boolean({ default: false, description: 'true keeps the entry even when it overlaps others' }),
});

const Scope = StringEnum(['single', 'following', 'all'], {
  description: 'for a series: single (default for an occurrence id), following (this and later occurrences), all (default for a series id)',
});

/** `?force=&scope=` of edits. */
export const EditQuery = Type.Object({ force: ForceQuery.properties.force, scope: Type.Optional(Scope) });
export const DeleteQuery = Type.Object({ scope: Type.Optional(Scope) });

/** An entry id in a path: a UUID, or an occurrence id `<seriesId>_<YYYYMMDDTHHMMSSZ>`. */
export const EntryId = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(_[0-9]{8}T[0-9]{6}Z)?$', description: 'UUID, or <seriesId>_<YYYYMMDDTHHMMSSZ> for an occurrence' });

/** What the OpenAPI document says of a range's end: any length up to 400 years, pages bounded by `limit`. */
const RANGE_END = 'exclusive; the window may be up to 146097 days (400 years) long: a page is bounded by `limit` and the cursor, not by the window';

export const RangeQuery = Type.Object({
  start: { ...DateTime, description: `${DateTime.description}; inclusive: entries ending after it` },
  end: { ...DateTime, description: `${DateTime.description}; ${RANGE_END}` },
  limit: PageQuery.limit,
  cursor: Type.Optional(PageQuery.cursor),
});

export const EventPage = PageOf(Type.Ref('Event'));

/** POST /events: an entry plus where it goes and whom it invites. */
export const CreateEventBody = Type.Object(
  {
    ...EntryFields,
    calendarId: Type.Optional(Uuid),
    participants: Type.Optional(Type.Array(Type.Object({ userId: Uuid, role: Type.Optional(ParticipantRoleSchema) }, { additionalProperties: false }), { maxItems: 500 })),
  },
  { additionalProperties: false },
);

export const ListEventsQuery = Type.Object({
  userId: Type.Optional(Uuid),
  role: StringEnum(['host', 'participant', 'any'], { default: 'any' }),
  from: Type.Optional({ ...DateTime, description: `${DateTime.description}; with \`to\`: events ending after it` }),
  to: Type.Optional({ ...DateTime, description: `${DateTime.description}; ${RANGE_END}` }),
  calendarId: Type.Optional(Uuid),
  include: Type.Optional(Type.Literal('participants')),
  limit: PageQuery.limit,
  cursor: Type.Optional(PageQuery.cursor),
});

/** Entry body fields as the services take them (RFC 3339 strings → Dates). @throws AppError 400 for unrepresentable dates. */
export function toEventPatch(body: typeof PatchEntryBody.static): EventPatch {
  const { recurrence, ...rest } = body;
  return {
    ...rest,
    start: toOptionalDate(body.start, '/start'),
    end: toOptionalDate(body.end, '/end'),
    ...(recurrence !== undefined && { recurrence: recurrence && toRecurrenceInput(recurrence) }),
  };
}

function toRecurrenceInput(r: NonNullable<typeof PatchEntryBody.static.recurrence>): RecurrenceInput {
  const { until, rdates, exdates, ...rest } = r;
  const dates = (list: string[] | undefined, path: string) => list?.map((d, i) => toDate(d, `${path}/${i}`));
  return {
    ...(rest as RecurrenceInput),
    until: toOptionalDate(until, '/recurrence/until'),
    rdates: dates(rdates, '/recurrence/rdates'),
    exdates: dates(exdates, '/recurrence/exdates'),
  };
}

/** A create body as the services take it. @throws AppError 400 for unrepresentable dates. */
export function toEventInput(body: typeof CreateEntryBody.static): EventInput {
  return { ...toEventPatch(body), title: body.title };
}
