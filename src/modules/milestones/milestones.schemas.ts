import { Type } from '@sinclair/typebox';
import { DateTime, Nullable, PageOf, PageQuery, StringEnum, Title, Uuid } from '../../infra/http-schemas';
import { MAX_OFFSET_DAYS } from './nearest-event';

const Repeat = StringEnum(['none', 'yearly'], { description: '`none` (default): once per anchor; `yearly`: every anniversary of the anchor' });
const EventTypeKey = Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$', description: 'a key listed by GET /event-types, e.g. subscription_end' });
const OffsetDays = Type.Integer({ minimum: -MAX_OFFSET_DAYS, maximum: MAX_OFFSET_DAYS, description: 'signed calendar days in the user\'s time zone: -3 = 3 days before' });

export const SubscriptionSchema = Type.Object(
  { id: Uuid, userId: Uuid, offer: Type.String(), startsAt: DateTime, endsAt: Nullable(DateTime), createdAt: DateTime, updatedAt: DateTime },
  { $id: 'Subscription', description: 'A subscription offer of a user; endsAt null = open-ended' },
);

export const CreateSubscriptionBody = Type.Object(
  { offer: Title, startsAt: DateTime, endsAt: Type.Optional(Nullable(DateTime)) },
  { additionalProperties: false },
);
export const PatchSubscriptionBody = Type.Partial(CreateSubscriptionBody, { additionalProperties: false, minProperties: 1 });
export const SubscriptionPage = PageOf(Type.Ref('Subscription'));

export const EventRuleSchema = Type.Object(
  { id: Uuid, name: Type.String(), eventType: Type.String(), offsetDays: Type.Integer(), repeat: Repeat, createdAt: DateTime, updatedAt: DateTime },
  { $id: 'EventRule', description: 'Turns a user\'s anchors of one event type into dated events' },
);

export const CreateEventRuleBody = Type.Object(
  { name: Title, eventType: EventTypeKey, offsetDays: OffsetDays, repeat: Type.Optional(Repeat) },
  { additionalProperties: false },
);
export const PatchEventRuleBody = Type.Partial(CreateEventRuleBody, { additionalProperties: false, minProperties: 1 });
export const EventRulePage = PageOf(Type.Ref('EventRule'));

export const EventTypeSchema = Type.Object(
  { key: Type.String(), label: Type.String(), description: Type.String() },
  { $id: 'EventType', description: 'A kind of dated anchor of a user' },
);
export const EventTypeList = PageOf(Type.Ref('EventType'));

export const TriggeredEventSchema = Type.Object(
  {
    type: Type.String({ description: 'event type key of the rule' }),
    date: DateTime,
    userId: Uuid,
    ruleId: Uuid,
    ruleName: Type.String(),
    eventId: Type.Optional(Type.String({ description: 'the meeting (event or occurrence id) or subscription the anchor comes from' })),
  },
  { $id: 'TriggeredEvent', description: 'An event a rule triggers for a user' },
);
export const TriggeredEventPage = PageOf(Type.Ref('TriggeredEvent'));

export const ListQuery = Type.Object({ limit: PageQuery.limit, cursor: Type.Optional(PageQuery.cursor) });
export const NearestQuery = Type.Object({ after: Type.Optional({ ...DateTime, description: 'inclusive; default now' }) });
export const UpcomingQuery = Type.Object({
  from: Type.Optional({ ...DateTime, description: 'inclusive; default now' }),
  to: Type.Optional({ ...DateTime, description: 'exclusive; default from + 366 days, at most from + 36525 days (100 years)' }),
  limit: PageQuery.limit,
  cursor: Type.Optional(PageQuery.cursor),
});
