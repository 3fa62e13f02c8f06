import { IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { DateTime } from '../../graphql/scalars';
import { MAX_OFFSET_DAYS, type Repeat } from './nearest-event';
import { RepeatValue } from './milestones.type';

@InputType()
export class CreateSubscriptionInput {
  @Field()
  @Length(1, 200)
  offer!: string;

  @Field(() => DateTime)
  startsAt!: Date;

  @Field(() => DateTime, { nullable: true, description: 'absent or null: open-ended' })
  endsAt?: Date | null;
}

@InputType({ description: 'Only the fields given change; endsAt null makes it open-ended' })
export class UpdateSubscriptionInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 200)
  offer?: string;

  @Field(() => DateTime, { nullable: true })
  startsAt?: Date;

  @Field(() => DateTime, { nullable: true })
  endsAt?: Date | null;
}

@InputType()
export class CreateEventRuleInput {
  @Field()
  @Length(1, 200)
  name!: string;

  @Field({ description: 'an EventType key' })
  @Matches(/^[a-z][a-z0-9_]{0,63}$/)
  eventType!: string;

  @Field(() => Int)
  @IsInt()
  @Min(-MAX_OFFSET_DAYS)
  @Max(MAX_OFFSET_DAYS)
  offsetDays!: number;

  @Field(() => RepeatValue, { nullable: true, description: 'default none' })
  repeat?: Repeat;
}

@InputType({ description: 'Only the fields given change' })
export class UpdateEventRuleInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 200)
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/)
  eventType?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(-MAX_OFFSET_DAYS)
  @Max(MAX_OFFSET_DAYS)
  offsetDays?: number;

  @Field(() => RepeatValue, { nullable: true })
  repeat?: Repeat;
}
