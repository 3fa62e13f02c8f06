import { createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../../helpers/app';

/** Incremental sync of calendar entries: nextSyncToken, syncToken, tombstones and 410 Gone. */
describe('incremental sync of calendar entries', () => {
  let t: TestApp;
  let ann: TestUser;
  let bob: TestUser;
  let cal: string;
  beforeAll(async () => {
    t = await createTestApp();
    ann = await registerUser(t.app, { timeZone: 'Europe/Paris' });
    bob = await registerUser(t.app);
  });
  beforeEach(async () => {
    cal = (await ann.request({ method: 'POST', url: '/calendars', payload: { name: 'Synced' } })).json().id;
  });
  afterAll(() => t.close());

  const WINDOW = 'start=2027-03-01T00:00:00Z&end=2027-04-01T00:00:00Z';
  const post = (payload: Record<string, unknown>, u = ann) => u.request({ method: 'POST', url: `/calendars/${cal}/entries?force=true`, payload });
  const full = (extra = '', u = ann) => u.request({ method: 'GET', url: `/calendars/${cal}/entries?${WINDOW}${extra}` });
  const since = (token: string, extra = '', u = ann, calendarId = cal) => u.request({ method: 'GET', url: `/calendars/${calendarId}/entries?${WINDOW}&syncToken=${encodeURIComponent(token)}${extra}` });
  const ids = (items: { id: string; status?: string }[]) => items.map((i) => `${i.id}${i.status === 'cancelled' ? ':cancelled' : ''}`).sort();

  it('when a window is read in full, then its last page carries nextSyncToken and the others do not', async () => {
    for (const day of ['02', '03', '04']) await post({ title: day, start: `2027-03-${day}T09:00:00Z`, duration: 'PT1H' });
    const first = await full('&limit=2');
    expect(first.statusCode).toBe(200);
    expect(first.json().nextSyncToken).toBeNull();
    const last = await full(`&limit=2&cursor=${encodeURIComponent(first.json().nextCursor)}`);
    expect(last.json().items.map((i: { title: string }) => i.title)).toEqual(['04']);
    expect(last.json()).toMatchObject({ nextCursor: null, nextSyncToken: expect.any(String) });
  });

  it('when nothing changed, then a sync returns no item and a token that works again', async () => {
    await post({ title: 'quiet', start: '2027-03-02T09:00:00Z', duration: 'PT1H' });
    const token = (await full()).json().nextSyncToken;
    const res = await since(token);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ items: [], nextCursor: null, nextSyncToken: expect.any(String) });
    expect((await since(res.json().nextSyncToken)).json().items).toEqual([]);
  });

  it('when entries are created, changed and deleted, then a sync returns the changed ones and tombstones of the deleted', async () => {
    const kept = (await post({ title: 'kept', start: '2027-03-02T09:00:00Z', duration: 'PT1H' })).json();
    const changed = (await post({ title: 'old', start: '2027-03-03T09:00:00Z', duration: 'PT1H' })).json();
    const deleted = (await post({ title: 'gone', start: '2027-03-04T09:00:00Z', duration: 'PT1H' })).json();
    const token = (await full()).json().nextSyncToken;
    expect((await ann.request({ method: 'PATCH', url: `/calendars/${cal}/entries/${changed.id}`, payload: { title: 'new' } })).statusCode).toBe(200);
    expect((await ann.request({ method: 'DELETE', url: `/calendars/${cal}/entries/${deleted.id}` })).statusCode).toBe(204);
    const created = (await post({ title: 'fresh', start: '2027-03-05T09:00:00Z', duration: 'PT1H' })).json();
    const res = (await since(token)).json();
    expect(ids(res.items)).toEqual(ids([{ id: changed.id }, { id: deleted.id, status: 'cancelled' }, { id: created.id }]));
    expect(res.items.find((i: { id: string }) => i.id === changed.id).title).toBe('new');
    expect(res.items.find((i: { id: string }) => i.id === deleted.id)).toEqual({ id: deleted.id, calendarId: cal, status: 'cancelled', seriesId: null, originalStart: null });
    expect(res.items.some((i: { id: string }) => i.id === kept.id)).toBe(false);
  });

  it('when an entry moves out of the window, then the sync sends its tombstone', async () => {
    const e = (await post({ title: 'moving', start: '2027-03-10T09:00:00Z', duration: 'PT1H' })).json();
    const token = (await full()).json().nextSyncToken;
    await ann.request({ method: 'PATCH', url: `/calendars/${cal}/entries/${e.id}`, payload: { start: '2027-05-10T09:00:00Z' } });
    expect(ids((await since(token)).json().items)).toEqual([`${e.id}:cancelled`]);
  });

  it('when one occurrence is moved, one cancelled and the series split, then the sync sends what a client needs', async () => {
    const s = (await post({ title: 'daily', start: '2027-03-10T09:00:00Z', duration: 'PT1H', recurrence: { frequency: 'daily', count: 5 } })).json();
    const occ = (day: string) => `${s.id}_202703${day}T090000Z`;
    let token = (await full()).json().nextSyncToken;

    await ann.request({ method: 'PATCH', url: `/calendars/${cal}/entries/${occ('11')}`, payload: { start: '2027-03-11T15:00:00Z' } });
    let res = (await since(token)).json();
    expect(res.items.find((i: { id: string }) => i.id === occ('11'))).toMatchObject({ start: '2027-03-11T15:00:00.000Z', seriesId: s.id });
    expect(res.items.filter((i: { status?: string }) => i.status === 'cancelled')).toEqual([]);
    token = res.nextSyncToken;

    await ann.request({ method: 'DELETE', url: `/calendars/${cal}/entries/${occ('12')}` });
    res = (await since(token)).json();
    expect(res.items.find((i: { id: string }) => i.id === occ('12'))).toEqual({ id: occ('12'), calendarId: cal, status: 'cancelled', seriesId: s.id, originalStart: '2027-03-12T09:00:00.000Z' });
    token = res.nextSyncToken;

    const split = await ann.request({ method: 'PATCH', url: `/calendars/${cal}/entries/${occ('13')}?scope=following`, payload: { start: '2027-03-13T10:00:00Z', title: 'later' } });
    expect(split.statusCode).toBe(200);
    res = (await since(token)).json();
    const cancelled = res.items.filter((i: { status?: string }) => i.status === 'cancelled').map((i: { id: string }) => i.id).sort();
    expect(cancelled).toEqual([occ('13'), occ('14')]);
    const moved = res.items.filter((i: { seriesId?: string }) => i.seriesId === split.json().id).map((i: { start: string }) => i.start);
    expect(moved).toEqual(['2027-03-13T10:00:00.000Z', '2027-03-14T10:00:00.000Z']);
  });

  it('when a sync has more items than the limit, then it pages and only the last page has the next token', async () => {
    const token = (await full()).json().nextSyncToken;
    for (const day of ['02', '03', '04']) await post({ title: day, start: `2027-03-${day}T09:00:00Z`, duration: 'PT1H' });
    const first = (await since(token, '&limit=2')).json();
    expect(first.items).toHaveLength(2);
    expect(first.nextSyncToken).toBeNull();
    const second = (await since(token, `&limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)).json();
    expect(second.items.map((i: { title: string }) => i.title)).toEqual(['04']);
    expect(second.nextSyncToken).toEqual(expect.any(String));
  });

  it('when the token is malformed, forged, of another calendar or of another user, then 410 Gone as problem+json', async () => {
    const token = (await full()).json().nextSyncToken;
    const other = (await ann.request({ method: 'POST', url: '/calendars', payload: { name: 'other' } })).json().id;
    const bobToken = (await bob.request({ method: 'GET', url: `/calendars/${bob.primaryCalendarId}/entries?${WINDOW}` })).json().nextSyncToken;
    for (const res of [await since('nonsense'), await since(''), await since(`${token}x`), await since(token, '', ann, other), await since(bobToken)]) {
      expect(res.statusCode).toBe(410);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 410, title: 'Gone' });
    }
  });

  it("when someone else's calendar is synced, then 404; a token for another window is a 410", async () => {
    const token = (await full()).json().nextSyncToken;
    expect((await since(token, '', bob)).statusCode).toBe(404);
    const otherWindow = await ann.request({ method: 'GET', url: `/calendars/${cal}/entries?start=2027-03-01T00:00:00Z&end=2027-03-15T00:00:00Z&syncToken=${encodeURIComponent(token)}` });
    expect(otherWindow.statusCode).toBe(410);
    expect((await ann.request({ method: 'GET', url: `/calendars/${cal}/entries?syncToken=${encodeURIComponent(token)}` })).statusCode).toBe(400);
  });

  it('when the token is older than the retention, then 410 Gone', async () => {
    const token = (await full()).json().nextSyncToken;
    const realNow = Date.now;
    Date.now = () => realNow() + 31 * 86_400_000;
    try {
      expect((await since(token)).statusCode).toBe(410);
    } finally {
      Date.now = realNow;
    }
  });

  describe('GraphQL sync', () => {
    const SYNC = `query ($cal: UUID!, $token: String, $after: String) {
      sync(calendarId: $cal, start: "2027-03-01T00:00:00Z", end: "2027-04-01T00:00:00Z", syncToken: $token, first: 2, after: $after) {
        nodes { id title start seriesId } cancelled { id seriesId originalStart } pageInfo { hasNextPage endCursor } nextSyncToken
      }
    }`;

    it('when read in full and then with the token, then it returns the changes with tombstones apart, as REST does', async () => {
      const s = (await post({ title: 'weekly', start: '2027-03-01T09:00:00Z', duration: 'PT1H', recurrence: { frequency: 'weekly', count: 3 } })).json();
      const first = await graphql(t.app, SYNC, { cal }, ann);
      expect(first.body.errors).toBeUndefined();
      expect(first.body.data!.sync).toMatchObject({ nodes: [{ title: 'weekly' }, { title: 'weekly' }], cancelled: [], pageInfo: { hasNextPage: true }, nextSyncToken: null });
      const last = await graphql(t.app, SYNC, { cal, after: first.body.data!.sync.pageInfo.endCursor }, ann);
      expect(last.body.data!.sync).toMatchObject({ nodes: [{ id: `${s.id}_20270315T090000Z` }], pageInfo: { hasNextPage: false }, nextSyncToken: expect.any(String) });

      await ann.request({ method: 'DELETE', url: `/calendars/${cal}/entries/${s.id}_20270308T090000Z` });
      const changes = await graphql(t.app, SYNC, { cal, token: last.body.data!.sync.nextSyncToken }, ann);
      expect(changes.body.data!.sync.cancelled).toEqual([{ id: `${s.id}_20270308T090000Z`, seriesId: s.id, originalStart: '2027-03-08T09:00:00.000Z' }]);
      expect(changes.body.data!.sync.nodes.map((n: { id: string }) => n.id)).toEqual([`${s.id}_20270301T090000Z`]);
    });

    it('when the token is not valid, then SYNC_TOKEN_INVALID; another user reading the calendar gets NOT_FOUND', async () => {
      const bad = await graphql(t.app, SYNC, { cal, token: 'nonsense' }, ann);
      expect(bad.body.errors![0]!.extensions.code).toBe('SYNC_TOKEN_INVALID');
      const foreign = await graphql(t.app, SYNC, { cal }, bob);
      expect(foreign.body.errors![0]!.extensions.code).toBe('NOT_FOUND');
    });
  });

  describe('/events', () => {
    const events = (u: TestUser, query: string) => u.request({ method: 'GET', url: `/events?${query}` });
    const tokenOf = async (u: TestUser, query: string) => {
      const res = await events(u, `${query}&limit=500`);
      expect(res.statusCode).toBe(200);
      return res.json().nextSyncToken as string;
    };
    const changesOf = async (u: TestUser, query: string, token: string) => {
      const res = await events(u, `${query}&limit=500&syncToken=${encodeURIComponent(token)}`);
      expect(res.statusCode).toBe(200);
      return res.json() as { items: { id: string; status: string; title?: string }[]; nextSyncToken: string };
    };

    it('when Bob is invited, uninvited and invited to a meeting that is then deleted, then his sync follows each step', async () => {
      const q = 'role=participant';
      let token = await tokenOf(bob, q);
      const meeting = (await ann.request({ method: 'POST', url: '/events?force=true', payload: { title: 'review', start: '2027-05-03T09:00:00Z', duration: 'PT1H', participants: [{ userId: bob.id }] } })).json();
      let res = await changesOf(bob, q, token);
      expect(res.items.map((i) => [i.id, i.title])).toEqual([[meeting.id, 'review']]);
      token = res.nextSyncToken;

      expect((await ann.request({ method: 'DELETE', url: `/events/${meeting.id}/participants/${bob.id}` })).statusCode).toBe(204);
      res = await changesOf(bob, q, token);
      expect(res.items).toEqual([{ id: meeting.id, calendarId: ann.primaryCalendarId, status: 'cancelled', seriesId: null, originalStart: null }]);
      token = res.nextSyncToken;

      await ann.request({ method: 'POST', url: `/events/${meeting.id}/participants`, payload: { userId: bob.id, role: 'optional' } });
      token = (await changesOf(bob, q, token)).nextSyncToken;
      await ann.request({ method: 'DELETE', url: `/events/${meeting.id}` });
      res = await changesOf(bob, q, token);
      expect(res.items.map((i) => [i.id, i.status])).toEqual([[meeting.id, 'cancelled']]);
      // The host's own listing saw it too.
      expect((await changesOf(ann, 'role=host', await tokenOf(ann, 'role=host'))).items).toEqual([]);
    });

    it('when a window of /events is synced after an occurrence is cancelled, then it gets the tombstone of that occurrence', async () => {
      const q = 'from=2027-06-01T00:00:00Z&to=2027-06-10T00:00:00Z';
      const s = (await ann.request({ method: 'POST', url: '/events?force=true', payload: { title: 'daily', start: '2027-06-01T07:00:00Z', duration: 'PT30M', recurrence: { frequency: 'daily', count: 3 } } })).json();
      const token = await tokenOf(ann, q);
      await ann.request({ method: 'DELETE', url: `/events/${s.id}_20270602T070000Z` });
      const res = await changesOf(ann, q, token);
      expect(res.items.filter((i) => i.status === 'cancelled').map((i) => i.id)).toEqual([`${s.id}_20270602T070000Z`]);
      expect(res.items.filter((i) => i.title).map((i) => i.id)).toEqual([`${s.id}_20270601T070000Z`, `${s.id}_20270603T070000Z`]);
    });

    it('when the token is of another query or forged, then 410', async () => {
      const token = await tokenOf(ann, 'role=host');
      expect((await events(ann, `role=any&syncToken=${encodeURIComponent(token)}`)).statusCode).toBe(410);
      expect((await events(ann, 'role=host&syncToken=forged')).statusCode).toBe(410);
      expect((await events(ann, `role=host&syncToken=${encodeURIComponent(token)}`)).statusCode).toBe(200);
    });
  });
});
