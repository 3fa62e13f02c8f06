import type { ApolloServerPlugin } from '@apollo/server';
import { getNamedType, getNullableType, GraphQLError, isCompositeType, isListType, type GraphQLSchema } from 'graphql';
import { type ComplexityEstimator, getComplexity } from 'graphql-query-complexity';

/**
 * Default 25,000: the most items (objects) one operation may ask for. A page of 100 events with their
 * participants, each participant's user and `pageInfo` costs about 2,300; a month of a calendar at the
 * largest page (500 events) with participants and users about 11,500; 100 users × 100 events × their
 * participants about 220,000 (rejected).
 */
export const MAX_COMPLEXITY = 25_000;

/** What an unpaginated list of objects (an event's participants) is assumed to hold. */
export const LIST_SIZE_GUESS = 10;

/**
 * Cost of a field: the objects it may return, `size × (1 + cost of its selections)` for an object
 * field and `size × cost of its selections` for a scalar one, where `size` is the page size asked for
 * (`first`, or `limit`, with their defaults), 1 for the `edges`/`nodes` of a connection (already
 * counted by the connection's `first`), {@link LIST_SIZE_GUESS} for another list, 1 otherwise.
 * Introspection is free. The same idea as GitHub's GraphQL node limit (connections multiply by their
 * page size).
 */
export const itemsEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (type.name.startsWith('__') || field.name.startsWith('__')) return 0;
  const own = isCompositeType(getNamedType(field.type)) ? 1 : 0;
  const pageSize = typeof args.first === 'number' ? args.first : typeof args.limit === 'number' ? args.limit : undefined;
  const list = isListType(getNullableType(field.type));
  const size = pageSize ?? (list && !type.name.endsWith('Connection') ? LIST_SIZE_GUESS : 1);
  return size * (own + childComplexity);
};

/**
 * Apollo plugin that rejects an operation whose {@link itemsEstimator} cost exceeds `max`, once its
 * variables are known and before it runs: a 400 with `extensions.code` `GRAPHQL_VALIDATION_FAILED`
 * and `extensions.cost` / `extensions.maxCost`. An operation whose variables do not coerce is left to
 * execution, which reports them.
 */
export function complexityLimit(schema: GraphQLSchema, max = MAX_COMPLEXITY): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operationName }) {
          let cost: number;
          try {
            cost = getComplexity({ schema, query: document, variables: request.variables ?? {}, operationName: operationName ?? undefined, estimators: [itemsEstimator] });
          } catch {
            return;
          }
          if (cost > max) {
            throw new GraphQLError(`the operation may return ${cost} items; at most ${max} are allowed (ask for smaller pages)`, {
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 }, cost, maxCost: max },
            });
          }
        },
      };
    },
  };
}
