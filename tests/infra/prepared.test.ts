import type { EntityManager } from '@mikro-orm/postgresql';
import { queryPrepared } from '../../src/infra/prepared';
import { countQueries, createTestApp, type TestApp } from '../helpers/app';

/** The driver path of hot reads: named statements on the ORM's pool, inside its transactions too. */
describe('prepared statements on the ORM pool', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  }, 60_000);
  afterAll(() => t.close());

  const txid = { name: 'test-txid', text: 'select txid_current()::text as txid, $1::int + 1 as next' };

  it('when run in a transaction, then it runs on that transaction, and is counted as a statement', async () => {
    await t.orm.em.fork().transactional(async (em: EntityManager) => {
      const [{ txid: own }] = await em.getConnection().execute<{ txid: string }[]>('select txid_current()::text as txid', [], 'all', em.getTransactionContext());
      const { result, count } = await countQueries(t.orm, () => queryPrepared<{ txid: string; next: number }>(em, txid, [41]));
      expect(result).toEqual([{ txid: own, next: 42 }]);
      expect(count).toBe(1);
    });
  });

  it('when run again on the pool, then the named statement is reused with new values, each time in its own transaction', async () => {
    const em = t.orm.em.fork();
    const runs = [];
    for (let i = 0; i < 12; i++) runs.push(await queryPrepared<{ txid: string; next: number }>(em, txid, [i]));
    expect(runs.map(([r]) => r!.next)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(new Set(runs.map(([r]) => r!.txid)).size).toBe(12);
  });

  it('when the statement fails, then the error is the driver\'s and the connection goes back to the pool', async () => {
    const em = t.orm.em.fork();
    await expect(queryPrepared(em, { name: 'test-bad-cast', text: 'select $1::int as n' }, ['not a number'])).rejects.toMatchObject({ code: '22P02' });
    // A pool of 10 would be exhausted by a leak after 10 failures; 20 prove the connection is released.
    for (let i = 0; i < 20; i++) await expect(queryPrepared(em, { name: 'test-bad-cast', text: 'select $1::int as n' }, ['x'])).rejects.toBeDefined();
    expect(await queryPrepared(em, txid, [1])).toEqual([expect.objectContaining({ next: 2 })]);
  });

  it('when it runs, then it uses the driver\'s callback form (its promise form left every listing\'s rows to be promoted)', async () => {
    const em = t.orm.em.fork();
    const client = (em.getConnection().getKnex() as unknown as { client: { acquireConnection(): Promise<{ query: (...args: unknown[]) => unknown }> } }).client;
    const acquire = client.acquireConnection.bind(client);
    const queries: jest.SpyInstance[] = [];
    const spy = jest.spyOn(client, 'acquireConnection').mockImplementation(async () => {
      const connection = await acquire();
      queries.push(jest.spyOn(connection, 'query'));
      return connection;
    });
    try {
      expect(await queryPrepared(em, txid, [2])).toEqual([expect.objectContaining({ next: 3 })]);
      expect(queries).toHaveLength(1);
      expect(queries[0]!.mock.calls).toHaveLength(1);
      expect(typeof queries[0]!.mock.calls[0]![1]).toBe('function');
    } finally {
      spy.mockRestore();
      for (const q of queries) q.mockRestore();
    }
  });
});
