import type { MikroORM } from '@mikro-orm/postgresql';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics';

/**
 * /healthz (the process answers), /readyz (the database answers within 2 s, and the process is not
 * draining), /metrics (Prometheus text format). Public, as the contract says.
 */
export async function opsRoutes(app: FastifyInstance, opts: { orm: MikroORM; metrics: Metrics; isDraining: () => boolean }): Promise<void> {
  const tags = ['operations'];
  const Status = Type.Object({ status: Type.String() });

  app.get('/healthz', { schema: { tags, operationId: 'getHealth', summary: 'Liveness: the process is up', response: { 200: Status } } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { tags, operationId: 'getReadiness', summary: 'Readiness: the database is reachable', response: { 200: Status, 503: Status } } }, async (_req, reply) => {
    if (opts.isDraining()) return reply.status(503).send({ status: 'draining' });
    const ok = await Promise.race([
      opts.orm.em.getConnection().execute('select 1').then(() => true, () => false),
      new Promise<boolean>((resolve) => setTimeout(resolve, 2000, false).unref()),
    ]);
    return ok ? { status: 'ok' } : reply.status(503).send({ status: 'database unreachable' });
  });

  app.get('/metrics', { schema: { tags, operationId: 'getMetrics', summary: 'Prometheus metrics', produces: ['text/plain'], response: { 200: Type.String({ description: 'Prometheus text exposition format' }) } } }, async (_req, reply) => {
    const pool = (opts.orm.em.getConnection().getKnex().client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } }).pool;
    if (pool) {
      opts.metrics.dbPool.set({ state: 'used' }, pool.numUsed());
      opts.metrics.dbPool.set({ state: 'free' }, pool.numFree());
      opts.metrics.dbPool.set({ state: 'pending' }, pool.numPendingAcquires());
    }
    return reply.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
  });
}
