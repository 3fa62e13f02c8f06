import { IsOptional, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { TimeZone } from '../../graphql/scalars';

@InputType({ description: 'A new calendar of the caller' })
export class CreateCalendarInput {
  @Field({ description: '1 to 200 characters' })
  @Length(1, 200)
  name!: string;

  @Field(() => String, { nullable: true, description: 'at most 5000 characters' })
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
  @Field({ nullable: true, description: '1 to 200 characters' })
  @IsOptional()
  @Length(1, 200)
  name?: string;

  @Field(() => String, { nullable: true, description: 'at most 5000 characters; null clears it' })
  @IsOptional()
  @MaxLength(5000)
  description?: string | null;

  @Field(() => TimeZone, { nullable: true, description: 'IANA zone of its new entries' })
  timeZone?: string;

  @Field({ nullable: true, description: 'CalDAV writes and imports may overlap other entries' })
  allowOverlaps?: boolean;
}
