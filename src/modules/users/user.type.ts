import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../graphql/connection';
import { DateTime, EmailAddress, TimeZone, UUID } from '../../graphql/scalars';
import type { Role } from '../../infra/actor';

export enum RoleValue {
  user = 'user',
  admin = 'admin',
}
registerEnumType(RoleValue, { name: 'Role', description: '`admin` manages users, rules and subscriptions', valuesConfig: { user: { description: 'an ordinary user: its own data only' }, admin: { description: 'may manage every user and the event rules' } } });

@ObjectType('User', { description: 'A person who owns calendars and hosts or attends events' })
export class UserType {
  @Field(() => UUID, { description: "the user's UUID" })
  id!: string;

  @Field({ description: 'display name' })
  name!: string;

  @Field(() => EmailAddress, { description: 'unique, case-insensitive; the login' })
  email!: string;

  @Field(() => TimeZone, { description: 'IANA time zone' })
  timeZone!: string;

  @Field(() => DateTime, { description: 'the inscription date' })
  signedUpAt!: Date;

  @Field(() => RoleValue, { description: 'what the user may do' })
  role!: Role;

  @Field(() => DateTime, { description: 'when the account was created' })
  createdAt!: Date;

  @Field(() => DateTime, { description: 'when the account last changed' })
  updatedAt!: Date;
}

export const UserConnection = Connection(UserType, 'User');
