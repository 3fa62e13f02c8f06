import 'reflect-metadata';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config/config';
import { openDatabase } from './infra/database';
import { initOrm } from './infra/orm';
import { IDLE_DRAIN_MS, stopAccepting } from './infra/shutdown';
import { ENTITIES } from './modules';

/**
 * Starts the service: validates configuration, opens the database (embedded when DATABASE_URL is
 * unset), applies migrations (unless MIGRATE_ON_START=false), listens on HOST:PORT, and on SIGTERM or
 * SIGINT drains: new connections are refused and /readyz turns 503; requests on open connections are
 * still answered, with `Connection: close`; idle keep-alive connections are closed after a short
 * drain (1 s, or half of SHUTDOWN_GRACE_MS when that is shorter); in-flight requests finish (up to
 * SHUTDOWN_GRACE_MS), then the process exits.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const db = await openDatabase(config);
  const orm = await initOrm(db.url, { entities: ENTITIES, migrate: config.migrateOnStart, exclusive: !db.embedded });
  const app = await buildApp({ config: { ...config, jwtSecret: db.jwtSecret }, orm });
  await app.listen({ port: config.port, host: config.host });
  if (db.embedded) app.log.warn(`DATABASE_URL is not set: using the embedded PostgreSQL under ${config.embeddedDataDir} (development only)`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'draining');
    app.startDraining();
    const force = setTimeout(() => {
      app.log.error('grace period over; exiting with requests in flight');
      process.exit(1);
    }, config.shutdownGraceMs + 5000).unref();
    await stopAccepting(app.server, Math.min(IDLE_DRAIN_MS, config.shutdownGraceMs / 2));
    await app.close(); // closes idle connections, waits for in-flight requests
    await orm.close(true);
    await db.embedded?.stop();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
