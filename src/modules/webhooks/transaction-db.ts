import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import type PgBoss from 'pg-boss';

/**
 * pg-boss's `db` option over the open transaction of `em`, so jobs are inserted in that transaction
 * and exist exactly when it commits (transactional outbox). pg-boss writes `$1`-style parameters;
 * knex (under MikroORM) binds `?`: each `$n` becomes a `?` bound to `values[n-1]`.
 * @throws Error when `em` has no open transaction (a job written outside one could outlive a rollback).
 */
export function transactionDb(em: EntityManager): PgBoss.Db {
  const trx = em.getTransactionContext();
  if (!trx) throw new Error('transactionDb: call it inside em.transactional(), on the transaction manager');
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const bindings: unknown[] = [];
      const sql = text.replace(/\?/g, '\\?').replace(/\$(\d+)/g, (_m, n: string) => {
        bindings.push(values[Number(n) - 1]);
        return '?';
      });
      const rows = await em.getConnection().execute(sql, bindings, 'all', trx);
      return { rows: rows as unknown[] };
    },
  };
}

/**
 * A UUID derived from `parts` (SHA-256, shaped as an RFC 9562 version 8 UUID): the same parts give the
 * same id, so inserting a job twice (a retried transaction, two replicas) keeps one (pg-boss inserts
 * with ON CONFLICT DO NOTHING).
 */
export function stableUuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\n')).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
