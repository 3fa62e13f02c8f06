import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../graphql/connection';
import { DateTime, UUID } from '../../graphql/scalars';
import type { Repeat } from './nearest-event';

export enum RepeatValue {
  none = 'none',
  yearly = 'yearly',
}
registerEnumType(RepeatValue, { name: 'Repeat', description: '`none`: once per anchor; `yearly`: every anniversary of the anchor (29 February → 28 February in non-leap years)', valuesConfig: { none: { description: 'once per anchor' }, yearly: { description: 'every anniversary of the anchor' } } });

/** Named `SubscriptionOffer`: a GraphQL type named `Subscription` would be taken for the subscription root type. */
@ObjectType('SubscriptionOffer', { description: 'A subscription of a user to an offer; endsAt null = open-ended' })
export class SubscriptionOfferType {
  @Field(() => UUID, { description: "the subscription's UUID" })
  id!: string;

  @Field(() => UUID, { description: 'the subscriber' })
  userId!: string;

  @Field({ description: "the offer's name" })
  offer!: string;

  @Field(() => DateTime, { description: 'when it starts, UTC' })
  startsAt!: Date;

  @Field(() => DateTime, { nullable: true, description: 'when it ends, UTC; null when open-ended' })
  endsAt!: Date | null;

  @Field(() => DateTime, { description: 'when it was created' })
  createdAt!: Date;

  @Field(() => DateTime, { description: 'when it last changed' })
  updatedAt!: Date;
}

export const SubscriptionOfferConnection = Connection(SubscriptionOfferType, 'SubscriptionOffer');

@ObjectType('EventType', { description: 'A kind of dated anchor of a user (inscription, meeting, …)' })
export class EventKindType {
  @Field({ description: 'what rules name it by (eventType)' })
  key!: string;

  @Field({ description: 'a human-readable name' })
  label!: string;

  @Field({ description: 'what its anchors are' })
  description!: string;
}

@ObjectType('EventRule', { description: "Turns a user's anchors of one event type into dated events" })
export class EventRuleType {
  @Field(() => UUID, { description: "the rule's UUID" })
  id!: string;

  @Field({ description: 'its name, unique' })
  name!: string;

  @Field({ description: 'an EventType key' })
  eventType!: string;

  @Field(() => Int, { description: "signed calendar days in the user's time zone: -3 = 3 days before" })
  offsetDays!: number;

  @Field(() => RepeatValue, { description: 'once per anchor, or every year' })
  repeat!: Repeat;

  @Field(() => DateTime, { description: 'when it was created' })
  createdAt!: Date;

  @Field(() => DateTime, { description: 'when it last changed' })
  updatedAt!: Date;
}

export const EventRuleConnection = Connection(EventRuleType, 'EventRule');

@ObjectType('TriggeredEvent', { description: "An event one of the user's rules triggers" })
export class TriggeredEventType {
  @Field({ description: 'the EventType key of the rule' })
  type!: string;

  @Field(() => DateTime, { description: 'when it happens, UTC' })
  date!: Date;

  @Field(() => UUID, { description: 'the user it is for' })
  userId!: string;

  @Field(() => UUID, { description: 'the rule that triggers it' })
  ruleId!: string;

  @Field({ description: "the rule's name" })
  ruleName!: string;

  @Field(() => String, { nullable: true, description: 'the meeting (event or occurrence id) or subscription the anchor comes from' })
  eventId?: string;
}
