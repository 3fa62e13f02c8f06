import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../graphql/connection';
import { DateTime, EmailAddress, TimeZone, UUID } from '../../graphql/scalars';
import type { Role } from '../../infra/actor';

export enum RoleValue {
  user = 'user',
  admin = 'admin',
}
registerEnumType(RoleValue, { name: 'Role', description: '`admin` manages users, rules and subscriptions' });

@ObjectType('User', { description: 'A person who owns calendars and hosts or attends events' })
export class UserType {
  @Field(() => UUID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => EmailAddress)
  email!: string;

  @Field(() => TimeZone, { description: 'IANA time zone' })
  timeZone!: string;

  @Field(() => DateTime, { description: 'the inscription date' })
  signedUpAt!: Date;

  @Field(() => RoleValue)
  role!: Role;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;
}

export const UserConnection = Connection(UserType, 'User');
