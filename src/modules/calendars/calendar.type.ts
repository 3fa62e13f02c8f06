import { Field, ObjectType } from 'type-graphql';
import { Connection } from '../../graphql/connection';
import { DateTime, TimeZone, UUID } from '../../graphql/scalars';

@ObjectType('Calendar')
export class CalendarType {
  @Field(() => UUID)
  id!: string;

  @Field(() => UUID)
  ownerId!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => TimeZone)
  timeZone!: string;

  @Field({ description: 'created with the user; deleted only with it' })
  isPrimary!: boolean;

  @Field({ description: 'CalDAV writes and imports may overlap other entries (mutations keep force)' })
  allowOverlaps!: boolean;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;
}

export const CalendarConnection = Connection(CalendarType, 'Calendar');
