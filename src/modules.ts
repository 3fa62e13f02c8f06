import type { GraphQLSchema } from 'graphql';
import { buildGraphQLSchema } from './graphql/schema';
import { composeModules, type AppModule } from './infra/module';
import { authModule } from './modules/auth/auth.module';
import { calendarsModule } from './modules/calendars/calendars.module';
import { davModule } from './modules/dav/dav.module';
import { eventsModule } from './modules/events/events.module';
import { milestonesModule } from './modules/milestones/milestones.module';
import { usersModule } from './modules/users/users.module';
import { liveModule } from './modules/live/live.module';
import { webhooksModule } from './modules/webhooks/webhooks.module';
import { schedulingModule } from './modules/scheduling/scheduling.module';

/**
 * Every module of the app, in dependency order: each imports only modules listed before it (checked
 * by .dependency-cruiser.cjs). The order is also that of their hooks, routes and OpenAPI schemas.
 * Adding a module: a folder under src/modules/ with its `<name>.module.ts`, and a line here.
 */
export const MODULES: readonly AppModule[] = [usersModule, authModule, calendarsModule, eventsModule, davModule, milestonesModule, liveModule, webhooksModule, schedulingModule];

/** What the modules contribute, gathered once (src/app.ts, the ORM, the schema file). */
export const COMPOSED = composeModules(MODULES);

/** Every persisted entity (the ORM config and migrations are built from this list). */
export const ENTITIES = COMPOSED.entities;

/** The app's GraphQL schema: the resolvers of every module. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  return buildGraphQLSchema(COMPOSED.resolvers);
}
