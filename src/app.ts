import 'reflect-metadata';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import helmet from 'helmet';
import type { Config } from './config/config';
import { GRAPHQL_LIMITS, MAX_TOKENS, registerGraphQL } from './graphql/server';
import { createCache } from './infra/cache-stores';
import { CursorCodec } from './infra/cursor';
import { etagOfBody, noneMatch } from './infra/etag';
import { DatabaseOutage } from './infra/database-outage';
import { installProblemHandlers, PROBLEM_SERVER_OPTIONS } from './infra/http-errors';
import { Problem } from './infra/http-schemas';
import { IdleCollection } from './infra/idle-collection';
import { connectionAccepted } from './infra/loop-turns';
import { Metrics } from './infra/metrics';
import { finishOpenApiDocument } from './infra/openapi';
import { RateLimiter } from './infra/rate-limit';
import { opsRoutes } from './infra/ops.routes';
import './infra/request-context';
import type { AppDeps, Services } from './infra/services';
import { rejectUndeclaredQueries, validatorCompiler } from './infra/validation';
import { buildGraphQLSchema } from './graphql/schema';
import { COMPOSED, MODULES } from './modules';
import { ActorCache } from './modules/auth/actor-cache';
import { VerifiedCredentials } from './modules/auth/app-password.service';
import { TokenService } from './modules/auth/tokens';
import { type EventTypeDefinition, EventTypeRegistry } from './modules/milestones/event-types/event-type';
import { DEFAULT_EVENT_TYPES } from './modules/milestones/event-types/registry';
import { type ChangeBus, LocalChangeBus, PostgresChangeBus } from './modules/live/change-bus';
import { LiveHub } from './modules/live/live-hub';
import { registerLiveServer } from './modules/live/live.server';
import { WebhookQueue } from './modules/webhooks/webhook.queue';

/** What the app is built from. `jwtSecret` must be resolved (see src/main.ts for the embedded default). */
export interface AppOptions {
  config: Readonly<Config> & { jwtSecret: string };
  orm: MikroORM;
  /** Default: pino at config.logLevel. Tests pass `false`. */
  logger?: FastifyServerOptions['logger'];
  /** Default: the registry of src/modules/milestones/event-types/registry.ts. Tests add types here. */
  eventTypes?: readonly EventTypeDefinition[];
}

/** The built app plus what main.ts needs for graceful shutdown. */
/** The built app plus what main.ts needs for graceful shutdown, and its process-wide collaborators. */
export type App = FastifyInstance & { startDraining(): void; readonly deps: AppDeps };

