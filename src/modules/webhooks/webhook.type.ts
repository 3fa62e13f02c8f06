import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../graphql/connection';
import { DateTime, UUID } from '../../graphql/scalars';
import type { WebhookEventType } from './webhook-events';

/** The webhook event types; GraphQL enum names, their values are the `type` of the messages. */
export enum WebhookEventValue {
  ENTRY_CREATED = 'entry.created',
  ENTRY_UPDATED = 'entry.updated',
  ENTRY_DELETED = 'entry.deleted',
  INVITATION_RECEIVED = 'invitation.received',
  INVITATION_UPDATED = 'invitation.updated',
  INVITATION_REMOVED = 'invitation.removed',
  PARTICIPANT_RESPONDED = 'participant.responded',
}
registerEnumType(WebhookEventValue, { name: 'WebhookEventType', description: 'Kinds of change a webhook endpoint receives; the message `type` is the value (`entry.created`, …)', valuesConfig: { ENTRY_CREATED: { description: "entry.created: an entry of the owner's calendars was created" }, ENTRY_UPDATED: { description: "entry.updated: an entry of the owner's calendars changed" }, ENTRY_DELETED: { description: "entry.deleted: an entry of the owner's calendars was deleted" }, INVITATION_RECEIVED: { description: 'invitation.received: the owner was invited to an event' }, INVITATION_UPDATED: { description: 'invitation.updated: an event the owner is invited to changed' }, INVITATION_REMOVED: { description: "invitation.removed: the owner's invitation was withdrawn or its event deleted" }, PARTICIPANT_RESPONDED: { description: 'participant.responded: a participant answered an invitation to an event the owner hosts' } } });

@ObjectType('Webhook', { description: 'An endpoint receiving Standard Webhooks messages about the caller’s changes' })
export class WebhookType {
  @Field(() => UUID, { description: "the endpoint's UUID" })
  id!: string;

  @Field({ description: 'where messages are POSTed (https, public address)' })
  url!: string;

  @Field(() => [WebhookEventValue], { description: 'the kinds of change it receives' })
  events!: WebhookEventType[];

  @Field({ description: 'false once disabled (retries exhausted, or by the owner): see disabledReason' })
  enabled!: boolean;

  @Field(() => DateTime, { nullable: true, description: 'when it was disabled; null while enabled' })
  disabledAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'why it was disabled; null while enabled' })
  disabledReason!: string | null;

  @Field(() => DateTime, { description: 'when it was created' })
  createdAt!: Date;
}

@ObjectType('CreatedWebhook', { description: 'A new webhook endpoint and its signing secret' })
export class CreatedWebhookType {
  @Field(() => WebhookType, { description: 'the endpoint' })
  webhook!: WebhookType;

  @Field({ description: 'whsec_… signing secret; shown only here' })
  secret!: string;
}

@ObjectType('WebhookDelivery', { description: 'One delivery attempt of one message' })
export class WebhookDeliveryType {
  @Field(() => UUID, { description: "the attempt's UUID" })
  id!: string;

  @Field({ description: 'the webhook-id header, the same in every attempt' })
  messageId!: string;

  @Field({ description: 'the message type, e.g. entry.created' })
  eventType!: string;

  @Field(() => Int, { description: '1 for the first attempt, then 2, 3…' })
  attempt!: number;

  @Field({ description: 'succeeded or failed' })
  status!: string;

  @Field(() => Int, { nullable: true, description: "the endpoint's HTTP status; null when no answer came" })
  responseStatus!: number | null;

  @Field(() => Int, { description: 'how long the attempt took, in milliseconds' })
  latencyMs!: number;

  @Field(() => String, { nullable: true, description: 'why it failed; null on success' })
  error!: string | null;

  @Field(() => DateTime, { nullable: true, description: 'when it is tried again; null when it will not be' })
  nextAttemptAt!: Date | null;

  @Field(() => DateTime, { description: 'when the attempt was made' })
  createdAt!: Date;
}

export const WebhookDeliveryConnection = Connection(WebhookDeliveryType, 'WebhookDelivery');
