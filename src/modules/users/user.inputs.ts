import { IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { DateTime, EmailAddress, TimeZone } from '../../graphql/scalars';
import type { Role } from '../../infra/actor';
import { RoleValue } from './user.type';

@InputType({ description: 'A new user (admin only)' })
export class CreateUserInput {
  @Field({ description: 'display name, 1 to 200 characters' })
  @Length(1, 200)
  name!: string;

  @Field(() => EmailAddress, { description: 'unique, case-insensitive' })
  @MaxLength(320)
  email!: string;

  @Field({ nullable: true, description: '8 to 200 characters; without one the user cannot log in' })
  @IsOptional()
  @Length(8, 200)
  password?: string;

  @Field(() => TimeZone, { nullable: true, description: 'IANA zone; default UTC' })
  timeZone?: string;

  @Field(() => DateTime, { nullable: true, description: 'the inscription date; default now' })
  signedUpAt?: Date;

  @Field(() => RoleValue, { nullable: true, description: 'default user' })
  role?: Role;
}

@InputType({ description: 'Changes to a user: only the fields given change; role is admin-only' })
export class UpdateUserInput {
  @Field({ nullable: true, description: 'display name, 1 to 200 characters' })
  @IsOptional()
  @Length(1, 200)
  name?: string;

  @Field(() => EmailAddress, { nullable: true, description: 'unique, case-insensitive' })
  @IsOptional()
  @MaxLength(320)
  email?: string;

  @Field({ nullable: true, description: '8 to 200 characters' })
  @IsOptional()
  @Length(8, 200)
  password?: string;

  @Field(() => TimeZone, { nullable: true, description: 'IANA zone' })
  timeZone?: string;

  @Field(() => DateTime, { nullable: true, description: 'the inscription date' })
  signedUpAt?: Date;

  @Field(() => RoleValue, { nullable: true, description: 'admin only' })
  role?: Role;
}

@InputType({ description: 'A new account' })
export class RegisterInput {
  @Field({ description: 'display name, 1 to 200 characters' })
  @Length(1, 200)
  name!: string;

  @Field(() => EmailAddress, { description: 'unique, case-insensitive; the login' })
  @MaxLength(320)
  email!: string;

  @Field({ description: '8 to 200 characters' })
  @Length(8, 200)
  password!: string;

  @Field(() => TimeZone, { nullable: true, description: 'IANA zone; default UTC' })
  timeZone?: string;
}
