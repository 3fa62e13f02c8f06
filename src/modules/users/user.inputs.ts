import { IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { DateTime, EmailAddress, TimeZone } from '../../graphql/scalars';
import type { Role } from '../../infra/actor';
import { RoleValue } from './user.type';

@InputType({ description: 'A new user (admin only)' })
export class CreateUserInput {
  @Field()
  @Length(1, 200)
  name!: string;

  @Field(() => EmailAddress)
  @MaxLength(320)
  email!: string;

  @Field({ nullable: true, description: '8 to 200 characters; without one the user cannot log in' })
  @IsOptional()
  @Length(8, 200)
  password?: string;

  @Field(() => TimeZone, { nullable: true })
  timeZone?: string;

  @Field(() => DateTime, { nullable: true })
  signedUpAt?: Date;

  @Field(() => RoleValue, { nullable: true })
  role?: Role;
}

@InputType({ description: 'Changes to a user: only the fields given change; role is admin-only' })
export class UpdateUserInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 200)
  name?: string;

  @Field(() => EmailAddress, { nullable: true })
  @IsOptional()
  @MaxLength(320)
  email?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Length(8, 200)
  password?: string;

  @Field(() => TimeZone, { nullable: true })
  timeZone?: string;

  @Field(() => DateTime, { nullable: true })
  signedUpAt?: Date;

  @Field(() => RoleValue, { nullable: true })
  role?: Role;
}

@InputType()
export class RegisterInput {
  @Field()
  @Length(1, 200)
  name!: string;

  @Field(() => EmailAddress)
  @MaxLength(320)
  email!: string;

  @Field()
  @Length(8, 200)
  password!: string;

  @Field(() => TimeZone, { nullable: true })
  timeZone?: string;
}
