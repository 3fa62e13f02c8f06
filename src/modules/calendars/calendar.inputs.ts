import { IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { TimeZone } from '../../graphql/scalars';

@InputType()
export class CreateCalendarInput {
  @Field()
  @Length(1, 200)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000)
  description?: string | null;

  @Field(() => TimeZone, { nullable: true, description: "default: the owner's" })
  timeZone?: string;

  @Field({ nullable: true, description: 'default false: CalDAV writes and imports may overlap other entries' })
  allowOverlaps?: boolean;
}

@InputType({ description: 'Only the fields given change; description null clears it' })
export class UpdateCalendarInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 200)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000)
  description?: string | null;

  @Field(() => TimeZone, { nullable: true })
  timeZone?: string;

  @Field({ nullable: true })
  allowOverlaps?: boolean;
}
