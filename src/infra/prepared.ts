import type { EntityManager } from '@mikro-orm/postgresql';
import { nextTurn } from './loop-turns';

/** A named SQL statement with `$1`-style parameters, prepared once per pooled connection. */
export interface PreparedStatement {
  /** Unique per SQL text in the process (PostgreSQL prepares it under this name on each connection). */
  name: string;
  text: string;
}

/** The part of a pooled node-postgres client this module uses: its callback form (see {@link queryPrepared}). */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }, callback: (err: Error | null, result: { rows: Record<string, unknown>[] }) => void): void;
}

/** The part of knex's client (under MikroORM) this module uses. */
interface KnexLike {
  client: {
    acquireConnection(): Promise<PgClient>;
    releaseConnection(connection: PgClient): Promise<unknown>;
    emit(event: 'query' | 'query-response', ...args: unknown[]): boolean;
  };
}

/**
 * Runs `statement` with `values` on a connection of MikroORM's pool (on `em`'s transaction when it has
 * one) as a named prepared statement, and returns its rows as node-postgres parses them with the
 * ORM's type parsers: timestamps as strings, JSON parsed, numbers of `float8` columns as numbers.
 *
 * For the hot read paths (listings): the ORM sends every statement as text with its values inlined
 * (`formatQuery`), so PostgreSQL parses and plans it again each time and the driver writes it
 * uncorked; a prepared statement is parsed once per connection, its values travel apart (extended
 * query protocol, written as one packet), and knex's query runner and MikroORM's logging are skipped.
 * The `query` and `query-response` events are emitted on knex's client as knex's runner does (they
 * reach the knex instance and a transaction's), so whoever listens for statements (tests counting
 * them) or for successful queries (the outage log) hears these too. The rows are returned in the
 * caller's turn of the event loop ({@link nextTurn}).
 *
 * The statement goes through node-postgres's callback form, as knex's runner and pg-pool's `query`
 * send theirs. Its promise form (`client.query(config)` without a callback) left every listing's rows
 * to survive V8's young-generation collections: the month listing at one connection promoted 1.27 MB
 * a scavenge with it and 0.004 MB with the callback, peak RSS 320 against 171 MB (`--trace-gc-nvp`,
 * issue 13). A plain client reading 800 rows in a loop showed the same, 4.7 MB against 0.0 and 332
 * against 542 statements a second; there the promise form promoted nothing under
 * `--no-allocation-site-pretenuring`, so V8's pretenuring of an allocation site on that path is part
 * of it (in the service that flag alone did not stop it; the callback form did).
 * @throws the driver's error (a SQL error, or a connection error while the database is unreachable).
 */
export async function queryPrepared<R = Record<string, unknown>>(em: EntityManager, statement: PreparedStatement, values: unknown[]): Promise<R[]> {
  const knex = (em.getTransactionContext() ?? em.getConnection().getKnex()) as unknown as KnexLike;
  const connection = await knex.client.acquireConnection();
  let rows: Record<string, unknown>[];
  try {
    const query = { sql: statement.text, bindings: values, method: 'raw' };
    knex.client.emit('query', query);
    rows = await new Promise((resolve, reject) => {
      connection.query({ name: statement.name, text: statement.text, values }, (err, result) => (err ? reject(err) : resolve(result.rows)));
    });
    knex.client.emit('query-response', rows, query);
  } finally {
    await knex.client.releaseConnection(connection);
  }
  await nextTurn(); // the caller goes on to build a whole listing from the rows
  return rows as R[];
}
