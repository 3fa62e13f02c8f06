import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/** A running embedded PostgreSQL: its connection URL and how to stop it. */
export interface EmbeddedPostgres {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite (PostgreSQL compiled to WASM) in this process and serves it over the PostgreSQL wire
 * protocol on a loopback port, so the ordinary `pg` driver connects to it and only the URL differs
 * from production (see shared/STACK.md).
 *
 * PGlite runs one query at a time; the socket server multiplexes up to `maxConnections` clients. It is
 * a development default, not for concurrent production load.
 *
 * @param dataDir - directory of the database files (created if missing); `memory://` for a throwaway one.
 * @param maxConnections - default 20; must be ≥ the ORM pool size plus the webhook queue's pool, or
 *   extra connections are cut.
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections = 20): Promise<EmbeddedPostgres> {
  // Dynamic imports keep PGlite (and its WASM) out of production processes that use DATABASE_URL.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  let location = dataDir;
  if (!dataDir.startsWith('memory://')) {
    location = path.resolve(dataDir, 'pgdata');
    await mkdir(location, { recursive: true });
  }
  const db = await PGlite.create(location);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  try {
    await server.start();
  } catch (err) {
    await db.close();
    throw err;
  }
  const conn = server.getServerConn(); // "127.0.0.1:54321"
  return {
    url: `postgresql://postgres@${conn}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
