import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { FastifyInstance } from 'fastify';
import { type GraphQLSchema, GraphQLError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Actor } from '../infra/actor';
import { type DatabaseOutage, isDatabaseUnavailable, OUTAGE_RETRY_AFTER_SECONDS } from '../infra/database-outage';
import { AppError } from '../infra/errors';
import type { LoaderContext, Loaders } from '../infra/loaders';
import type { Metrics } from '../infra/metrics';
import type { Services } from '../infra/services';
import { complexityLimit, MAX_COMPLEXITY } from './complexity';
import type { GraphQLContext } from './context';
import { formatError } from './errors';
import { rejectNulInputPlugin } from './input-strings';
import { registerPlayground } from './playground';

/**
 * Limits that reject abusive operations before they run (graphql-armor validation rules): depth 10,
 * 15 aliases, 50 directives. The cost limit is {@link complexityLimit} (items an operation may return,
 * counting page sizes, at most {@link MAX_COMPLEXITY}): armor's cost does not count `first`, so it
 * refused a page of 100 events with `pageInfo` and let 100 × 100 × 100 nested items through alike.
 * The token limit is graphql-js's own parser option ({@link MAX_TOKENS}): armor's token plugin throws
 * from a parsing hook, which Apollo turns into an HTTP 500.
 */
export const GRAPHQL_LIMITS = {
  maxDepth: { n: 10, ignoreIntrospection: true },
  costLimit: { enabled: false },
  maxAliases: { n: 15 },
  maxDirectives: { n: 50 },
  maxTokens: { enabled: false },
} as const;

/** Longest operation, in lexical tokens: more is a GRAPHQL_PARSE_FAILED 400. */
export const MAX_TOKENS = 2000;

/** What the GraphQL endpoint is built from (src/app.ts composes it from the modules). */
export interface GraphQLOptions {
  schema: GraphQLSchema;
  metrics: Metrics;
  /** The DataLoaders of one operation. */
  createLoaders(ctx: LoaderContext): Loaders;
  /**
   * The caller of an `Authorization` header value, with the request's services.
   * @throws AppError when the header is malformed, or its token invalid or expired.
   */
  authenticate(services: Services, authorization: string): Promise<Actor>;
  /** Where an unreachable database is reported (logged once per outage, shared with REST). */
  outage: DatabaseOutage;
}

/**
 * Mounts Apollo Server on Fastify: POST /graphql for operations, GET /graphql for the offline
 * playground. Each operation gets its request's EntityManager fork and services and its own
 * DataLoaders; the caller comes from the bearer token when one is sent (anonymous callers reach only
 * register, login and introspection).
 */
export async function registerGraphQL(app: FastifyInstance, deps: GraphQLOptions): Promise<void> {
  const armor = new ApolloArmor(GRAPHQL_LIMITS).protect();
  const apollo = new ApolloServer<GraphQLContext>({
    schema: deps.schema,
    introspection: true,
    formatError,
    includeStacktraceInErrorResponses: false,
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: MAX_TOKENS },
    allowBatchedHttpRequests: false,
    // src/main.ts owns SIGTERM: Apollo's own handler would close the Fastify server at once (its drain
    // plugin calls app.close()), cutting idle keep-alive connections before the drain, then re-raise
    // the signal. Apollo stops when the app closes instead.
    stopOnTerminationSignals: false,
    plugins: [
      ...armor.plugins,
      complexityLimit(deps.schema, MAX_COMPLEXITY),
      ApolloServerPluginLandingPageDisabled(),
      // Unused features that would still cost per request: cache-control hints run a hook on every
      // field (responses are cached elsewhere, see src/infra/cache.ts); the others need an Apollo key.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      rejectNulInputPlugin,
      {
        async requestDidStart({ request }) {
          const stop = deps.metrics.graphqlDuration.startTimer();
          return {
            async didEncounterErrors({ errors, operation, response }) {
              for (const err of errors) {
                if (isDatabaseUnavailable(unwrapResolverError(err))) {
                  // As REST: 503 with Retry-After, logged once per outage (formatError gives the code).
                  deps.outage.report(unwrapResolverError(err));
                  response.http.status = 503;
                  response.http.headers.set('retry-after', String(OUTAGE_RETRY_AFTER_SECONDS));
                } else if (unwrapResolverError(err) instanceof AppError && (unwrapResolverError(err) as AppError).kind === 'too_many_requests') {
                  // As REST: a refused attempt (the login and registration budget) is an HTTP 429
                  // with Retry-After, not a 200 carrying an error (RFC 6585 §4).
                  const retryAfter = (unwrapResolverError(err) as AppError).details.retryAfterSeconds;
                  response.http.status = 429;
                  if (retryAfter !== undefined) response.http.headers.set('retry-after', String(retryAfter));
                } else if (!err.extensions?.code || err.extensions.code === 'INTERNAL_SERVER_ERROR') {
                  app.log.error({ err: err.originalError ?? err, operationName: request.operationName, op: operation?.operation }, 'graphql resolver error');
                }
              }
            },
            // The name of the operation actually resolved from the document (clients such as curl do
            // not send `operationName`); a request whose document never resolved is 'anonymous', so a
            // client cannot mint label values with documents that do not parse or validate.
            async willSendResponse({ operation, operationName, errors }) {
              stop({ operation_name: operationName ?? 'anonymous', operation_type: operation?.operation ?? 'unknown', outcome: errors?.length ? 'error' : 'ok' });
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  app.addHook('onClose', () => apollo.stop());

  await registerPlayground(app);
  app.post('/graphql', {
    schema: { hide: true },
    handler: fastifyApolloHandler(apollo, {
      context: async (request): Promise<GraphQLContext> => {
        const { em, services } = request;
        let actor;
        if (request.headers.authorization) {
          try {
            actor = await deps.authenticate(services, request.headers.authorization);
          } catch (err) {
            // A bad token fails the whole operation with 401, as REST does; so does an outage, with 503.
            if (err instanceof AppError) throw new GraphQLError(err.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
            if (!isDatabaseUnavailable(err)) throw err;
            deps.outage.report(err);
            throw new GraphQLError('the database is unreachable; retry shortly', {
              extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: new Map([['retry-after', String(OUTAGE_RETRY_AFTER_SECONDS)]]) } },
            });
          }
        }
        return { em, services, loaders: deps.createLoaders({ em, services, actor }), actor, startedAt: new Date(), clientAddress: request.ip };
      },
    }),
  });
}
