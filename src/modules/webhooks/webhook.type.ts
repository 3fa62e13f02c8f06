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
registerEnumType(WebhookEventValue, { name: 'WebhookEventType', description: 'Kinds of change a webhook endpoint receives; the message `type` is the value (`entry.created`, …)' });

@ObjectType('Webhook', { description: 'An endpoint receiving Standard Webhooks messages about the caller’s changes' })
export class WebhookType {
  @Field(() => UUID)
  id!: string;

  @Field()
  url!: string;

  @Field(() => [WebhookEventValue])
  events!: WebhookEventType[];

  @Field({ description: 'false once disabled (retries exhausted, or by the owner): see disabledReason' })
  enabled!: boolean;

  @Field(() => DateTime, { nullable: true })
  disabledAt!: Date | null;

  @Field(() => String, { nullable: true })
  disabledReason!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;
}

@ObjectType('CreatedWebhook')
export class CreatedWebhookType {
  @Field(() => WebhookType)
  webhook!: WebhookType;

  @Field({ description: 'whsec_… signing secret; shown only here' })
  secret!: string;
}

@ObjectType('WebhookDelivery', { description: 'One delivery attempt of one message' })
export class WebhookDeliveryType {
  @Field(() => UUID)
  id!: string;

  @Field({ description: 'the webhook-id header, the same in every attempt' })
  messageId!: string;

  @Field()
  eventType!: string;

  @Field(() => Int)
  attempt!: number;

  @Field({ description: 'succeeded or failed' })
  status!: string;

  @Field(() => Int, { nullable: true })
  responseStatus!: number | null;

  @Field(() => Int)
  latencyMs!: number;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => DateTime, { nullable: true })
  nextAttemptAt!: Date | null;

  @Field(() => DateTime)
  createdAt!: Date;
}

export const WebhookDeliveryConnection = Connection(WebhookDeliveryType, 'WebhookDelivery');
