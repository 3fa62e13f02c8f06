import { Field, ObjectType } from 'type-graphql';
import { Connection } from '../../graphql/connection';
import { DateTime, TimeZone, UUID } from '../../graphql/scalars';

@ObjectType('Calendar', { description: 'A calendar of its owner; every user has a primary one' })
export class CalendarType {
  @Field(() => UUID, { description: "the calendar's UUID" })
  id!: string;

  @Field(() => UUID, { description: 'the user who owns it' })
  ownerId!: string;

  @Field({ description: 'its name, 1 to 200 characters' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'free text, at most 5000 characters' })
  description!: string | null;

  @Field(() => TimeZone, { description: 'IANA zone: the default of its new entries' })
  timeZone!: string;

  @Field({ description: 'created with the user; deleted only with it' })
  isPrimary!: boolean;

  @Field({ description: 'CalDAV writes and imports may overlap other entries (mutations keep force)' })
  allowOverlaps!: boolean;

  @Field(() => DateTime, { description: 'when it was created' })
  createdAt!: Date;

  @Field(() => DateTime, { description: 'when it last changed' })
  updatedAt!: Date;
}

export const CalendarConnection = Connection(CalendarType, 'Calendar');
