import { createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../../helpers/app';

/**
 * POST /freeBusy and GraphQL `freeBusy`: merged busy times of users and of the caller's calendars,
 * series occurrences included; declined invitations, deleted occurrences, cancelled and transparent
 * entries left out; times only.
 */
describe('free/busy', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let secondCalendarId: string;
  const ids: string[] = [];
  const window = { timeMin: '2027-03-01T00:00:00Z', timeMax: '2027-03-15T00:00:00Z' };

  async function entry(u: TestUser, payload: Record<string, unknown>, calendarId = u.primaryCalendarId) {
    const res = await u.request({ method: 'POST', url: `/calendars/${calendarId}/entries`, payload: { title: 'Secret title', ...payload } });
    if (res.statusCode !== 201) throw new Error(res.body);
    ids.push(res.json().id);
    return res.json();
  }

  beforeAll(async () => {
    t = await createTestApp();
    alice = await registerUser(t.app, { name: 'Alice', timeZone: 'Europe/Paris' });
    bob = await registerUser(t.app, { name: 'Bob' });
    carol = await registerUser(t.app, { name: 'Carol' });
    // Back to back: one busy stretch 09:00–10:30.
    await entry(alice, { start: '2027-03-01T09:00:00Z', end: '2027-03-01T10:00:00Z' });
    await entry(alice, { start: '2027-03-01T10:00:00Z', end: '2027-03-01T10:30:00Z' });
    // Starts before the window: clipped to it.
    await entry(alice, { start: '2027-02-28T23:00:00Z', end: '2027-03-01T00:30:00Z' });
    // Weekly on Mondays at 14:00 UTC; the second occurrence is deleted, the third moved to 16:00.
    const series = await entry(alice, { start: '2027-03-01T14:00:00Z', duration: 'PT1H', timeZone: 'UTC', recurrence: { frequency: 'weekly' } });
    expect((await alice.request({ method: 'DELETE', url: `/calendars/${alice.primaryCalendarId}/entries/${series.id}_20270308T140000Z` })).statusCode).toBe(204);
    const moved = await alice.request({ method: 'PATCH', url: `/calendars/${alice.primaryCalendarId}/entries/${series.id}_20270315T140000Z`, payload: { start: '2027-03-14T16:00:00Z' } });
    expect(moved.statusCode).toBe(200);
    // Transparent and cancelled entries are free; a tentative one is busy (RFC 4791 §7.10).
    await entry(alice, { start: '2027-03-05T09:00:00Z', duration: 'PT1H', transparency: 'transparent' });
    await entry(alice, { start: '2027-03-05T11:00:00Z', duration: 'PT1H', status: 'cancelled' });
    await entry(alice, { start: '2027-03-05T13:00:00Z', duration: 'PT1H', status: 'tentative' });
    // A daily series of two whose second occurrence is cancelled on its own.
    const pair = await entry(alice, { start: '2027-03-10T07:00:00Z', duration: 'PT1H', timeZone: 'UTC', recurrence: { frequency: 'daily', count: 2 } });
    const cancelled = await alice.request({ method: 'PATCH', url: `/calendars/${alice.primaryCalendarId}/entries/${pair.id}_20270311T070000Z`, payload: { status: 'cancelled' } });
    expect(cancelled.statusCode).toBe(200);
    // Another calendar of Alice's.
    const cal = await alice.request({ method: 'POST', url: '/calendars', payload: { name: 'Side' } });
    secondCalendarId = cal.json().id;
    await entry(alice, { start: '2027-03-04T08:00:00Z', duration: 'PT1H' }, secondCalendarId);
    // Bob invites Alice twice: she declines the first and has not answered the second.
    const declined = await bob.request({ method: 'POST', url: '/events', payload: { title: 'Declined', start: '2027-03-02T12:00:00Z', duration: 'PT1H', participants: [{ userId: alice.id, role: 'required' }] } });
    const pending = await bob.request({ method: 'POST', url: '/events', payload: { title: 'Pending', start: '2027-03-03T12:00:00Z', duration: 'PT1H', participants: [{ userId: alice.id, role: 'optional' }] } });
    ids.push(declined.json().id, pending.json().id);
    expect((await alice.request({ method: 'PATCH', url: `/events/${declined.json().id}/participants/${alice.id}`, payload: { response: 'declined' } })).statusCode).toBe(200);
  }, 60_000);
  afterAll(() => t.close());

  const freeBusy = (u: TestUser, payload: Record<string, unknown>) => u.request({ method: 'POST', url: '/freeBusy', payload: { ...window, ...payload } });
  const busy = (...pairs: [string, string][]) => pairs.map(([start, end]) => ({ start: `2027-03-${start}:00.000Z`, end: `2027-03-${end}:00.000Z` }));
  const aliceBusy = busy(['01T00:00', '01T00:30'], ['01T09:00', '01T10:30'], ['01T14:00', '01T15:00'], ['03T12:00', '03T13:00'], ['04T08:00', '04T09:00'], ['05T13:00', '05T14:00'], ['10T07:00', '10T08:00'], ['14T16:00', '14T17:00']);

  it('when anyone asks for a user, then it gets the merged busy times of everything the user attends, has not declined and is neither cancelled nor transparent, and no titles or ids', async () => {
    const res = await freeBusy(carol, { items: [{ userId: alice.id }, { userId: bob.id }] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      timeMin: '2027-03-01T00:00:00.000Z',
      timeMax: '2027-03-15T00:00:00.000Z',
      items: [
        { userId: alice.id, busy: aliceBusy },
        { userId: bob.id, busy: busy(['02T12:00', '02T13:00'], ['03T12:00', '03T13:00']) },
      ],
    });
    expect(res.body).not.toMatch(/Secret|Declined|Pending/);
    for (const id of ids) expect(res.body).not.toContain(id);
  });

  it('when a user has opaque all-day entries of several days, one starting before the window, then free/busy and the overlap check see all of their days; transparent ones are free', async () => {
    const dan = await registerUser(t.app, { name: 'Dan', timeZone: 'UTC' });
    await entry(dan, { startDate: '2027-02-26', endDate: '2027-03-03', transparency: 'opaque' }); // 5 days, 3 before the window
    await entry(dan, { startDate: '2027-03-08', endDate: '2027-03-10', transparency: 'opaque' });
    await entry(dan, { startDate: '2027-03-05', endDate: '2027-03-07' }); // transparent by default
    const res = await freeBusy(carol, { items: [{ userId: dan.id }] });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([{ userId: dan.id, busy: busy(['01T00:00', '03T00:00'], ['08T00:00', '10T00:00']) }]);
    const clash = await dan.request({ method: 'POST', url: `/calendars/${dan.primaryCalendarId}/entries`, payload: { title: 'Call', start: '2027-03-02T15:00:00Z', duration: 'PT1H' } });
    expect(clash.statusCode).toBe(409);
    const free = await dan.request({ method: 'POST', url: `/calendars/${dan.primaryCalendarId}/entries`, payload: { title: 'Call', start: '2027-03-06T15:00:00Z', duration: 'PT1H' } });
    expect(free.statusCode).toBe(201);
  });

  it('when the owner asks for its calendars, then each has only its own entries', async () => {
    const res = await freeBusy(alice, { items: [{ calendarId: secondCalendarId }, { calendarId: alice.primaryCalendarId }] });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      { calendarId: secondCalendarId, busy: busy(['04T08:00', '04T09:00']) },
      { calendarId: alice.primaryCalendarId, busy: busy(['01T00:00', '01T00:30'], ['01T09:00', '01T10:30'], ['01T14:00', '01T15:00'], ['05T13:00', '05T14:00'], ['10T07:00', '10T08:00'], ['14T16:00', '14T17:00']) },
    ]);
  });

  it('when an item is unknown or someone else\'s calendar, then only that item carries notFound', async () => {
    const res = await freeBusy(carol, { items: [{ calendarId: alice.primaryCalendarId }, { userId: '00000000-0000-4000-8000-000000000000' }, { calendarId: carol.primaryCalendarId }] });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      { calendarId: alice.primaryCalendarId, busy: [], errors: [{ reason: 'notFound' }] },
      { userId: '00000000-0000-4000-8000-000000000000', busy: [], errors: [{ reason: 'notFound' }] },
      { calendarId: carol.primaryCalendarId, busy: [] },
    ]);
  });

  it('when GraphQL asks the same, then it answers the same', async () => {
    const { body } = await graphql(t.app, `query($input: FreeBusyInput!) { freeBusy(input: $input) { timeMin items { userId calendarId busy { start end } errors { reason } } } }`, {
      input: { ...window, items: [{ userId: alice.id }, { calendarId: alice.primaryCalendarId }] },
    }, carol);
    expect(body.errors).toBeUndefined();
    expect(body.data?.freeBusy.items).toEqual([
      { userId: alice.id, calendarId: null, busy: aliceBusy, errors: [] },
      { userId: null, calendarId: alice.primaryCalendarId, busy: [], errors: [{ reason: 'notFound' }] },
    ]);
    const both = await graphql(t.app, `query($input: FreeBusyInput!) { freeBusy(input: $input) { timeMin } }`, { input: { ...window, items: [{ userId: alice.id, calendarId: alice.primaryCalendarId }] } }, carol);
    expect(both.body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['a reversed window', { timeMin: '2027-03-02T00:00:00Z', timeMax: '2027-03-01T00:00:00Z' }, '/timeMax'],
    ['a window of 63 days', { timeMin: '2027-03-01T00:00:00Z', timeMax: '2027-05-03T00:00:00Z' }, '/timeMax'],
    ['51 items', { items: Array.from({ length: 51 }, () => ({ userId: '00000000-0000-4000-8000-000000000000' })) }, '/items'],
    ['an item with both ids', { items: [{ userId: '00000000-0000-4000-8000-000000000000', calendarId: '00000000-0000-4000-8000-000000000000' }] }, '/items/0'],
    ['no items', { items: [] }, '/items'],
    ['a time without offset', { timeMin: '2027-03-01T00:00:00', items: [{ userId: '00000000-0000-4000-8000-000000000000' }] }, '/timeMin'],
  ])('when the request has %s, then it is a 400 naming the field', async (_, payload, path) => {
    const res = await freeBusy(carol, { items: [{ userId: alice.id }], ...payload });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().errors.map((e: { path: string }) => e.path).join(' ')).toContain(path);
  });

  it('when nobody is signed in, then it is a 401', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/freeBusy', payload: { ...window, items: [{ userId: alice.id }] } });
    expect(res.statusCode).toBe(401);
  });
});
