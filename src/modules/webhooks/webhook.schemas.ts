import { Type } from '@sinclair/typebox';
import { DateTime, Nullable, PageOf, PageQuery, StringEnum, Uuid } from '../../infra/http-schemas';
import { WEBHOOK_EVENT_TYPES } from './webhook-events';

const EventTypes = Type.Array(StringEnum(WEBHOOK_EVENT_TYPES), { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, description: 'event types to receive' });
const Url = Type.String({ minLength: 1, maxLength: 2000, description: 'https URL on a public address' });

export const WebhookSchema = Type.Object(
  {
    id: Uuid,
    url: Type.String(),
    events: Type.Array(Type.String()),
    enabled: Type.Boolean(),
    disabledAt: Nullable(DateTime),
    disabledReason: Nullable(Type.String()),
    createdAt: DateTime,
  },
  { $id: 'Webhook' },
);

export const WebhookWithSecret = Type.Intersect([Type.Ref('Webhook'), Type.Object({ secret: Type.String({ description: 'whsec_… signing secret (Standard Webhooks); shown only in this response' }) })]);

export const WebhookDeliverySchema = Type.Object(
  {
    id: Uuid,
    messageId: Type.String({ description: 'the webhook-id header: the same in every attempt of one message' }),
    eventType: Type.String(),
    attempt: Type.Integer({ description: '1 for the first attempt' }),
    status: StringEnum(['succeeded', 'failed']),
    responseStatus: Nullable(Type.Integer()),
    latencyMs: Type.Integer(),
    error: Nullable(Type.String()),
    nextAttemptAt: Nullable(DateTime),
    createdAt: DateTime,
  },
  { $id: 'WebhookDelivery' },
);

export const CreateWebhookBody = Type.Object({ url: Url, events: EventTypes }, { additionalProperties: false });
export const PatchWebhookBody = Type.Object({ url: Type.Optional(Url), events: Type.Optional(EventTypes), enabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 });
export const WebhookList = Type.Object({ items: Type.Array(Type.Ref('Webhook')) });
export const DeliveriesQuery = Type.Object({ limit: PageQuery.limit, cursor: Type.Optional(PageQuery.cursor) });
export const DeliveryPage = PageOf(Type.Ref('WebhookDelivery'));
