import { createTestApp, registerUser, type TestApp, type TestUser } from '../../helpers/app';
import { hasBinary, OwnServer, portOpen } from '../../helpers/services';

const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** cache_hits_total as /metrics reports it. */
async function hits(t: TestApp): Promise<number> {
  const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  return Number(/^cache_hits_total (\d+)/m.exec(text)?.[1] ?? 0);
}

/**
 * Every write path revalidates what it changes before its response: read (and cache), write, read
 * again through the cache. Runs on the shared Redis when it is up (CI), else on the memory provider.
 */
describe('automatic revalidation', () => {
  let t: TestApp;
  let admin: TestUser;
  let host: TestUser;
  let guest: TestUser;
  beforeAll(async () => {
    const redisUp = await portOpen(Number(new URL(REDIS).port));
    if (!redisUp) console.info(`revalidation tests run on memory://: no Redis at ${REDIS}`);
    t = await createTestApp({ CACHE_URL: redisUp ? REDIS : 'memory://', ADMIN_EMAILS: 'cache-admin@example.com' });
    admin = await registerUser(t.app, { email: 'cache-admin@example.com' });
    host = await registerUser(t.app, { timeZone: 'Europe/Paris' });
    guest = await registerUser(t.app);
  });
  afterAll(() => t.close());

  const range = 'start=2027-06-01T00:00:00Z&end=2027-07-01T00:00:00Z';
  const titles = async (u: TestUser, url: string) => {
    const first = await u.request({ method: 'GET', url });
    const again = await u.request({ method: 'GET', url }); // served from the cache
    expect(again.json()).toEqual(first.json());
    return first.json().items.map((i: { title: string }) => i.title);
  };

  it('when entries and series are written, then the next calendar listing shows it (and reads were cached)', async () => {
    const before = await hits(t);
    const cal = host.primaryCalendarId;
    const entries = `/calendars/${cal}/entries?${range}`;
    expect(await titles(host, entries)).toEqual([]);
    const e = (await host.request({ method: 'POST', url: `/calendars/${cal}/entries`, payload: { title: 'A', start: '2027-06-02T10:00:00Z', duration: 'PT1H' } })).json();
    expect(await titles(host, entries)).toEqual(['A']);
    await host.request({ method: 'PATCH', url: `/calendars/${cal}/entries/${e.id}`, payload: { title: 'A2' } });
    expect(await titles(host, entries)).toEqual(['A2']);
    const s = (await host.request({ method: 'POST', url: `/calendars/${cal}/entries`, payload: { title: 'S', start: '2027-06-07T08:00:00Z', duration: 'PT1H', recurrence: { frequency: 'weekly', count: 3 } } })).json();
    expect(await titles(host, entries)).toEqual(['A2', 'S', 'S', 'S']);
    await host.request({ method: 'PATCH', url: `/calendars/${cal}/entries/${s.id}_20270614T080000Z`, payload: { title: 'S moved' } });
    expect(await titles(host, entries)).toEqual(['A2', 'S', 'S moved', 'S']);
    await host.request({ method: 'PATCH', url: `/calendars/${cal}/entries/${s.id}_20270621T080000Z?scope=following`, payload: { title: 'S2' } });
    expect(await titles(host, entries)).toEqual(['A2', 'S', 'S moved', 'S2']);
    await host.request({ method: 'DELETE', url: `/calendars/${cal}/entries/${s.id}_20270614T080000Z` });
    expect(await titles(host, entries)).toEqual(['A2', 'S', 'S2']);
    await host.request({ method: 'DELETE', url: `/calendars/${cal}/entries/${e.id}` });
    expect(await titles(host, entries)).toEqual(['S', 'S2']);
    expect(await hits(t)).toBeGreaterThan(before);
  });

  it("when participants and responses change, then the guest's /events listing follows", async () => {
    const events = '/events?role=participant&include=participants&from=2027-06-01T00:00:00Z&to=2027-07-01T00:00:00Z';
    expect(await titles(guest, events)).toEqual([]);
    const ev = (await host.request({ method: 'POST', url: '/events?force=true', payload: { title: 'Invite', start: '2027-06-03T10:00:00Z', duration: 'PT1H' } })).json();
    await host.request({ method: 'POST', url: `/events/${ev.id}/participants`, payload: { userId: guest.id } });
    expect(await titles(guest, events)).toEqual(['Invite']);
    await guest.request({ method: 'PATCH', url: `/events/${ev.id}/participants/${guest.id}`, payload: { response: 'declined' } });
    const listed = (await guest.request({ method: 'GET', url: events })).json();
    expect(listed.items[0].participants.find((p: { userId: string }) => p.userId === guest.id).response).toBe('declined');
    await host.request({ method: 'PATCH', url: `/events/${ev.id}`, payload: { title: 'Invite v2' } });
    expect(await titles(guest, events)).toEqual(['Invite v2']);
    await host.request({ method: 'DELETE', url: `/events/${ev.id}/participants/${guest.id}` });
    expect(await titles(guest, events)).toEqual([]);
  });

  it('when a calendar or a user is deleted, then their events leave the guests\' listings', async () => {
    const u = await registerUser(t.app);
    const side = (await u.request({ method: 'POST', url: '/calendars', payload: { name: 'Side' } })).json().id;
    await u.request({ method: 'POST', url: '/events', payload: { title: 'Side event', calendarId: side, start: '2027-06-04T10:00:00Z', duration: 'PT1H', participants: [{ userId: guest.id }] } });
    await u.request({ method: 'POST', url: '/events', payload: { title: 'Main event', start: '2027-06-05T10:00:00Z', duration: 'PT1H', participants: [{ userId: guest.id }] } });
    const events = '/events?role=participant&from=2027-06-04T00:00:00Z&to=2027-06-06T00:00:00Z';
    expect(await titles(guest, events)).toEqual(['Side event', 'Main event']);
    await u.request({ method: 'DELETE', url: `/calendars/${side}` });
    expect(await titles(guest, events)).toEqual(['Main event']);
    await u.request({ method: 'DELETE', url: `/users/${u.id}` });
    expect(await titles(guest, events)).toEqual([]);
  });

  it('when rules, links, subscriptions and the user change, then the nearest event follows', async () => {
    const m = await registerUser(t.app, { timeZone: 'UTC' });
    await admin.request({ method: 'PATCH', url: `/users/${m.id}`, payload: { signedUpAt: '2027-01-10T09:00:00Z' } });
    const nearest = async () => {
      const url = `/users/${m.id}/nearest-event?after=2027-01-01T00:00:00Z`;
      const first = await m.request({ method: 'GET', url });
      expect((await m.request({ method: 'GET', url })).body).toBe(first.body);
      return first.statusCode === 200 ? first.json() : first.statusCode;
    };
    expect(await nearest()).toBe(404);
    const rule = (await admin.request({ method: 'POST', url: '/event-rules', payload: { name: `cache rule ${m.id}`, eventType: 'inscription', offsetDays: 2 } })).json();
    await admin.request({ method: 'PUT', url: `/users/${m.id}/event-rules/${rule.id}` });
    expect((await nearest()).date).toBe('2027-01-12T09:00:00.000Z');
    await admin.request({ method: 'PATCH', url: `/event-rules/${rule.id}`, payload: { offsetDays: 3 } });
    expect((await nearest()).date).toBe('2027-01-13T09:00:00.000Z');
    await admin.request({ method: 'PATCH', url: `/users/${m.id}`, payload: { signedUpAt: '2027-01-20T09:00:00Z' } });
    expect((await nearest()).date).toBe('2027-01-23T09:00:00.000Z');
    const subRule = (await admin.request({ method: 'POST', url: '/event-rules', payload: { name: `cache sub rule ${m.id}`, eventType: 'subscription_end', offsetDays: -3 } })).json();
    await admin.request({ method: 'PUT', url: `/users/${m.id}/event-rules/${subRule.id}` });
    const sub = (await admin.request({ method: 'POST', url: `/users/${m.id}/subscriptions`, payload: { offer: 'Pro', startsAt: '2027-01-01T00:00:00Z', endsAt: '2027-01-10T00:00:00Z' } })).json();
    expect((await nearest()).date).toBe('2027-01-07T00:00:00.000Z');
    await admin.request({ method: 'PATCH', url: `/subscriptions/${sub.id}`, payload: { endsAt: '2027-02-10T00:00:00Z' } });
    expect((await nearest()).date).toBe('2027-01-23T09:00:00.000Z');
    await admin.request({ method: 'DELETE', url: `/users/${m.id}/event-rules/${rule.id}` });
    expect((await nearest()).date).toBe('2027-02-07T00:00:00.000Z');
    await admin.request({ method: 'DELETE', url: `/subscriptions/${sub.id}` });
    expect(await nearest()).toBe(404);
  });
});

