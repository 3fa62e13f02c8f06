import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../graphql/connection';
import { DateTime, UUID } from '../../graphql/scalars';
import type { Repeat } from './nearest-event';

export enum RepeatValue {
  none = 'none',
  yearly = 'yearly',
}
registerEnumType(RepeatValue, { name: 'Repeat', description: '`none`: once per anchor; `yearly`: every anniversary of the anchor (29 February → 28 February in non-leap years)' });

/** Named `SubscriptionOffer`: a GraphQL type named `Subscription` would be taken for the subscription root type. */
@ObjectType('SubscriptionOffer', { description: 'A subscription of a user to an offer; endsAt null = open-ended' })
export class SubscriptionOfferType {
  @Field(() => UUID)
  id!: string;

  @Field(() => UUID)
  userId!: string;

  @Field()
  offer!: string;

  @Field(() => DateTime)
  startsAt!: Date;

  @Field(() => DateTime, { nullable: true })
  endsAt!: Date | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;
}

export const SubscriptionOfferConnection = Connection(SubscriptionOfferType, 'SubscriptionOffer');

@ObjectType('EventType', { description: 'A kind of dated anchor of a user (inscription, meeting, …)' })
export class EventKindType {
  @Field()
  key!: string;

  @Field()
  label!: string;

  @Field()
  description!: string;
}

@ObjectType('EventRule', { description: 'Turns a user\'s anchors of one event type into dated events' })
export class EventRuleType {
  @Field(() => UUID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'an EventType key' })
  eventType!: string;

  @Field(() => Int, { description: 'signed calendar days in the user\'s time zone: -3 = 3 days before' })
  offsetDays!: number;

  @Field(() => RepeatValue)
  repeat!: Repeat;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;
}

export const EventRuleConnection = Connection(EventRuleType, 'EventRule');

@ObjectType('TriggeredEvent', { description: 'An event one of the user\'s rules triggers' })
export class TriggeredEventType {
  @Field({ description: 'the EventType key of the rule' })
  type!: string;

  @Field(() => DateTime)
  date!: Date;

  @Field(() => UUID)
  userId!: string;

  @Field(() => UUID)
  ruleId!: string;

  @Field()
  ruleName!: string;

  @Field(() => String, { nullable: true, description: 'the meeting (event or occurrence id) or subscription the anchor comes from' })
  eventId?: string;
}
