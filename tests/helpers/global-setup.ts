import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres';

/**
 * Prepares one empty database for the whole run: DATABASE_URL (CI: the real PostgreSQL), or an
 * in-memory PGlite otherwise. TEST_DATABASE_URL tells the test files where it is; the first app a test
 * builds applies the migrations (see helpers/app.ts), so they are tested from scratch every run.
 *
 * MikroORM is deliberately not used here: an ORM initialised in globalSetup breaks the ORM of tests
 * run in band (mikro-orm#3783).
 */
export default async function globalSetup(): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const embedded = await startEmbeddedPostgres('memory://', 20);
    (globalThis as { __embedded?: typeof embedded }).__embedded = embedded;
    url = embedded.url;
    process.env.TEST_EMBEDDED = '1';
  }
  process.env.TEST_DATABASE_URL = url;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('drop schema if exists public cascade; drop schema if exists pgboss cascade; create schema public;');
  } finally {
    await client.end();
  }
}