/** Request ids: a client's X-Request-Id when it is sane, otherwise a new UUID. */
function requestId(raw: { headers: Record<string, string | string[] | undefined> }): string {
  const given = raw.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/**
 * Builds the HTTP app (does not listen) from the modules of src/modules.ts: REST routes with TypeBox
 * schemas and OpenAPI, GraphQL at /graphql, operations endpoints, problem+json errors, ETags, metrics
 * and request ids. This is the composition root: the one place that builds the process-wide
 * collaborators (`AppDeps`) and ties the modules to the transports.
 */
export async function buildApp({ config, orm, logger, eventTypes }: AppOptions): Promise<App> {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    bodyLimit: 1_048_576,
    genReqId: (req) => requestId(req),
    ...PROBLEM_SERVER_OPTIONS,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler());
  rejectUndeclaredQueries(app);
  // JSON only: a text/plain body is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');

  const metrics = new Metrics();
  const outage = new DatabaseOutage(app.log);
  const knex = orm.em.getConnection().getKnex();
  const onQuery = () => outage.recovered();
  knex.on('query-response', onQuery);
  app.addHook('onClose', async () => void knex.off('query-response', onQuery));
  const { changeBus, webhookQueue } = await startLiveParts(config, orm, app.log, { outage, metrics });
  const deps: AppDeps = {
    config,
    tokens: new TokenService(config.jwtSecret, config.jwtExpiresInSeconds),
    cursors: new CursorCodec(`cursor:${config.jwtSecret}`),
    eventTypes: eventTypes ? new EventTypeRegistry(eventTypes) : DEFAULT_EVENT_TYPES,
    verifiedCredentials: new VerifiedCredentials(),
    actors: new ActorCache(config.authCacheTtlMs),
    authAttempts: new RateLimiter(config.rateLimitAuthPerMinute),
    cache: createCache(config.cacheUrl, { metrics, logger: app.log, ttlSeconds: config.cacheTtlSeconds, timeoutMs: config.cacheTimeoutMs, etagSecret: `etag:${config.jwtSecret}` }),
    changeBus,
    liveHub: new LiveHub(changeBus),
    webhookQueue,
  };
  app.addHook('onClose', () => deps.cache.close());
  app.addHook('onClose', async () => {
    deps.liveHub.close();
    await Promise.all([changeBus.close(), webhookQueue.stop()]);
  });
  let draining = false;
  // New connections keep the event loop's turns short until they are all taken up (infra/loop-turns.ts).
  app.server.on('connection', connectionAccepted);
  // Once idle after load, the heap grown under it goes back to the system (infra/idle-collection.ts).
  if (config.idleGcMs > 0) {
    const idle = new IdleCollection({ idleMs: config.idleGcMs, onCollected: () => metrics.idleCollections.inc() }).start();
    app.server.on('request', idle.requestArrived);
    app.addHook('onClose', () => idle.stop());
  }

  // Helmet's default security headers on every response, set by ONE middleware built here:
  // @fastify/helmet built Helmet's middleware anew for every request (parsing its CSP directives
  // each time), 13 % of the allocation of a cached listing hit in a sampling heap profile.
  const securityHeaders = helmet();
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));
  await app.register(cors, { origin: '*', exposedHeaders: ['etag', 'x-request-id', 'location'] });
  installProblemHandlers(app, outage);

  await app.register(swagger, {
    // Name shared schemas by their $id (User, Event, Problem…) instead of def-N.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Calendar & scheduling API',
        version: '1.0.0',
        description: 'REST facade; GraphQL at /graphql is the primary API. Errors are RFC 9457 problem details (application/problem+json).',
        license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      },
      // Relative to where the document is served: the same origin, whatever host a deployment uses.
      servers: [{ url: '/', description: 'this service' }],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      tags: [
        { name: 'auth', description: 'Registration and access tokens (public)' },
        { name: 'users', description: 'Users; anyone may read, admins write' },
        { name: 'calendars', description: "The caller's calendars" },
        { name: 'entries', description: 'Entries, series and occurrences of a calendar, and its iCalendar export' },
        { name: 'events', description: 'Events addressed without a calendar, and their participants' },
        { name: 'event rules', description: 'Event types, event rules and the rules linked to each user' },
        { name: 'subscriptions', description: "Users' subscription offers" },
        { name: 'nearest events', description: "A user's nearest and upcoming triggered events" },
        { name: 'app passwords', description: 'Passwords for CalDAV clients' },
        { name: 'operations', description: 'Health, readiness and metrics (public)' },
      ],
    },
    transformObject: (documentObject) => finishOpenApiDocument((documentObject as { openapiObject: Parameters<typeof finishOpenApiDocument>[0] }).openapiObject),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  for (const schema of [Problem, ...COMPOSED.httpSchemas]) app.addSchema(schema);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    request.em = orm.em.fork();
    request.services = COMPOSED.createServices(request.em, deps);
  });
  // Strong ETags on every successful GET (routes of one resource set theirs from the view, for If-Match;
  // lists and the rest get the hash of their serialized body), and 304 for a matching If-None-Match.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' || reply.statusCode !== 200) return payload;
    let etag = reply.getHeader('etag') as string | undefined;
    if (!etag && (typeof payload === 'string' || Buffer.isBuffer(payload))) {
      etag = etagOfBody(payload);
      reply.header('etag', etag);
    }
    if (etag && noneMatch(request.headers['if-none-match'], etag)) {
      reply.code(304);
      return '';
    }
    return payload;
  });
  // While draining, every response closes its connection. Node's server.close() only closes the
  // connections idle at that moment: one whose request was in flight stays open once answered, and a
  // keep-alive client that keeps it idle (a load balancer's upstream pool) would hold app.close() until
  // keepAliveTimeout, past the grace period.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (draining) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(opsRoutes, { orm, metrics, isDraining: () => draining });
  for (const m of MODULES) if (m.publicRoutes) await app.register(m.publicRoutes, { deps });
  const schema = await buildGraphQLSchema(COMPOSED.resolvers);
  const authenticate = async (services: Services, authorization: string | undefined) => (await services.auth.authenticate(authorization)).actor;
  await app.register(async (graphql) =>
    registerGraphQL(graphql, {
      schema,
      metrics,
      outage,
      createLoaders: COMPOSED.createLoaders,
      authenticate,
    }),
  );
  registerLiveServer(app, {
    schema,
    orm,
    deps,
    createServices: COMPOSED.createServices,
    createLoaders: COMPOSED.createLoaders,
    authenticate,
    validationRules: new ApolloArmor(GRAPHQL_LIMITS).protect().validationRules,
    maxTokens: MAX_TOKENS,
    graceMs: config.shutdownGraceMs,
    metrics,
  });
  await app.register(async (secured) => {
    // Documented as needing the bearer token; every other operation is public (see infra/openapi.ts).
    secured.addHook('onRoute', (route) => void (route.schema = { ...route.schema, security: [{ bearerAuth: [] }] }));
    secured.addHook('onRequest', async (request) => {
      request.actor = (await request.services.auth.authenticate(request.headers.authorization)).actor;
    });
    for (const m of MODULES) if (m.routes) await secured.register(m.routes, { deps });
  });

  return Object.assign(app, { startDraining: () => void (draining = true), deps }) as unknown as App;
}

/**
 * The process-wide parts of live updates: the change bus (LISTEN/NOTIFY with `postgres` fan-out) and
 * the webhook queue (pg-boss), started together; if one fails to start, both are closed again.
 */
async function startLiveParts(config: AppOptions['config'], orm: MikroORM, log: FastifyBaseLogger, observe: { outage: DatabaseOutage; metrics: Metrics }): Promise<{ changeBus: ChangeBus; webhookQueue: WebhookQueue }> {
  const url = orm.config.get('clientUrl')!;
  const changeBus: ChangeBus = config.live.fanout === 'postgres' ? new PostgresChangeBus(url, log) : new LocalChangeBus();
  const webhookQueue = new WebhookQueue(url, orm, config.webhooks, log, observe);
  const started = await Promise.allSettled([changeBus.start(), webhookQueue.start()]);
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.allSettled([changeBus.close(), webhookQueue.stop()]);
    throw failed.reason;
  }
  return { changeBus, webhookQueue };
}
