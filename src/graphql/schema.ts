import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { authChecker } from './auth-checker';

/**
 * Builds the executable schema of `resolvers` (the modules', src/modules.ts); class-validator runs on
 * every input (`validate: true`).
 * @throws Error when `resolvers` is empty, or from TypeGraphQL when the resolvers do not make a schema.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeGraphQL's own type for resolver classes
export async function buildGraphQLSchema(resolvers: readonly Function[]): Promise<GraphQLSchema> {
  if (resolvers.length === 0) throw new Error('a GraphQL schema needs at least one resolver');
  const schema = await buildSchema({ resolvers: [...resolvers] as NonEmptyArray<Function>, authChecker, validate: { forbidUnknownValues: false }, emitSchemaFile: false, pubSub: NO_TOPIC_PUBSUB }); // eslint-disable-line @typescript-eslint/no-unsafe-function-type
  describeRootTypes(schema);
  return schema;
}

/**
 * TypeGraphQL gives the root operation types no description; the playground's docs open on them.
 * Every field of every type has its own description (checked by tests/graphql/descriptions.test.ts).
 */
function describeRootTypes(schema: GraphQLSchema): void {
  const roots = [
    [schema.getQueryType(), 'Reads. Every operation but register and login needs `Authorization: Bearer <token>`; errors carry extensions.code'],
    [schema.getMutationType(), 'Writes, one per REST write (force, scope and occurrence arguments where REST has them); errors carry extensions.code'],
    [schema.getSubscriptionType(), 'Changes as they commit, over graphql-ws at /graphql (the bearer token goes in connection_init)'],
  ] as const;
  for (const [type, description] of roots) if (type && !type.description) type.description = description;
}

/**
 * TypeGraphQL insists on a `pubSub` once a schema has subscriptions, though ours never publish through
 * it: each `@Subscription` gives its own `subscribe` (its module's source of changes). A topic-based
 * subscription would be a mistake here, so using this one fails loudly.
 */
const NO_TOPIC_PUBSUB = {
  publish(): void {
    throw new Error('subscriptions declare their own subscribe function; there is no topic pub/sub');
  },
  subscribe(): AsyncIterable<unknown> {
    throw new Error('subscriptions declare their own subscribe function; there is no topic pub/sub');
  },
};

/** The SDL committed at schema/schema.graphql (sorted, so it diffs cleanly). */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
