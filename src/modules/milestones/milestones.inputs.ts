import { IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { DateTime } from '../../graphql/scalars';
import { MAX_OFFSET_DAYS, type Repeat } from './nearest-event';
import { RepeatValue } from './milestones.type';

@InputType({ description: 'A new subscription of a user to an offer' })
export class CreateSubscriptionInput {
  @Field({ description: "the offer's name, 1 to 200 characters" })
  @Length(1, 200)
  offer!: string;

  @Field(() => DateTime, { description: 'when it starts' })
  startsAt!: Date;

  @Field(() => DateTime, { nullable: true, description: 'absent or null: open-ended' })
  endsAt?: Date | null;
}

@InputType({ description: 'Only the fields given change; endsAt null makes it open-ended' })
export class UpdateSubscriptionInput {
  @Field({ nullable: true, description: '1 to 200 characters' })
  @IsOptional()
  @Length(1, 200)
  offer?: string;

  @Field(() => DateTime, { nullable: true, description: 'when it starts' })
  startsAt?: Date;

  @Field(() => DateTime, { nullable: true, description: 'when it ends; null: open-ended' })
  endsAt?: Date | null;
}

@InputType({ description: 'A new event rule (admin only)' })
export class CreateEventRuleInput {
  @Field({ description: '1 to 200 characters, unique' })
  @Length(1, 200)
  name!: string;

  @Field({ description: 'an EventType key' })
  @Matches(/^[a-z][a-z0-9_]{0,63}$/)
  eventType!: string;

  @Field(() => Int, { description: "signed calendar days in the user's time zone: -3 = 3 days before the anchor" })
  @IsInt()
  @Min(-MAX_OFFSET_DAYS)
  @Max(MAX_OFFSET_DAYS)
  offsetDays!: number;

  @Field(() => RepeatValue, { nullable: true, description: 'default none' })
  repeat?: Repeat;
}

@InputType({ description: 'Only the fields given change' })
export class UpdateEventRuleInput {
  @Field({ nullable: true, description: '1 to 200 characters, unique' })
  @IsOptional()
  @Length(1, 200)
  name?: string;

  @Field({ nullable: true, description: 'an EventType key' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/)
  eventType?: string;

  @Field(() => Int, { nullable: true, description: "signed calendar days in the user's time zone" })
  @IsOptional()
  @IsInt()
  @Min(-MAX_OFFSET_DAYS)
  @Max(MAX_OFFSET_DAYS)
  offsetDays?: number;

  @Field(() => RepeatValue, { nullable: true, description: 'once per anchor, or every year' })
  repeat?: Repeat;
}
