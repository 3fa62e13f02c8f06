import { randomUUID } from 'node:crypto';
import { createTestApp, onEmbedded, registerUser, type TestApp, type TestUser } from '../../helpers/app';
import { recordChanges } from '../../../src/modules/events/sync/change-log';

/** Incremental sync under concurrent writers: no change is lost, whatever order writers commit in. */
const maybe = onEmbedded ? describe.skip : describe; // PGlite runs one transaction at a time

maybe('incremental sync under concurrent writes', () => {
  let t: TestApp;
  let ann: TestUser;
  let cal: string;
  beforeAll(async () => {
    t = await createTestApp();
    ann = await registerUser(t.app);
  });
  beforeEach(async () => {
    cal = (await ann.request({ method: 'POST', url: '/calendars', payload: { name: 'busy' } })).json().id;
  });
  afterAll(() => t.close());

  const WINDOW = 'start=2027-06-01T00:00:00Z&end=2027-07-01T00:00:00Z';
  interface Item { id: string; title?: string }
  const read = async (query: string) => {
    const res = await ann.request({ method: 'GET', url: `/calendars/${cal}/entries?${WINDOW}&limit=500${query}` });
    expect(res.statusCode).toBe(200);
    return res.json() as { items: Item[]; nextSyncToken: string };
  };
  /** Applies a sync to `copy` and returns the next token. */
  const sync = async (copy: Map<string, Item>, token: string) => {
    const page = await read(`&syncToken=${encodeURIComponent(token)}`);
    for (const i of page.items) if (i.title === undefined) copy.delete(i.id); else copy.set(i.id, i);
    return page.nextSyncToken;
  };

  it('when many writers create entries while a client keeps syncing, then the client ends with every one', async () => {
    const copy = new Map<string, Item>();
    let token = (await read('')).nextSyncToken;
    let writing = true;
    const writers = Promise.all(Array.from({ length: 24 }, (_, i) =>
      ann.request({ method: 'POST', url: `/calendars/${cal}/entries?force=true`, payload: { title: `w${i}`, start: `2027-06-${String(1 + (i % 28)).padStart(2, '0')}T09:00:00Z`, duration: 'PT1H' } }),
    )).finally(() => (writing = false));
    while (writing) token = await sync(copy, token);
    const created = await writers;
    expect(created.map((r) => r.statusCode)).toEqual(created.map(() => 201));
    await sync(copy, token);
    const full = (await read('')).items;
    expect(full).toHaveLength(24);
    expect([...copy.keys()].sort()).toEqual(full.map((i) => i.id).sort());
  });

  it('when a writer that began first commits after a sync that saw a later writer, then the next sync still has its change', async () => {
    const copy = new Map<string, Item>();
    let token = (await read('')).nextSyncToken;
    const slowId = randomUUID();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const began = new Promise<void>((resolve) => (started = resolve));
    // The slow writer takes its transaction id first, then waits before it writes and commits.
    const slow = t.orm.em.fork().transactional(async (em) => {
      await em.getConnection().execute('select pg_current_xact_id()', [], 'all', em.getTransactionContext());
      started();
      await gate;
      await em.getConnection().execute(
        `insert into events (id, calendar_id, title, start_at, end_at, time_zone, host_id, created_at, updated_at) values (?, ?, 'slow', '2027-06-10T09:00:00Z', '2027-06-10T10:00:00Z', 'UTC', ?, now(), now())`,
        [slowId, cal, ann.id], 'run', em.getTransactionContext(),
      );
      await recordChanges(em, [{ type: 'entry', kind: 'created', calendarId: cal, ownerId: ann.id, entryId: slowId, seriesId: null, originalStart: null }]);
    });
    await began;
    const fast = await ann.request({ method: 'POST', url: `/calendars/${cal}/entries?force=true`, payload: { title: 'fast', start: '2027-06-11T09:00:00Z', duration: 'PT1H' } });
    expect(fast.statusCode).toBe(201);
    token = await sync(copy, token);
    expect([...copy.keys()]).toEqual([fast.json().id]);
    release();
    await slow;
    await sync(copy, token);
    expect([...copy.keys()].sort()).toEqual([fast.json().id, slowId].sort());
  });
});
