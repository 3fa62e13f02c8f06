import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

/** Where the app's data lives: a PostgreSQL URL, and what to stop on shutdown. */
export interface Database {
  url: string;
  embedded?: EmbeddedPostgres;
  /** JWT_SECRET, or in embedded mode a generated one kept in `<dataDir>/jwt-secret`. */
  jwtSecret: string;
}

/**
 * Resolves the database: DATABASE_URL when set; otherwise an embedded PostgreSQL under
 * EMBEDDED_DATA_DIR (default ./data) with a JWT key generated once and kept beside it (mode 0600), so
 * `npm start` on a fresh clone needs no configuration and tokens survive restarts.
 */
export async function openDatabase(config: Readonly<Config>): Promise<Database> {
  if (config.databaseUrl) {
    if (!config.jwtSecret) throw new Error('JWT_SECRET is required with DATABASE_URL');
    return { url: config.databaseUrl, jwtSecret: config.jwtSecret };
  }
  await mkdir(config.embeddedDataDir, { recursive: true });
  const jwtSecret = config.jwtSecret ?? (await devSecret(path.join(config.embeddedDataDir, 'jwt-secret')));
  const embedded = await startEmbeddedPostgres(config.embeddedDataDir);
  return { url: embedded.url, embedded, jwtSecret };
}

async function devSecret(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(48).toString('base64url');
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}
