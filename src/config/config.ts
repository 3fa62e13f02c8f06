import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * Environment variables the service reads, validated once at boot.
 * Defaults come first in each description; see the README's configuration table.
 */
const EnvSchema = Type.Object({
  /** Default: absent, which starts an embedded PostgreSQL (PGlite) stored under ./data. */
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  /** Default `memory://`. One of memory://, redis://…, memcached://…, file://…, none. */
  CACHE_URL: Type.String({ default: 'memory://', pattern: '^(memory://.*|rediss?://.+|memcached://.+|file://.+|none)$' }),
  /** Default 300 s. How long a cached read lives (writes revalidate it at once; the TTL bounds storage). */
  CACHE_TTL_SECONDS: Type.Integer({ default: 300, minimum: 1, maximum: 86400 }),
  /** Default 100 ms. How long a cache operation may take before the request is served from the database. */
  CACHE_TIMEOUT_MS: Type.Integer({ default: 100, minimum: 1, maximum: 10000 }),
  /**
   * HS256 key for access tokens, at least 32 characters. Required with DATABASE_URL; without it (the
   * embedded development default) a random key is generated once and kept under EMBEDDED_DATA_DIR.
   */
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  /** Default 3600 s. Lifetime of an access token, in seconds. */
  JWT_EXPIRES_IN: Type.Integer({ default: 3600, minimum: 60, maximum: 86400 * 30 }),
  /**
   * Default 5000 ms. How long a process trusts the role (and existence) of a caller it read; a deletion
   * or a role change applies at once on the replica that makes it and within this on the others. 0
   * reads the user row on every request.
   */
  AUTH_CACHE_TTL_MS: Type.Integer({ default: 5000, minimum: 0, maximum: 300_000 }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  HOST: Type.String({ default: '0.0.0.0' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  /** Default empty. Comma-separated emails that get the `admin` role when registered or created. */
  ADMIN_EMAILS: Type.String({ default: '' }),
  /** Default 20. Login and registration attempts per minute per client address and per account (REST and GraphQL together); 0 turns the limit off. */
  RATE_LIMIT_AUTH: Type.Integer({ default: 20, minimum: 0 }),
  /** Default true. Apply pending migrations before listening. */
  MIGRATE_ON_START: Type.Boolean({ default: true }),
  /** Default 10000 ms. How long SIGTERM waits for in-flight requests before closing. */
  SHUTDOWN_GRACE_MS: Type.Integer({ default: 10000, minimum: 0 }),
  /**
   * Default 5000 ms. After this long without a request (between one and two such intervals), one full
   * garbage collection gives the heap grown under load back to the system (infra/idle-collection.ts).
   * 0 turns it off.
   */
  IDLE_GC_MS: Type.Integer({ default: 5000, minimum: 0, maximum: 3_600_000 }),
  /** Default `./data`. Directory of the embedded database when DATABASE_URL is absent. */
  EMBEDDED_DATA_DIR: Type.String({ default: './data' }),
  /** Default empty. Comma-separated names of event rules linked to every new user (unknown names are skipped). */
  DEFAULT_EVENT_RULES: Type.String({ default: '' }),
  /**
   * Default `auto`: `postgres` with DATABASE_URL, `local` without. How subscriptions hear of changes:
   * `postgres` LISTEN/NOTIFY reaches every replica; `local` only this process (one replica, or a
   * pooler that cannot LISTEN).
   */
  LIVE_FANOUT: Type.Union([Type.Literal('auto'), Type.Literal('postgres'), Type.Literal('local')], { default: 'auto' }),
  /** Default 10. Open GraphQL subscription sockets per user and replica; one more closes with 4403. */
  LIVE_MAX_CONNECTIONS_PER_USER: Type.Integer({ default: 10, minimum: 1, maximum: 1000 }),
  /** Default 20. Active subscriptions per socket; one more is refused with an error message. */
  LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: Type.Integer({ default: 20, minimum: 1, maximum: 1000 }),
  /**
   * Default `5,300,1800,7200,18000,36000,36000` (27.6 h in all). Seconds to wait before each retry of
   * a failed webhook delivery; after the last one fails the endpoint is disabled.
   */
  WEBHOOK_RETRY_SCHEDULE: Type.String({ default: '5,300,1800,7200,18000,36000,36000', pattern: '^\\s*\\d{1,7}\\s*(,\\s*\\d{1,7}\\s*){0,29}$' }),
  /** Default false. Allow webhook targets on loopback, private and link-local addresses, and plain http (development only). */
  WEBHOOK_ALLOW_PRIVATE: Type.Boolean({ default: false }),
  /** Default 10000 ms. How long one webhook delivery may take before it counts as failed. */
  WEBHOOK_TIMEOUT_MS: Type.Integer({ default: 10000, minimum: 100, maximum: 60000 }),
  /** Default 4. Webhook deliveries this replica sends at once; 0 makes it enqueue only (another replica delivers). */
  WEBHOOK_CONCURRENCY: Type.Integer({ default: 4, minimum: 0, maximum: 64 }),
  /** Default 30. Days a webhook delivery attempt stays listed; older ones are deleted as the endpoint gets new ones. */
  WEBHOOK_ATTEMPT_RETENTION_DAYS: Type.Integer({ default: 30, minimum: 1, maximum: 3650 }),
});

/** The validated, frozen configuration. */
export interface Config {
  databaseUrl?: string;
  cacheUrl: string;
  cacheTtlSeconds: number;
  cacheTimeoutMs: number;
  /** Absent only in embedded mode, where the app generates and persists one. */
  jwtSecret?: string;
  jwtExpiresInSeconds: number;
  authCacheTtlMs: number;
  port: number;
  host: string;
  logLevel: Static<typeof EnvSchema>['LOG_LEVEL'];
  adminEmails: readonly string[];
  rateLimitAuthPerMinute: number;
  migrateOnStart: boolean;
  shutdownGraceMs: number;
  /** Idle time (ms) before one full garbage collection; 0 = never. */
  idleGcMs: number;
  embeddedDataDir: string;
  /** Names of the event rules linked to every new user. */
  defaultEventRules: readonly string[];
  /** Caps of GraphQL subscriptions (per replica). */
  live: { fanout: 'postgres' | 'local'; maxConnectionsPerUser: number; maxSubscriptionsPerConnection: number };
  /** Webhook delivery: retry delays in seconds, SSRF policy, timeout (ms), concurrent deliveries. */
  webhooks: { retrySchedule: readonly number[]; allowPrivate: boolean; timeoutMs: number; concurrency: number; attemptRetentionDays: number };
}

/** Thrown at boot when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates configuration from environment variables.
 * @param env - defaults to `process.env`; empty strings count as unset.
 * @throws ConfigError listing each invalid variable and why.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const converted = Value.Convert(EnvSchema, Value.Default(EnvSchema, raw));
  const problems = [...Value.Errors(EnvSchema, converted)].map((e) => `${e.path.slice(1)}: ${e.message} (got ${JSON.stringify(e.value)})`);
  const env_ = converted as Static<typeof EnvSchema>;
  if (env_.DATABASE_URL && !env_.JWT_SECRET) problems.push('JWT_SECRET: required when DATABASE_URL is set (at least 32 characters)');
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return Object.freeze({
    databaseUrl: env_.DATABASE_URL,
    cacheUrl: env_.CACHE_URL,
    cacheTtlSeconds: env_.CACHE_TTL_SECONDS,
    cacheTimeoutMs: env_.CACHE_TIMEOUT_MS,
    jwtSecret: env_.JWT_SECRET,
    jwtExpiresInSeconds: env_.JWT_EXPIRES_IN,
    authCacheTtlMs: env_.AUTH_CACHE_TTL_MS,
    port: env_.PORT,
    host: env_.HOST,
    logLevel: env_.LOG_LEVEL,
    adminEmails: Object.freeze(env_.ADMIN_EMAILS.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean)),
    rateLimitAuthPerMinute: env_.RATE_LIMIT_AUTH,
    migrateOnStart: env_.MIGRATE_ON_START,
    shutdownGraceMs: env_.SHUTDOWN_GRACE_MS,
    idleGcMs: env_.IDLE_GC_MS,
    embeddedDataDir: env_.EMBEDDED_DATA_DIR,
    defaultEventRules: Object.freeze(env_.DEFAULT_EVENT_RULES.split(',').map((n) => n.trim()).filter(Boolean)),
    live: Object.freeze({
      fanout: env_.LIVE_FANOUT === 'auto' ? (env_.DATABASE_URL ? ('postgres' as const) : ('local' as const)) : env_.LIVE_FANOUT,
      maxConnectionsPerUser: env_.LIVE_MAX_CONNECTIONS_PER_USER, maxSubscriptionsPerConnection: env_.LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION }),
    webhooks: Object.freeze({
      retrySchedule: Object.freeze(env_.WEBHOOK_RETRY_SCHEDULE.split(',').map((n) => Number(n.trim()))),
      allowPrivate: env_.WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: env_.WEBHOOK_TIMEOUT_MS,
      concurrency: env_.WEBHOOK_CONCURRENCY,
      attemptRetentionDays: env_.WEBHOOK_ATTEMPT_RETENTION_DAYS,
    }),
  });
}
