import { createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../../helpers/app';

/** status (RFC 5545 STATUS) and transparency (TRANSP) of entries, through REST, GraphQL, .ics and CalDAV. */
describe('entry status and transparency', () => {
  let t: TestApp;
  let ann: TestUser;
  let cal: string;
  beforeAll(async () => {
    t = await createTestApp();
    ann = await registerUser(t.app, { timeZone: 'Europe/Paris' });
  });
  beforeEach(async () => {
    cal = (await ann.request({ method: 'POST', url: '/calendars', payload: { name: 'Cal' } })).json().id;
  });
  afterAll(() => t.close());

  const post = (payload: Record<string, unknown>, query = '') => ann.request({ method: 'POST', url: `/calendars/${cal}/entries${query}`, payload });
  const patch = (id: string, payload: Record<string, unknown>, query = '') => ann.request({ method: 'PATCH', url: `/calendars/${cal}/entries/${id}${query}`, payload });
  const at = (start: string, extra: Record<string, unknown> = {}) => ({ title: 'x', start, duration: 'PT1H', ...extra });

  it('when an entry is created without them, then it is confirmed and opaque; given ones are kept and PUT resets them', async () => {
    const plain = await post(at('2026-05-04T09:00:00Z'));
    expect(plain.json()).toMatchObject({ status: 'confirmed', transparency: 'opaque' });
    const given = await post(at('2026-05-05T09:00:00Z', { status: 'tentative', transparency: 'transparent' }));
    expect(given.json()).toMatchObject({ status: 'tentative', transparency: 'transparent' });
    const patched = await patch(given.json().id, { status: 'cancelled' });
    expect(patched.json()).toMatchObject({ status: 'cancelled', transparency: 'transparent' });
    const put = await ann.request({ method: 'PUT', url: `/calendars/${cal}/entries/${given.json().id}`, payload: at('2026-05-05T09:00:00Z') });
    expect(put.json()).toMatchObject({ status: 'confirmed', transparency: 'opaque' });
  });

  it.each([
    ['an unknown status', { status: 'maybe' }, '/status'],
    ['an upper-case transparency', { transparency: 'OPAQUE' }, '/transparency'],
  ])('when the entry has %s, then it is a 400 naming the field', async (_case, fields, path) => {
    const res = await post(at('2026-05-06T09:00:00Z', fields));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  });

  it('when an entry is transparent or cancelled, then it never conflicts, neither written nor in the way; tentative does', async () => {
    const busy = await post(at('2026-06-01T09:00:00Z'));
    expect(busy.statusCode).toBe(201);
    expect((await post(at('2026-06-01T09:30:00Z', { transparency: 'transparent' }))).statusCode).toBe(201);
    expect((await post(at('2026-06-01T09:30:00Z', { status: 'cancelled' }))).statusCode).toBe(201);
    const tentative = await post(at('2026-06-01T09:30:00Z', { status: 'tentative' }));
    expect(tentative.statusCode).toBe(409);
    expect(tentative.json().conflicts.map((c: { id: string }) => c.id)).toEqual([busy.json().id]);

    const birthday = await post(at('2026-06-02T09:00:00Z', { transparency: 'transparent' }));
    const called = await post(at('2026-06-02T11:00:00Z', { status: 'cancelled' }));
    expect((await post(at('2026-06-02T09:00:00Z'))).statusCode).toBe(201);
    expect((await post(at('2026-06-02T11:30:00Z'))).statusCode).toBe(201);
    // Making them busy again is checked like any write.
    expect((await patch(birthday.json().id, { transparency: 'opaque' })).statusCode).toBe(409);
    expect((await patch(called.json().id, { status: 'confirmed' })).statusCode).toBe(409);
  });

  it('when a series is transparent, then its occurrences never conflict; a cancelled occurrence frees its time', async () => {
    const series = await post(at('2026-07-06T09:00:00Z', { recurrence: { frequency: 'daily', count: 5 }, transparency: 'transparent' }));
    expect(series.statusCode).toBe(201);
    expect((await post(at('2026-07-08T09:00:00Z'))).statusCode).toBe(201);

    const weekly = await post(at('2026-07-13T13:00:00Z', { recurrence: { frequency: 'weekly', count: 4 } }));
    expect(weekly.statusCode).toBe(201);
    const occurrence = `${weekly.json().id}_20260720T130000Z`;
    expect((await post(at('2026-07-20T13:00:00Z'))).statusCode).toBe(409);
    const cancelled = await patch(occurrence, { status: 'cancelled' });
    expect(cancelled.json()).toMatchObject({ id: occurrence, status: 'cancelled' });
    expect((await post(at('2026-07-20T13:00:00Z'))).statusCode).toBe(201);
    const listed = await ann.request({ method: 'GET', url: `/calendars/${cal}/entries?start=2026-07-20T00:00:00Z&end=2026-07-21T00:00:00Z` });
    expect(listed.json().items.map((i: { status: string }) => i.status).sort()).toEqual(['cancelled', 'confirmed']);
  });

  it('when exported to .ics, then STATUS and TRANSP are written; a CalDAV PUT with them maps instead of refusing', async () => {
    await post(at('2026-08-03T09:00:00Z', { title: 'Birthday', transparency: 'transparent', status: 'tentative' }));
    const ics = (await ann.request({ method: 'GET', url: `/calendars/${cal}/calendar.ics` })).body.replace(/\r\n /g, '');
    expect(ics).toMatch(/SUMMARY:Birthday[\s\S]*?(STATUS:TENTATIVE[\s\S]*TRANSP:TRANSPARENT|TRANSP:TRANSPARENT[\s\S]*STATUS:TENTATIVE)/);

    const password = (await ann.request({ method: 'POST', url: '/me/app-passwords', payload: { name: 'test' } })).json().password;
    const auth = `Basic ${Buffer.from(`${ann.email}:${password}`).toString('base64')}`;
    const body = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', 'UID:dav-status', 'DTSTAMP:20260101T000000Z', 'DTSTART:20260803T093000Z', 'DURATION:PT1H', 'SUMMARY:Reminder', 'STATUS:CANCELLED', 'TRANSP:TRANSPARENT', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    const put = await t.app.inject({ method: 'PUT', url: `/dav/calendars/${ann.id}/${cal}/dav-status.ics`, headers: { authorization: auth, 'content-type': 'text/calendar' }, payload: body });
    expect(put.statusCode).toBe(201);
    const listed = await ann.request({ method: 'GET', url: `/calendars/${cal}/entries?start=2026-08-03T09:30:00Z&end=2026-08-03T10:00:00Z` });
    expect(listed.json().items.map((i: { title: string; status: string; transparency: string }) => [i.title, i.status, i.transparency])).toEqual([['Birthday', 'tentative', 'transparent'], ['Reminder', 'cancelled', 'transparent']]);
  });

  it('when GraphQL creates and changes an entry, then status and transparency are enums', async () => {
    const created = await graphql(t.app, `mutation($input: CreateEventInput!) { createEvent(input: $input) { id status transparency } }`, {
      input: { calendarId: cal, title: 'g', start: '2026-09-01T09:00:00Z', duration: 'PT1H', transparency: 'transparent' },
    }, ann);
    expect(created.body.data!.createEvent).toMatchObject({ status: 'confirmed', transparency: 'transparent' });
    const updated = await graphql(t.app, `mutation($id: String!) { updateEvent(id: $id, input: { status: tentative }) { status transparency } }`, { id: created.body.data!.createEvent.id }, ann);
    expect(updated.body.data!.updateEvent).toEqual({ status: 'tentative', transparency: 'transparent' });
    const bad = await graphql(t.app, `mutation($id: String!) { updateEvent(id: $id, input: { status: maybe }) { status } }`, { id: created.body.data!.createEvent.id }, ann);
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
