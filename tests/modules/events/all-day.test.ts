import { createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../../helpers/app';

/** All-day entries (`allDay`, `startDate`, `endDate` exclusive; RFC 5545 DTSTART;VALUE=DATE) through REST, GraphQL, .ics and CalDAV. */
describe('all-day entries', () => {
  let t: TestApp;
  let ann: TestUser;
  let cal: string;
  beforeAll(async () => {
    t = await createTestApp();
    ann = await registerUser(t.app, { timeZone: 'Europe/Paris' });
  });
  beforeEach(async () => {
    cal = (await ann.request({ method: 'POST', url: '/calendars', payload: { name: 'Cal', timeZone: 'Europe/Paris' } })).json().id;
  });
  afterAll(() => t.close());

  const post = (payload: Record<string, unknown>, query = '') => ann.request({ method: 'POST', url: `/calendars/${cal}/entries${query}`, payload });
  const patch = (id: string, payload: Record<string, unknown>) => ann.request({ method: 'PATCH', url: `/calendars/${cal}/entries/${id}`, payload });
  const list = async (start: string, end: string) =>
    (await ann.request({ method: 'GET', url: `/calendars/${cal}/entries?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}` })).json().items as Record<string, unknown>[];

  it('when an all-day entry spans several days, then it floats in the calendar zone, is transparent by default and is listed on each of its days', async () => {
    const res = await post({ title: 'Trip', startDate: '2026-03-27', endDate: '2026-03-31' });
    expect(res.statusCode).toBe(201);
    // 29 March is the spring-forward day in Paris: the last day starts at 22:00Z.
    expect(res.json()).toMatchObject({
      allDay: true, startDate: '2026-03-27', endDate: '2026-03-31', timeZone: 'Europe/Paris', transparency: 'transparent',
      start: '2026-03-26T23:00:00.000Z', end: '2026-03-30T22:00:00.000Z', duration: 'PT95H',
    });
    // A window on its third day, well after it started, still finds it.
    expect((await list('2026-03-29T10:00:00Z', '2026-03-29T11:00:00Z')).map((i) => i.title)).toEqual(['Trip']);
    expect(await list('2026-03-30T22:00:00Z', '2026-03-31T22:00:00Z')).toEqual([]);
    const one = await post({ title: 'Holiday', allDay: true, startDate: '2026-05-01' });
    expect(one.json()).toMatchObject({ startDate: '2026-05-01', endDate: '2026-05-02' });
    const timed = await post({ title: 'Meeting', start: '2026-05-04T09:00:00+02:00', duration: 'PT1H' });
    expect(timed.json()).toMatchObject({ allDay: false, startDate: null, endDate: null, transparency: 'opaque' });
  });

  it('when an all-day entry is opaque, then it conflicts with what happens on its days; moving its first day keeps its length', async () => {
    const vacation = await post({ title: 'Vacation', startDate: '2026-08-03', endDate: '2026-08-08', transparency: 'opaque' });
    expect(vacation.statusCode).toBe(201);
    const clash = await post({ title: 'Call', start: '2026-08-05T10:00:00+02:00', duration: 'PT30M' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().conflicts.map((c: { id: string }) => c.id)).toEqual([vacation.json().id]);
    expect((await post({ title: 'Birthday', startDate: '2026-08-04' })).statusCode).toBe(201);
    const moved = await patch(vacation.json().id, { startDate: '2026-08-10' });
    expect(moved.json()).toMatchObject({ startDate: '2026-08-10', endDate: '2026-08-15', allDay: true });
    const timed = await patch(vacation.json().id, { allDay: false, start: '2026-08-10T09:00:00+02:00', duration: 'PT2H' });
    expect(timed.json()).toMatchObject({ allDay: false, startDate: null, duration: 'PT2H' });
  });

  it.each([
    ['an end not after the start', { startDate: '2026-06-02', endDate: '2026-06-02' }, '/endDate'],
    ['an impossible date', { startDate: '2026-02-30' }, '/startDate'],
    ['more than a year', { startDate: '2026-01-01', endDate: '2027-01-03' }, '/endDate'],
    ['dates and a start', { startDate: '2026-06-02', start: '2026-06-02T09:00:00Z' }, '/start'],
    ['allDay without startDate', { allDay: true }, '/startDate'],
    ['neither start nor startDate', {}, '/start'],
  ])('when an entry has %s, then it is a 400 naming the field', async (_case, fields, path) => {
    const res = await post({ title: 'x', ...fields });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  });

  it('when an all-day series repeats yearly, then its occurrences are whole days and .ics writes dates; CalDAV reads dates back', async () => {
    const series = await post({ title: 'Anniversary', startDate: '2026-07-14', recurrence: { frequency: 'yearly', count: 3 } });
    expect(series.statusCode).toBe(201);
    const items = await list('2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z');
    expect(items.map((i) => [i.startDate, i.endDate, i.allDay])).toEqual([['2026-07-14', '2026-07-15', true], ['2027-07-14', '2027-07-15', true], ['2028-07-14', '2028-07-15', true]]);
    const ics = (await ann.request({ method: 'GET', url: `/calendars/${cal}/calendar.ics` })).body;
    expect(ics).toContain('DTSTART;VALUE=DATE:20260714');
    expect(ics).toContain('DTEND;VALUE=DATE:20260715');

    const password = (await ann.request({ method: 'POST', url: '/me/app-passwords', payload: { name: 'ad' } })).json().password;
    const auth = `Basic ${Buffer.from(`${ann.email}:${password}`).toString('base64')}`;
    const body = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', 'UID:conf', 'DTSTAMP:20260101T000000Z',
      'DTSTART;VALUE=DATE:20260921', 'DTEND;VALUE=DATE:20260924', 'SUMMARY:Conference', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    const put = await t.app.inject({ method: 'PUT', url: `/dav/calendars/${ann.id}/${cal}/conf.ics`, headers: { authorization: auth, 'content-type': 'text/calendar' }, payload: body });
    expect(put.statusCode).toBe(201);
    const conf = (await list('2026-09-22T12:00:00Z', '2026-09-22T13:00:00Z'))[0]!;
    expect(conf).toMatchObject({ title: 'Conference', allDay: true, startDate: '2026-09-21', endDate: '2026-09-24', transparency: 'opaque' });
    const get = await t.app.inject({ method: 'GET', url: `/dav/calendars/${ann.id}/${cal}/conf.ics`, headers: { authorization: auth } });
    expect(get.body).toContain('DTSTART;VALUE=DATE:20260921');
  });

  it('when GraphQL creates an all-day entry, then it reads allDay and its dates', async () => {
    const res = await graphql(t.app, `mutation($input: CreateEventInput!) { createEvent(input: $input) { allDay startDate endDate transparency start } }`, {
      input: { calendarId: cal, title: 'g', allDay: true, startDate: '2026-12-24', endDate: '2026-12-26' },
    }, ann);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.createEvent).toEqual({ allDay: true, startDate: '2026-12-24', endDate: '2026-12-26', transparency: 'transparent', start: '2026-12-23T23:00:00.000Z' });
  });
});
