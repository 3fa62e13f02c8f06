import type { AuthChecker } from 'type-graphql';
import type { GraphQLContext } from './context';

/**
 * The one authorisation rule of the schema: `@Authorized()` needs a caller, `@Authorized('admin')`
 * an admin. Ownership checks live in the services.
 */
export const authChecker: AuthChecker<GraphQLContext> = ({ context }, roles) =>
  !!context.actor && (roles.length === 0 || roles.includes(context.actor.role));
