import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { type App, type AppOptions, buildApp } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { initOrm } from '../../src/infra/orm';
import { ENTITIES } from '../../src/modules';
import type { EventTypeDefinition } from '../../src/modules/milestones/event-types/event-type';
import { checkResponses, type RecordedResponse } from './openapi-check';

export const TEST_SECRET = 'test-secret-0123456789-0123456789-abcdef';

/** True when the suite runs on the embedded PGlite (no real concurrency there). */
export const onEmbedded = process.env.TEST_EMBEDDED === '1';

export interface TestApp {
  app: App;
  orm: MikroORM;
  close(): Promise<void>;
}

/** What a test may change in the app it builds. */
export interface TestAppOptions {
  /** Replaces the registered event types. */
  eventTypes?: readonly EventTypeDefinition[];
  /** Default: the test database. Another URL to reach it by (e.g. through a proxy); migrations are not run then. */
  databaseUrl?: string;
  /** Default: no logging. */
  logger?: AppOptions['logger'];
}

/**
 * Builds the real app against the test database (see global-setup), quiet, with the /auth rate limit
 * off unless `env` sets it. Close it in afterAll: closing also checks every response the app sent
 * through `app.inject` against its OpenAPI document (status, content type, body schema) and fails
 * the test file on a mismatch, so the document cannot drift from what the service sends.
 */
export async function createTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const testUrl = process.env.TEST_DATABASE_URL;
  if (!testUrl) throw new Error('TEST_DATABASE_URL is not set: run through jest (global-setup)');
  const url = options.databaseUrl ?? testUrl;
  // Callers are remembered for a minute, so counts of SQL statements do not depend on how long a test takes.
  // No idle collections unless a test asks (infra/idle-collection.test.ts).
  // No webhook deliveries unless a test asks (a test app's workers would take other files' jobs);
  // the embedded PGlite cannot LISTEN across its connections, so subscriptions stay in-process there.
  const config = loadConfig({ DATABASE_URL: url, JWT_SECRET: TEST_SECRET, RATE_LIMIT_AUTH: '0', LOG_LEVEL: 'silent', AUTH_CACHE_TTL_MS: '60000', WEBHOOK_CONCURRENCY: '0', IDLE_GC_MS: '0', LIVE_FANOUT: onEmbedded ? 'local' : 'auto', ...env });
  const orm = await initOrm(url, { entities: ENTITIES, migrate: !options.databaseUrl, exclusive: !onEmbedded, overrides: { pool: { min: 0, max: onEmbedded ? 4 : 10 } } });
  try {
    const app = await buildApp({ config: { ...config, jwtSecret: TEST_SECRET }, orm, logger: options.logger ?? false, eventTypes: options.eventTypes });
    await app.ready();
    const recorded = recordResponses(app);
    return {
      app,
      orm,
      close: async () => {
        const mismatches = checkResponses((await app.inject({ method: 'GET', url: '/openapi.json' })).json(), recorded);
        await app.close();
        await orm.close(true);
        if (mismatches.length > 0) throw new Error(`responses that the OpenAPI document does not describe:\n  ${mismatches.join('\n  ')}`);
      },
    };
  } catch (err) {
    await orm.close(true);
    throw err;
  }
}

/** Wraps `app.inject` so that every response it returns is recorded (for {@link checkResponses}). */
function recordResponses(app: App): RecordedResponse[] {
  const recorded: RecordedResponse[] = [];
  const inject = app.inject.bind(app) as (opts: InjectOptions | string) => Promise<LightMyRequestResponse>;
  const recording = async (opts: InjectOptions | string) => {
    const res = await inject(opts);
    const o: InjectOptions = typeof opts === 'string' ? { method: 'GET', url: opts } : opts;
    const contentType = res.headers['content-type'];
    recorded.push({ method: String(o.method ?? 'GET'), url: String(o.url ?? o.path ?? '/'), status: res.statusCode, contentType: typeof contentType === 'string' ? contentType : undefined, body: res.body });
    return res;
  };
  Object.assign(app, { inject: recording });
  return recorded;
}

/** A registered user with its token, primary calendar id and an authenticated request helper. */
export interface TestUser {
  id: string;
  email: string;
  token: string;
  primaryCalendarId: string;
  /** `app.inject` with this user's bearer token. */
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

/** Registers a fresh user with a unique email. */
export async function registerUser(app: App, fields: { name?: string; timeZone?: string; email?: string } = {}): Promise<TestUser> {
  const email = fields.email ?? `user-${randomUUID()}@example.com`;
  const res = await app.inject({ method: 'POST', url: '/auth/register', payload: { name: fields.name ?? 'Test User', email, password: 'correct horse', ...(fields.timeZone && { timeZone: fields.timeZone }) } });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  const { user, accessToken } = res.json();
  const request = (opts: InjectOptions) => app.inject({ ...opts, headers: { authorization: `Bearer ${accessToken}`, ...opts.headers } });
  const calendars = (await request({ method: 'GET', url: '/calendars' })).json();
  return { id: user.id, email, token: accessToken, primaryCalendarId: calendars.items[0].id, request };
}

/** Runs a GraphQL operation as `user` (or anonymously) and returns the parsed body. */
export async function graphql(app: App, query: string, variables: Record<string, unknown> = {}, user?: TestUser) {
  const res = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...(user && { authorization: `Bearer ${user.token}` }) },
    payload: { query, variables },
  });
  return { status: res.statusCode, body: res.json() as { data?: Record<string, any>; errors?: { message: string; extensions: Record<string, any> }[] } };
}

/** Counts the SQL statements `fn` sends through this ORM (knex `query` events). */
export async function countQueries<T>(orm: MikroORM, fn: () => Promise<T>): Promise<{ result: T; count: number; sql: string[] }> {
  const knex = orm.em.getConnection().getKnex();
  const sql: string[] = [];
  const listener = (q: { sql: string }) => sql.push(q.sql);
  knex.on('query', listener);
  try {
    const result = await fn();
    return { result, count: sql.length, sql };
  } finally {
    knex.off('query', listener);
  }
}