describe('two API processes on one Redis', () => {
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  beforeAll(async () => {
    if (!(await portOpen(Number(new URL(REDIS).port)))) return console.info(`skipped: no Redis at ${REDIS} (CI starts it)`);
    a = await createTestApp({ CACHE_URL: REDIS });
    b = await createTestApp({ CACHE_URL: REDIS });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('when one writes, then the other reads the change at once', async () => {
    if (!a || !b) return;
    const u = await registerUser(a.app);
    const url = `/calendars/${u.primaryCalendarId}/entries?start=2027-08-01T00:00:00Z&end=2027-08-02T00:00:00Z`;
    const viaB = () => b!.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${u.token}` } });
    expect((await viaB()).json().items).toEqual([]);
    expect((await viaB()).json().items).toEqual([]); // now cached in Redis
    await u.request({ method: 'POST', url: `/calendars/${u.primaryCalendarId}/entries`, payload: { title: 'via A', start: '2027-08-01T10:00:00Z', duration: 'PT1H' } });
    expect((await viaB()).json().items.map((i: { title: string }) => i.title)).toEqual(['via A']);
  });
});

describe('a cache server stopped under load', () => {
  (hasBinary('redis-server') ? it : it.skip)('when Redis stops, then requests are still served from the database, /readyz stays ready, and caching resumes when it is back', async () => {
    const redis = await OwnServer.create('redis');
    await redis.start();
    const t = await createTestApp({ CACHE_URL: redis.url, CACHE_TIMEOUT_MS: '200' });
    try {
      const u = await registerUser(t.app);
      const url = `/calendars/${u.primaryCalendarId}/entries?start=2027-09-01T00:00:00Z&end=2027-09-02T00:00:00Z`;
      const burst = async (n: number) => (await Promise.all(Array.from({ length: n }, () => u.request({ method: 'GET', url })))).map((r) => r.statusCode);
      expect(await burst(5)).toEqual(Array(5).fill(200));
      await redis.stop();
      expect(await burst(20)).toEqual(Array(20).fill(200));
      const created = await u.request({ method: 'POST', url: `/calendars/${u.primaryCalendarId}/entries`, payload: { title: 'while down', start: '2027-09-01T10:00:00Z', duration: 'PT1H' } });
      expect(created.statusCode).toBe(201);
      expect((await u.request({ method: 'GET', url })).json().items).toHaveLength(1);
      expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(Number(/^cache_errors_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);
      await redis.start();
      expect(await burst(5)).toEqual(Array(5).fill(200));
      expect((await u.request({ method: 'GET', url })).json().items).toHaveLength(1);
    } finally {
      await t.close();
      await redis.stop();
    }
  }, 60_000);
});
