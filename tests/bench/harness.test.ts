import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { Pool } from 'pg';
import { buildBareApp } from '../../bench/anchors/bare-entries';
import { createPostgraphileServer } from '../../bench/anchors/postgraphile-server';
import { closedLoop, runOnce } from '../../bench/harness/load';
import { memoryOf } from '../../bench/harness/processes';
import { assertSameBodies, entriesPath, graphqlQueries, timedInside, WINDOWS } from '../../bench/harness/scenarios';
import { type ApiCall, type BenchData, seed } from '../../bench/harness/seed';
import { createTestApp, onEmbedded, TEST_SECRET, type TestApp } from '../helpers/app';

/**
 * Smoke test of `npm run bench` (bench/run.ts), without timing anything: its seed runs, its anchors
 * start, the bare handler's bodies are byte-identical to the service's (so the REST ratios compare
 * the same work), PostGraphile answers the same GraphQL page, and the load generator drives a target.
 */
const describeOnServer = onEmbedded ? describe.skip : describe; // PostGraphile and pg pools need a real server

describeOnServer('benchmark harness', () => {
  let t: TestApp;
  let pool: Pool;
  let bare: Awaited<ReturnType<typeof buildBareApp>>;
  let postgraphile: http.Server;
  let data: BenchData;
  const base = { service: '', bare: '', postgraphile: '' };

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL!;
    t = await createTestApp();
    const api: ApiCall = async (method, path, body, token) => {
      const res = await t.app.inject({ method: method as 'GET', url: path, ...(body !== undefined && { payload: body as object }), headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { status: res.statusCode, body: res.body ? res.json() : undefined };
    };
    data = await seed(api, url, { singles: 400, series: 4, insert: [], graphqlEvents: 120, guests: 4 });
    base.service = await t.app.listen({ port: 0, host: '127.0.0.1' });
    pool = new Pool({ connectionString: url, max: 2 });
    bare = buildBareApp({ pool, jwtSecret: TEST_SECRET });
    base.bare = await bare.listen({ port: 0, host: '127.0.0.1' });
    postgraphile = createPostgraphileServer(url);
    await new Promise<void>((resolve) => postgraphile.listen(0, '127.0.0.1', resolve));
    base.postgraphile = `http://127.0.0.1:${(postgraphile.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    postgraphile?.closeAllConnections();
    await new Promise((resolve) => postgraphile?.close(resolve));
    await bare?.close();
    await pool?.end();
    await t?.close();
  });

  it('when the bare handler and the service list the same windows, then their bodies are byte-identical', async () => {
    const paths = [data.singlesCalendarId, data.seriesCalendarId].flatMap((id) => [entriesPath(id, WINDOWS.week), entriesPath(id, WINDOWS.month)]);
    // A short page too, so nextCursor is compared as well.
    const short = entriesPath(data.seriesCalendarId, WINDOWS.month).replace('limit=500', 'limit=7');
    await assertSameBodies(base, [...paths, short], data.owner.token);
    const page = await (await fetch(`${base.bare}${short}`, { headers: { authorization: `Bearer ${data.owner.token}` } })).json();
    expect(page.items).toHaveLength(7);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(page.items.some((i: { seriesId: string | null }) => i.seriesId)).toBe(true);
  });

  it('when the bare handler gets no token or another owner’s calendar, then it refuses as the service does', async () => {
    const path = entriesPath(data.singlesCalendarId, WINDOWS.week);
    expect((await fetch(`${base.bare}${path}`)).status).toBe(401);
    const other = await fetch(`${base.bare}${path}`, { headers: { authorization: `Bearer ${data.graphqlHost.token}` } });
    expect(other.status).toBe(404);
  });

  it('when PostGraphile and the service are asked for the page of 100 events, then they return the same events', async () => {
    const { service } = await graphqlQueries(base, data);
    expect(service).toContain('participants');
  });

  it('when the load generator drives a target, then it counts the answers by status', async () => {
    const stats = await runOnce({ name: 'bare', base: base.bare, path: entriesPath(data.singlesCalendarId, WINDOWS.week), headers: { authorization: `Bearer ${data.owner.token}` } }, 2, 0.3);
    expect(stats.errors).toBe(0);
    expect(stats.unexpected).toBe(0);
    expect(stats.requestsPerSecond).toBeGreaterThan(0);
  });

  it('when a closed loop drives a target, then it times the answers after the warm-up and refuses an unexpected status', async () => {
    const target = { name: 'bare', base: base.bare, path: entriesPath(data.singlesCalendarId, WINDOWS.week), headers: { authorization: `Bearer ${data.owner.token}` } };
    const tail = await closedLoop(target, 2, 0.3, 0.2);
    expect(tail.requests).toBeGreaterThan(0);
    expect(tail.p99).toBeGreaterThan(0);
    expect(tail.max).toBeGreaterThanOrEqual(tail.p99);
    await expect(closedLoop({ ...target, headers: {} }, 2, 0.1, 0)).rejects.toThrow('bare: status 401');
  });

  it('when the service is read for its own timing and memory, then the load it took is counted and the anchors have none', async () => {
    const route = '/calendars/:calendarId/entries';
    const before = await timedInside(base.service, route);
    const stats = await runOnce({ name: 'service', base: base.service, path: entriesPath(data.singlesCalendarId, WINDOWS.week), headers: { authorization: `Bearer ${data.owner.token}` } }, 2, 0.3);
    const after = await timedInside(base.service, route);
    expect(stats.requestsPerSecond).toBeGreaterThan(0);
    expect(after.requests - before.requests).toBeGreaterThan(0);
    expect(after.overOneSecond).toBeGreaterThanOrEqual(0);
    expect(after.overOneSecond).toBeLessThanOrEqual(after.requests);
    const memory = await memoryOf(base.service);
    expect(memory).toEqual({ heapTotal: expect.any(Number), heapUsed: expect.any(Number), external: expect.any(Number) });
    expect(memory!.heapUsed).toBeLessThanOrEqual(memory!.heapTotal);
    expect(await memoryOf(base.bare)).toBeUndefined();
  });
});
