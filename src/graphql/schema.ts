import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AppPasswordResolver } from '../modules/auth/app-password.resolver';
import { AuthResolver } from '../modules/auth/auth.resolver';
import { CalendarResolver } from '../modules/calendars/calendar.resolver';
import { IcsResolver } from '../modules/events/ics-io.resolver';
import { EventResolver, ParticipantResolver, UserEventsResolver } from '../modules/events/event.resolver';
import { EventRuleResolver } from '../modules/milestones/event-rule.resolver';
import { SubscriptionResolver } from '../modules/milestones/subscription.resolver';
import { UserMilestonesResolver } from '../modules/milestones/user-milestones.resolver';
import { UserResolver } from '../modules/users/user.resolver';
import { authChecker } from './auth-checker';

/** Every resolver of the schema. */
export const RESOLVERS = [
  AuthResolver,
  AppPasswordResolver,
  UserResolver,
  CalendarResolver,
  IcsResolver,
  EventResolver,
  ParticipantResolver,
  UserEventsResolver,
  SubscriptionResolver,
  EventRuleResolver,
  UserMilestonesResolver,
] as const;

/** Builds the executable schema; class-validator runs on every input (`validate: true`). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers: RESOLVERS, authChecker, validate: { forbidUnknownValues: false }, emitSchemaFile: false });
}

/** The SDL committed at schema/schema.graphql (sorted, so it diffs cleanly). */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
