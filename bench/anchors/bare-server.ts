import { Pool } from 'pg';
import { buildBareApp } from './bare-entries';

/**
 * Child process of the bench: the bare Fastify + pg listing on HOST:PORT against DATABASE_URL
 * (pool of 10, as the service's), signed with JWT_SECRET. GET /healthz answers 200.
 */
async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const app = buildBareApp({ pool, jwtSecret: process.env.JWT_SECRET ?? '' });
  app.get('/healthz', async () => ({ status: 'ok' }));
  await app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' });
  process.on('SIGTERM', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
