import { IsOptional, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../infra/cursor';

/** Relay `first`/`after` of every connection: the same bounds as REST's `limit`/`cursor`. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: DEFAULT_LIMIT, description: `page size, at most ${MAX_LIMIT}` })
  @Min(1)
  @Max(MAX_LIMIT)
  first!: number;

  @Field({ nullable: true, description: 'endCursor of the previous page' })
  @IsOptional()
  @MaxLength(1000)
  after?: string;
}

/** GraphQL sends `null` for "not given" on nullable input fields of non-nullable data: drop them. */
export function stripNulls<T extends object>(input: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) as never;
}
