import { createTestApp, registerUser, type TestApp, type TestUser } from '../../helpers/app';
import { createMember, createRule, link, meeting, RUN, registerAdmin, subscribe } from './fixtures';

const ADMIN = `admin-nearest-${RUN}@example.com`;
const ADMIN2 = `admin-rules-${RUN}@example.com`;

describe('nearest events over REST', () => {
  let t: TestApp;
  let admin: TestUser;
  const rules: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ ADMIN_EMAILS: ADMIN });
    admin = await registerAdmin(t.app, ADMIN);
    rules.twoDaysAfterInscription = await createRule(admin, { name: '2 days after inscription', eventType: 'inscription', offsetDays: 2 });
    rules.anniversary = await createRule(admin, { name: 'joining anniversary', eventType: 'inscription', offsetDays: 0, repeat: 'yearly' });
    rules.fiveAfterStart = await createRule(admin, { name: '5 days after the start of the subscription offer', eventType: 'subscription_start', offsetDays: 5 });
    rules.threeBeforeEnd = await createRule(admin, { name: '3 days before the end of the subscription offer', eventType: 'subscription_end', offsetDays: -3 });
    rules.fourAfterEnd = await createRule(admin, { name: '4 days after the end of the subscription offer', eventType: 'subscription_end', offsetDays: 4 });
    rules.dayBeforeMeeting = await createRule(admin, { name: '1 day before each meeting', eventType: 'meeting', offsetDays: -1 });
  });
  afterAll(() => t.close());

  /** A member signed up on 2025-01-10 09:00Z, subscribed 2025-02-01 → 2025-06-30, hosting a meeting on 2025-03-15 10:00Z. */
  async function memberWithData() {
    const m = await createMember(t.app, admin, { signedUpAt: '2025-01-10T09:00:00Z' });
    const subscriptionId = await subscribe(admin, m.id, { startsAt: '2025-02-01T00:00:00Z', endsAt: '2025-06-30T00:00:00Z' });
    const meetingId = await meeting(m, '2025-03-15T10:00:00Z');
    return { m, subscriptionId, meetingId };
  }

  it.each([
    ['2 days after inscription', 'twoDaysAfterInscription', '2025-01-01T00:00:00Z', 'inscription', '2025-01-12T09:00:00.000Z', null],
    ['joining anniversary', 'anniversary', '2025-01-11T00:00:00Z', 'inscription', '2026-01-10T09:00:00.000Z', null],
    ['5 days after the start of the subscription offer', 'fiveAfterStart', '2025-01-01T00:00:00Z', 'subscription_start', '2025-02-06T00:00:00.000Z', 'subscription'],
    ['3 days before the end of the subscription offer', 'threeBeforeEnd', '2025-01-01T00:00:00Z', 'subscription_end', '2025-06-27T00:00:00.000Z', 'subscription'],
    ['4 days after the end of the subscription offer', 'fourAfterEnd', '2025-01-01T00:00:00Z', 'subscription_end', '2025-07-04T00:00:00.000Z', 'subscription'],
    ['1 day before each meeting', 'dayBeforeMeeting', '2025-01-01T00:00:00Z', 'meeting', '2025-03-14T10:00:00.000Z', 'meeting'],
  ])('when the only rule is "%s", then the nearest event is its date', async (name, key, after, type, date, source) => {
    const { m, subscriptionId, meetingId } = await memberWithData();
    await link(admin, m.id, rules[key]!);
    const res = await m.request({ method: 'GET', url: `/users/${m.id}/nearest-event?after=${after}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBeDefined();
    const eventId = source === 'subscription' ? subscriptionId : source === 'meeting' ? meetingId : undefined;
    expect(res.json()).toEqual({ type, date, userId: m.id, ruleId: rules[key], ruleName: `${name} ${RUN}`, ...(eventId && { eventId }) });
  });

  it('when all example rules are linked, then the nearest is the earliest of them and upcoming-events lists them in order', async () => {
    const { m } = await memberWithData();
    for (const id of Object.values(rules)) await link(admin, m.id, id);
    const nearest = await m.request({ method: 'GET', url: `/users/${m.id}/nearest-event?after=2025-03-01T00:00:00Z` });
    expect(nearest.json()).toMatchObject({ type: 'meeting', date: '2025-03-14T10:00:00.000Z' });
    const upcoming = await m.request({ method: 'GET', url: `/users/${m.id}/upcoming-events?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z` });
    expect(upcoming.statusCode).toBe(200);
    expect(upcoming.json().items.map((e: { date: string; type: string }) => `${e.date.slice(0, 10)} ${e.type}`)).toEqual([
      '2025-01-10 inscription', '2025-01-12 inscription', '2025-02-06 subscription_start', '2025-03-14 meeting', '2025-06-27 subscription_end', '2025-07-04 subscription_end',
    ]);
    const page1 = (await m.request({ method: 'GET', url: `/users/${m.id}/upcoming-events?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&limit=4` })).json();
    expect(page1.items).toHaveLength(4);
    const page2 = (await m.request({ method: 'GET', url: `/users/${m.id}/upcoming-events?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&limit=4&cursor=${page1.nextCursor}` })).json();
    expect(page2.items.map((e: { date: string }) => e.date.slice(0, 10))).toEqual(['2025-06-27', '2025-07-04']);
    expect(page2.nextCursor).toBeNull();

    // A century: pages of 7, put together, are the whole list; the first year is as above.
    const century = `/users/${m.id}/upcoming-events?from=2025-01-01T00:00:00Z&to=2125-01-01T00:00:00Z`;
    const whole = (await m.request({ method: 'GET', url: `${century}&limit=500` })).json();
    expect(whole.items.length).toBeGreaterThan(100); // yearly rules trigger every year
    expect(whole.items.slice(0, 6)).toEqual(upcoming.json().items);
    expect(whole.items.at(-1).date < '2125-01-01').toBe(true);
    const paged: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: unknown[]; nextCursor: string | null } = (await m.request({ method: 'GET', url: `${century}&limit=7${cursor ? `&cursor=${cursor}` : ''}` })).json();
      paged.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(whole.items);
  });

  it('when the user signed up on 29 February, then the anniversary is on 28 February in non-leap years, and the sign-up instant itself counts', async () => {
    const m = await createMember(t.app, admin, { signedUpAt: '2024-02-29T12:00:00Z' });
    await link(admin, m.id, rules.anniversary!);
    const get = async (after: string) => (await m.request({ method: 'GET', url: `/users/${m.id}/nearest-event?after=${after}` })).json().date;
    expect(await get('2024-02-29T12:00:00Z')).toBe('2024-02-29T12:00:00.000Z');
    expect(await get('2024-03-01T00:00:00Z')).toBe('2025-02-28T12:00:00.000Z');
    expect(await get('2027-03-01T00:00:00Z')).toBe('2028-02-29T12:00:00.000Z');
  });

  it('when an offset crosses the DST change of the user\'s zone (Europe/Paris), then the local time is kept', async () => {
    const m = await createMember(t.app, admin, { signedUpAt: '2025-03-29T09:00:00+01:00', timeZone: 'Europe/Paris' });
    await link(admin, m.id, rules.twoDaysAfterInscription!);
    const res = await m.request({ method: 'GET', url: `/users/${m.id}/nearest-event?after=2025-03-01T00:00:00Z` });
    expect(res.json().date).toBe('2025-03-31T07:00:00.000Z');
  });

  it('when a subscription has no end, then end rules trigger nothing and start rules still do', async () => {
    const m = await createMember(t.app, admin, { signedUpAt: '2020-01-01T00:00:00Z' });
    await subscribe(admin, m.id, { startsAt: '2025-02-01T00:00:00Z' });
    await link(admin, m.id, rules.threeBeforeEnd!);
    await link(admin, m.id, rules.fourAfterEnd!);
    const none = await m.request({ method: 'GET', url: `/users/${m.id}/nearest-event?after=2025-01-01T00:00:00Z` });
    expect(none.statusCode).toBe(404);
    await link(admin, m.id, rules.fiveAfterStart!);
    expect((await m.request({ method: 'GET', url: `/users/${m.id}/nearest-event?after=2025-01-01T00:00:00Z` })).json().date).toBe('2025-02-06T00:00:00.000Z');
  });

  it('when the user has no rules, then nearest-event is a 404 problem and upcoming-events is empty', async () => {
    const u = await registerUser(t.app);
    const res = await u.request({ method: 'GET', url: `/users/${u.id}/nearest-event` });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await u.request({ method: 'GET', url: `/users/${u.id}/upcoming-events` })).json()).toEqual({ items: [], nextCursor: null });
  });

  it('when two rules trigger at the same instant, then the nearest is the one whose name sorts first', async () => {
    const b = await createRule(admin, { name: 'tie B', eventType: 'inscription', offsetDays: 1 });
    const a = await createRule(admin, { name: 'tie A', eventType: 'inscription', offsetDays: 1 });
    const m = await createMember(t.app, admin, { signedUpAt: '2025-05-01T00:00:00Z' });
    await link(admin, m.id, b);
    await link(admin, m.id, a);
    expect((await m.request({ method: 'GET', url: `/users/${m.id}/nearest-event?after=2025-01-01T00:00:00Z` })).json()).toMatchObject({ ruleId: a, date: '2025-05-02T00:00:00.000Z' });
  });

  it('when the nearest event is more than a year away, then the longer horizon finds it', async () => {
    const m = await createMember(t.app, admin, { signedUpAt: '2020-01-01T00:00:00Z' });
    await subscribe(admin, m.id, { startsAt: '2020-01-01T00:00:00Z', endsAt: '2031-01-01T00:00:00Z' });
    await link(admin, m.id, rules.threeBeforeEnd!);
    expect((await m.request({ method: 'GET', url: `/users/${m.id}/nearest-event?after=2026-01-01T00:00:00Z` })).json().date).toBe('2030-12-29T00:00:00.000Z');
  });

  it('when DEFAULT_EVENT_RULES names rules, then new users are linked to them', async () => {
    const name = `default welcome ${RUN}`;
    await admin.request({ method: 'POST', url: '/event-rules', payload: { name, eventType: 'inscription', offsetDays: 1 } });
    const t2 = await createTestApp({ ADMIN_EMAILS: ADMIN, DEFAULT_EVENT_RULES: `${name}, no such rule ${RUN}` });
    try {
      const u = await registerUser(t2.app);
      const linked = (await u.request({ method: 'GET', url: `/users/${u.id}/event-rules` })).json();
      expect(linked.items.map((r: { name: string }) => r.name)).toEqual([name]);
      expect((await u.request({ method: 'GET', url: `/users/${u.id}/nearest-event` })).json()).toMatchObject({ type: 'inscription', ruleName: name });
    } finally {
      await t2.close();
    }
  });
});

describe('subscriptions, event types and rules over REST', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ ADMIN_EMAILS: ADMIN2 });
    admin = await registerAdmin(t.app, ADMIN2);
  });
  afterAll(() => t.close());

  it('when the event types are listed, then the four built-in types are there', async () => {
    const u = await registerUser(t.app);
    const res = await u.request({ method: 'GET', url: '/event-types' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((x: { key: string }) => x.key)).toEqual(['inscription', 'subscription_start', 'subscription_end', 'meeting']);
  });

  it('when an admin manages a subscription, then its user reads it and another user gets 404', async () => {
    const owner = await registerUser(t.app);
    const other = await registerUser(t.app);
    const id = (await admin.request({ method: 'POST', url: `/users/${owner.id}/subscriptions`, payload: { offer: 'Gold', startsAt: '2025-01-01T00:00:00+01:00' } })).json().id;
    const own = await owner.request({ method: 'GET', url: `/users/${owner.id}/subscriptions` });
    expect(own.json()).toEqual({ items: [expect.objectContaining({ id, userId: owner.id, offer: 'Gold', startsAt: '2024-12-31T23:00:00.000Z', endsAt: null })], nextCursor: null });
    expect((await other.request({ method: 'GET', url: `/users/${owner.id}/subscriptions` })).statusCode).toBe(404);
    expect((await other.request({ method: 'GET', url: `/subscriptions/${id}` })).statusCode).toBe(404);
    expect((await other.request({ method: 'PATCH', url: `/subscriptions/${id}`, payload: { offer: 'x' } })).statusCode).toBe(404);
    expect((await owner.request({ method: 'PATCH', url: `/subscriptions/${id}`, payload: { offer: 'x' } })).statusCode).toBe(403);
    expect((await owner.request({ method: 'POST', url: `/users/${owner.id}/subscriptions`, payload: { offer: 'x', startsAt: '2025-01-01T00:00:00Z' } })).statusCode).toBe(403);

    const etag = (await admin.request({ method: 'GET', url: `/subscriptions/${id}` })).headers.etag as string;
    expect((await admin.request({ method: 'PATCH', url: `/subscriptions/${id}`, headers: { 'if-match': '"stale"' }, payload: { endsAt: '2026-01-01T00:00:00Z' } })).statusCode).toBe(412);
    const patched = await admin.request({ method: 'PATCH', url: `/subscriptions/${id}`, headers: { 'if-match': etag }, payload: { endsAt: '2026-01-01T00:00:00Z' } });
    expect(patched.json()).toMatchObject({ offer: 'Gold', endsAt: '2026-01-01T00:00:00.000Z' });
    expect((await admin.request({ method: 'DELETE', url: `/subscriptions/${id}` })).statusCode).toBe(204);
    expect((await admin.request({ method: 'GET', url: `/subscriptions/${id}` })).statusCode).toBe(404);
  });

  it('when a non-admin writes a rule, then it is 403; everyone reads rules', async () => {
    const u = await registerUser(t.app);
    expect((await u.request({ method: 'POST', url: '/event-rules', payload: { name: `x ${RUN}`, eventType: 'inscription', offsetDays: 1 } })).statusCode).toBe(403);
    const id = (await admin.request({ method: 'POST', url: '/event-rules', payload: { name: `readable ${RUN}`, eventType: 'meeting', offsetDays: -1 } })).json().id;
    expect((await u.request({ method: 'GET', url: `/event-rules/${id}` })).json()).toMatchObject({ id, eventType: 'meeting', offsetDays: -1, repeat: 'none' });
    expect((await u.request({ method: 'PATCH', url: `/event-rules/${id}`, payload: { offsetDays: 2 } })).statusCode).toBe(403);
    expect((await u.request({ method: 'DELETE', url: `/event-rules/${id}` })).statusCode).toBe(403);
    expect((await admin.request({ method: 'PATCH', url: `/event-rules/${id}`, payload: { offsetDays: -2, repeat: 'yearly' } })).json()).toMatchObject({ offsetDays: -2, repeat: 'yearly' });
    expect((await admin.request({ method: 'POST', url: '/event-rules', payload: { name: `readable ${RUN}`, eventType: 'meeting', offsetDays: 0 } })).statusCode).toBe(409);
    expect((await admin.request({ method: 'DELETE', url: `/event-rules/${id}` })).statusCode).toBe(204);
    expect((await u.request({ method: 'GET', url: `/event-rules/${id}` })).statusCode).toBe(404);
  });

  it('when a user links or unlinks rules, then it may do so for itself only; an admin for anyone', async () => {
    const u = await registerUser(t.app);
    const other = await registerUser(t.app);
    const id = (await admin.request({ method: 'POST', url: '/event-rules', payload: { name: `linkable ${RUN}`, eventType: 'inscription', offsetDays: 3 } })).json().id;
    expect((await u.request({ method: 'PUT', url: `/users/${u.id}/event-rules/${id}` })).statusCode).toBe(200);
    expect((await u.request({ method: 'PUT', url: `/users/${u.id}/event-rules/${id}` })).statusCode).toBe(200);
    expect((await u.request({ method: 'GET', url: `/users/${u.id}/event-rules` })).json().items.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await other.request({ method: 'PUT', url: `/users/${u.id}/event-rules/${id}` })).statusCode).toBe(404);
    expect((await other.request({ method: 'GET', url: `/users/${u.id}/event-rules` })).statusCode).toBe(404);
    expect((await other.request({ method: 'GET', url: `/users/${u.id}/nearest-event` })).statusCode).toBe(404);
    expect((await admin.request({ method: 'GET', url: `/users/${u.id}/nearest-event` })).statusCode).toBe(200);
    expect((await u.request({ method: 'DELETE', url: `/users/${u.id}/event-rules/${id}` })).statusCode).toBe(204);
    expect((await u.request({ method: 'DELETE', url: `/users/${u.id}/event-rules/${id}` })).statusCode).toBe(404);
  });

  it.each([
    ['an offset beyond ten years', 'POST', '/event-rules', { name: 'x', eventType: 'inscription', offsetDays: 4000 }, '/offsetDays'],
    ['an unknown event type', 'POST', '/event-rules', { name: 'x', eventType: 'birthday', offsetDays: 1 }, '/eventType'],
    ['an unknown field', 'POST', '/event-rules', { name: 'x', eventType: 'inscription', offsetDays: 1, extra: true }, '/extra'],
    ['a fractional offset', 'POST', '/event-rules', { name: 'x', eventType: 'inscription', offsetDays: 1.5 }, '/offsetDays'],
    ['a bad repeat', 'POST', '/event-rules', { name: 'x', eventType: 'inscription', offsetDays: 1, repeat: 'monthly' }, '/repeat'],
    ['a name over 200 characters', 'POST', '/event-rules', { name: 'x'.repeat(201), eventType: 'inscription', offsetDays: 1 }, '/name'],
  ])('when a rule has %s, then it is a 400 naming the field', async (_case, method, url, payload, path) => {
    const res = await admin.request({ method: method as 'POST', url, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('when subscription or query input is invalid, then it is a 400', async () => {
    const u = await registerUser(t.app);
    const bad = [
      await admin.request({ method: 'POST', url: `/users/${u.id}/subscriptions`, payload: { offer: 'x', startsAt: '2025-02-01T00:00:00Z', endsAt: '2025-01-01T00:00:00Z' } }),
      await admin.request({ method: 'POST', url: `/users/${u.id}/subscriptions`, payload: { offer: 'x', startsAt: '2025-02-01T00:00:00' } }),
      await admin.request({ method: 'POST', url: `/users/${u.id}/subscriptions`, payload: { offer: '', startsAt: '2025-02-01T00:00:00Z' } }),
      await admin.request({ method: 'GET', url: '/users/not-a-uuid/nearest-event' }),
      await admin.request({ method: 'GET', url: `/users/${u.id}/nearest-event?after=yesterday` }),
      await admin.request({ method: 'GET', url: `/users/${u.id}/upcoming-events?from=2025-01-01T00:00:00Z&to=2126-01-01T00:00:00Z` }),
      await admin.request({ method: 'GET', url: `/users/${u.id}/upcoming-events?from=2025-01-01T00:00:00Z&to=2024-01-01T00:00:00Z` }),
      await admin.request({ method: 'GET', url: `/users/${u.id}/upcoming-events?limit=0` }),
      await admin.request({ method: 'GET', url: `/users/${u.id}/upcoming-events?cursor=forged` }),
    ];
    expect(bad.map((r) => r.statusCode)).toEqual(bad.map(() => 400));
  });
});
