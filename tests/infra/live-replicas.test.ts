// Subscriptions across replicas (issue 17, "Done when"): two API processes on one PostgreSQL; a
// graphql-ws subscriber connected to process B receives what is written through process A.
import { createTestApp } from '../helpers/app';
import { subscribe, wsClient, wsUrl } from '../helpers/graphql-ws';
import { type ApiProcess, processTestsUnavailable, startApi } from './api-process';

const unavailable = processTestsUnavailable();
if (unavailable) console.log(`live-replicas test skipped: ${unavailable}`);
const maybe = unavailable ? describe.skip : describe;

maybe('subscriptions across two API processes', () => {
  let a: ApiProcess | undefined;
  let b: ApiProcess | undefined;
  beforeAll(async () => {
    await (await createTestApp()).close(); // migrations, under the suite's advisory lock
    [a, b] = await Promise.all([startApi({}, 90_000), startApi({}, 90_000)]);
  }, 200_000);
  afterAll(async () => {
    await Promise.all([a?.stop(2000), b?.stop(2000)]);
  });

  const call = (base: string, path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
    fetch(`${base}${path}`, { method: init.method ?? 'GET', headers: { ...(init.body !== undefined && { 'content-type': 'application/json' }), ...(init.token && { authorization: `Bearer ${init.token}` }) }, body: init.body === undefined ? undefined : JSON.stringify(init.body) });

  it('when an entry is written through process A, then a subscriber on process B receives it after the commit', async () => {
    const { accessToken: token } = await (await call(a!.base, '/auth/register', { method: 'POST', body: { name: 'Replica', email: `replica-${crypto.randomUUID()}@example.com`, password: 'correct horse' } })).json() as { accessToken: string };
    const calendarId = (await (await call(a!.base, '/calendars', { token })).json() as { items: { id: string }[] }).items[0]!.id;
    const { client } = wsClient(wsUrl(b!.base), token);
    try {
      const sub = await subscribe(client, 'subscription($id: UUID!) { calendarChanges(calendarId: $id) { kind entryId entry { title } } }', { id: calendarId });
      const created = await call(a!.base, `/calendars/${calendarId}/entries`, { method: 'POST', token, body: { title: 'Across', start: '2031-08-01T09:00:00Z', duration: 'PT1H' } });
      expect(created.status).toBe(201);
      const { id } = await created.json() as { id: string };
      const deleted = await call(a!.base, `/calendars/${calendarId}/entries/${id}`, { method: 'DELETE', token });
      expect(deleted.status).toBe(204);
      const [first, second] = await sub.waitFor(2);
      expect(first!.data!.calendarChanges).toEqual({ kind: 'created', entryId: id, entry: { title: 'Across' } });
      expect(second!.data!.calendarChanges).toEqual({ kind: 'deleted', entryId: id, entry: null });
    } finally {
      await client.dispose();
    }
  }, 60_000);
});
