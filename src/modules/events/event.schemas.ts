import { Type } from '@sinclair/typebox';
import { toDate, toOptionalDate } from '../../infra/http-input';
import { DateTime, Description, Duration, PageOf, PageQuery, TimeZone, Title, Uuid } from '../../infra/http-schemas';
import type { EventInput, EventPatch } from './entries/series-rules';
import { ParticipantRoleSchema } from './participants/participant.schemas';

const Location = Type.String({ maxLength: 500 });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** RFC 5545 STATUS (§3.8.1.11) of a VEVENT, lower case. */
export const StatusSchema = Type.Union([Type.Literal('confirmed'), Type.Literal('tentative'), Type.Literal('cancelled')], {
  description: 'RFC 5545 STATUS; default confirmed. A cancelled entry stays listed, never conflicts and is never busy',
});
/** RFC 5545 TRANSP (§3.8.2.7), lower case. */
export const TransparencySchema = Type.Union([Type.Literal('opaque'), Type.Literal('transparent')], {
  description: 'RFC 5545 TRANSP; default opaque. A transparent entry (a birthday, a reminder) never conflicts and is never busy',
});

const Frequency = Type.Union([Type.Literal('daily'), Type.Literal('weekly'), Type.Literal('monthly')]);

export const RecurrenceSchema = Type.Object(
  {
    frequency: Frequency,
    interval: Type.Integer(),
    count: Nullable(Type.Integer()),
    until: Nullable(DateTime),
    rrule: Type.String({ description: 'RFC 5545 RRULE, e.g. FREQ=WEEKLY;INTERVAL=1;COUNT=10' }),
  },
  { $id: 'Recurrence', description: 'Repeats at the same local wall-clock time in the series time zone' },
);

/** A series' recurrence as given; count and until exclude each other; neither repeats forever. */
const RecurrenceInput = Type.Object(
  {
    frequency: Frequency,
    interval: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    until: Type.Optional(DateTime),
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

/** Writable fields; `start` plus `end` or `duration` (both only when they agree). */
const EntryFields = {
  title: Title,
  description: Type.Optional(Nullable(Description)),
  location: Type.Optional(Nullable(Location)),
  status: Type.Optional(StatusSchema),
  transparency: Type.Optional(TransparencySchema),
  start: DateTime,
  end: Type.Optional(DateTime),
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

const Scope = Type.Union([Type.Literal('single'), Type.Literal('following'), Type.Literal('all')], {
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
  role: Type.Union([Type.Literal('host'), Type.Literal('participant'), Type.Literal('any')], { default: 'any' }),
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
    ...(recurrence !== undefined && { recurrence: recurrence && { ...recurrence, until: toOptionalDate(recurrence.until, '/recurrence/until') } }),
  };
}

/** A create body as the services take it. @throws AppError 400 for unrepresentable dates. */
export function toEventInput(body: typeof CreateEntryBody.static): EventInput {
  return { ...toEventPatch(body), title: body.title, start: toDate(body.start, '/start') };
}
