import { expandWithIcalJs } from '../../helpers/ical';
import { createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../../helpers/app';

type Item = { id: string; title: string; start: string; end: string; seriesId: string | null; originalStart: string | null; recurrence: unknown };

describe('recurring events through the API', () => {
  let t: TestApp;
  let ann: TestUser;
  let cal: string;
  beforeAll(async () => {
    t = await createTestApp();
    ann = await registerUser(t.app, { timeZone: 'Europe/Paris' });
  });
  beforeEach(async () => {
    cal = (await ann.request({ method: 'POST', url: '/calendars', payload: { name: `Cal ${Math.random()}` } })).json().id;
  });
  afterAll(() => t.close());

  const create = (payload: Record<string, unknown>, query = '') => ann.request({ method: 'POST', url: `/calendars/${cal}/entries${query}`, payload });
  const list = async (start: string, end: string): Promise<Item[]> => {
    const res = await ann.request({ method: 'GET', url: `/calendars/${cal}/entries?start=${start}&end=${end}&limit=500` });
    expect(res.statusCode).toBe(200);
    return res.json().items;
  };
  const entry = (id: string) => `/calendars/${cal}/entries/${id}`;
  const weekly = { title: 'Weekly sync', start: '2026-10-05T09:00:00+02:00', duration: 'PT1H', recurrence: { frequency: 'weekly' } };

  it('when a weekly 09:00 Paris series is listed over October–November, then every occurrence is at 09:00 local across the clock change', async () => {
    const res = await create(weekly);
    expect(res.statusCode).toBe(201);
    const series = res.json();
    expect(series.recurrence).toEqual({ frequency: 'weekly', interval: 1, count: null, until: null, rrule: 'FREQ=WEEKLY;INTERVAL=1', rdates: [], exdates: [] });
    const items = await list('2026-10-01T00:00:00Z', '2026-12-01T00:00:00Z');
    expect(items.map((i) => i.start)).toEqual([
      '2026-10-05T07:00:00.000Z', '2026-10-12T07:00:00.000Z', '2026-10-19T07:00:00.000Z', '2026-10-26T08:00:00.000Z',
      '2026-11-02T08:00:00.000Z', '2026-11-09T08:00:00.000Z', '2026-11-16T08:00:00.000Z', '2026-11-23T08:00:00.000Z', '2026-11-30T08:00:00.000Z',
    ]);
    expect(items[3]).toMatchObject({ id: `${series.id}_20261026T080000Z`, seriesId: series.id, originalStart: '2026-10-26T08:00:00.000Z', recurrence: null, title: 'Weekly sync' });
    const one = await ann.request({ method: 'GET', url: entry(items[3]!.id) });
    expect(one.json()).toMatchObject({ id: items[3]!.id, start: '2026-10-26T08:00:00.000Z' });
    expect((await ann.request({ method: 'GET', url: entry(`${series.id}_20261027T080000Z`) })).statusCode).toBe(404);
    expect((await ann.request({ method: 'GET', url: entry(`${series.id}_20261345T080000Z`) })).statusCode).toBe(400);
  });

  it('when one occurrence is moved, then following ones are changed, then one is deleted, the listing and the .ics agree', async () => {
    const series = (await create(weekly)).json();
    const occ = (day: string) => `${series.id}_202610${day}T070000Z`;
    // 1. move the 12 October occurrence to the afternoon (scope single is the default for an occurrence id)
    const moved = await ann.request({ method: 'PATCH', url: entry(occ('12')), payload: { start: '2026-10-12T15:00:00+02:00', title: 'Moved sync' } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ id: occ('12'), seriesId: series.id, originalStart: '2026-10-12T07:00:00.000Z', start: '2026-10-12T13:00:00.000Z', end: '2026-10-12T14:00:00.000Z', title: 'Moved sync' });
    // 2. from 19 October on, the meeting is at 10:00 and called "Sync v2"
    const split = await ann.request({ method: 'PATCH', url: `${entry(occ('19'))}?scope=following`, payload: { start: '2026-10-19T10:00:00+02:00', title: 'Sync v2' } });
    expect(split.statusCode).toBe(200);
    const v2 = split.json();
    expect(v2).toMatchObject({ title: 'Sync v2', start: '2026-10-19T08:00:00.000Z', recurrence: { frequency: 'weekly' } });
    expect(v2.id).not.toBe(series.id);
    // 3. cancel 2 November
    const v2occ = `${v2.id}_20261102T090000Z`;
    expect((await ann.request({ method: 'DELETE', url: entry(v2occ) })).statusCode).toBe(204);
    expect((await ann.request({ method: 'GET', url: entry(v2occ) })).statusCode).toBe(404);

    const items = await list('2026-10-01T00:00:00Z', '2026-11-17T00:00:00Z');
    expect(items.map((i) => [i.title, i.start])).toEqual([
      ['Weekly sync', '2026-10-05T07:00:00.000Z'],
      ['Moved sync', '2026-10-12T13:00:00.000Z'],
      ['Sync v2', '2026-10-19T08:00:00.000Z'],
      ['Sync v2', '2026-10-26T09:00:00.000Z'], // 10:00 CET after the change
      ['Sync v2', '2026-11-09T09:00:00.000Z'],
      ['Sync v2', '2026-11-16T09:00:00.000Z'],
    ]);

    const ics = await ann.request({ method: 'GET', url: `/calendars/${cal}/calendar.ics` });
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
    expect(ics.body).toContain('BEGIN:VTIMEZONE');
    expect(ics.body).toMatch(/RECURRENCE-ID;TZID=Europe\/Paris:20261012T090000/);
    expect(ics.body).toMatch(/EXDATE;TZID=Europe\/Paris:20261102T100000/);
    const window = { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-11-17T00:00:00Z') };
    const parsed = [...expandWithIcalJs(ics.body, window).values()].flat().sort((a, b) => a.start.getTime() - b.start.getTime());
    expect(parsed.map((o) => [o.summary, o.start.toISOString()])).toEqual(items.map((i) => [i.title, i.start]));
  });

  it('when the whole series changes time, then every occurrence moves and its exceptions follow their occurrences; a title change keeps them', async () => {
    const series = (await create({ ...weekly, recurrence: { frequency: 'weekly', count: 4 } })).json();
    await ann.request({ method: 'DELETE', url: entry(`${series.id}_20261012T070000Z`) });
    await ann.request({ method: 'PATCH', url: entry(`${series.id}_20261019T070000Z`), payload: { title: 'Special' } });
    const renamed = await ann.request({ method: 'PATCH', url: `${entry(series.id)}`, payload: { title: 'Renamed' } });
    expect(renamed.json().title).toBe('Renamed');
    let items = await list('2026-10-01T00:00:00Z', '2026-11-30T00:00:00Z');
    expect(items.map((i) => i.title)).toEqual(['Renamed', 'Special', 'Renamed']);
    const moved = await ann.request({ method: 'PATCH', url: `${entry(`${series.id}_20261026T080000Z`)}?scope=all`, payload: { start: '2026-10-05T11:00:00+02:00' } });
    expect(moved.statusCode).toBe(200);
    items = await list('2026-10-01T00:00:00Z', '2026-11-30T00:00:00Z');
    expect(items.map((i) => [i.title, i.start])).toEqual([
      ['Renamed', '2026-10-05T09:00:00.000Z'], ['Special', '2026-10-19T09:00:00.000Z'], ['Renamed', '2026-10-26T10:00:00.000Z'],
    ]);
    // the cancelled 12 October stays cancelled, at its new time
    expect((await ann.request({ method: 'GET', url: entry(`${series.id}_20261012T090000Z`) })).statusCode).toBe(404);
    expect((await ann.request({ method: 'GET', url: entry(`${series.id}_20261019T090000Z`) })).json()).toMatchObject({ title: 'Special', originalStart: '2026-10-19T09:00:00.000Z' });
  });

  it('when following occurrences are deleted, then the series ends before them; deleting all removes it', async () => {
    const series = (await create({ ...weekly, recurrence: { frequency: 'daily', until: '2026-10-10T07:00:00Z' } })).json();
    expect((await list('2026-10-01T00:00:00Z', '2026-10-31T00:00:00Z')).length).toBe(6); // 5th..10th inclusive
    expect((await ann.request({ method: 'DELETE', url: `${entry(`${series.id}_20261008T070000Z`)}?scope=following` })).statusCode).toBe(204);
    expect((await list('2026-10-01T00:00:00Z', '2026-10-31T00:00:00Z')).map((i) => i.start.slice(0, 10))).toEqual(['2026-10-05', '2026-10-06', '2026-10-07']);
    expect((await ann.request({ method: 'DELETE', url: `${entry(`${series.id}_20261006T070000Z`)}?scope=all` })).statusCode).toBe(204);
    expect(await list('2026-10-01T00:00:00Z', '2026-10-31T00:00:00Z')).toEqual([]);
  });

  it.each([
    ['count', { frequency: 'daily', count: 3 }],
    ['until', { frequency: 'daily', until: '2026-10-07T07:00:00Z' }],
    ['endless', { frequency: 'daily' }],
  ])('when the first, the last and then the only remaining occurrence of a %s series are deleted one by one, then only they go', async (_kind, recurrence) => {
    const series = (await create({ ...weekly, recurrence })).json();
    const days = async () => (await list('2026-10-01T00:00:00Z', '2026-10-08T00:00:00Z')).map((i) => i.start.slice(0, 10));
    expect(await days()).toEqual(['2026-10-05', '2026-10-06', '2026-10-07']);
    expect((await ann.request({ method: 'DELETE', url: entry(`${series.id}_20261005T070000Z`) })).statusCode).toBe(204);
    expect(await days()).toEqual(['2026-10-06', '2026-10-07']);
    expect((await ann.request({ method: 'GET', url: entry(series.id) })).json()).toMatchObject({ id: series.id, start: '2026-10-05T07:00:00.000Z' });
    expect((await ann.request({ method: 'DELETE', url: entry(`${series.id}_20261007T070000Z`) })).statusCode).toBe(204);
    expect(await days()).toEqual(['2026-10-06']);
    expect((await ann.request({ method: 'DELETE', url: entry(`${series.id}_20261006T070000Z`) })).statusCode).toBe(204);
    expect(await days()).toEqual([]);
    if ('count' in recurrence || 'until' in recurrence) return;
    expect((await list('2026-10-08T00:00:00Z', '2026-10-10T00:00:00Z')).map((i) => i.start.slice(0, 10))).toEqual(['2026-10-08', '2026-10-09']);
  });

  it('when "this and following" is deleted or edited at the first occurrence, then it means the whole series; at a later one, only from there', async () => {
    const a = (await create({ ...weekly, recurrence: { frequency: 'daily', count: 4 } })).json();
    expect((await ann.request({ method: 'PATCH', url: `${entry(`${a.id}_20261005T070000Z`)}?scope=following`, payload: { title: 'All of it' } })).json()).toMatchObject({ id: a.id, title: 'All of it' });
    expect((await list('2026-10-01T00:00:00Z', '2026-10-10T00:00:00Z')).map((i) => i.title)).toEqual(['All of it', 'All of it', 'All of it', 'All of it']);
    expect((await ann.request({ method: 'DELETE', url: `${entry(`${a.id}_20261005T070000Z`)}?scope=following` })).statusCode).toBe(204);
    expect(await list('2026-10-01T00:00:00Z', '2026-10-10T00:00:00Z')).toEqual([]);
    expect((await ann.request({ method: 'GET', url: entry(a.id) })).statusCode).toBe(404);
  });

  it('when the first occurrence was edited alone and "this and following" from it gives the series\' own title, then the occurrence takes it', async () => {
    // The counterexample the model found: the series' title does not change, so nothing else moves,
    // but the occurrence the edit was made on must still take the patch over its own title.
    const only = { frequency: 'daily', until: '2026-10-05T07:00:00Z' }; // first, last and only
    for (const [day, recurrence] of [['05', only], ['12', { frequency: 'daily', count: 3 }]] as const) {
      const s = (await create({ ...weekly, start: `2026-10-${day}T09:00:00+02:00`, title: 'C', recurrence })).json();
      const first = entry(`${s.id}_202610${day}T070000Z`);
      expect((await ann.request({ method: 'PATCH', url: first, payload: { title: 'A' } })).statusCode).toBe(200);
      expect((await ann.request({ method: 'PATCH', url: `${first}?scope=following`, payload: { title: 'C', start: `2026-10-${day}T07:00:00Z` } })).statusCode).toBe(200);
      const titles = (await list(`2026-10-${day}T00:00:00Z`, `2026-10-${day}T23:00:00Z`)).map((i) => i.title);
      expect(titles).toEqual(['C']);
    }
  });

  it('when the first occurrence is deleted through GraphQL, then the series and its other occurrences stay', async () => {
    const series = (await create({ ...weekly, recurrence: { frequency: 'daily', count: 3 } })).json();
    const gone = await graphql(t.app, `mutation { deleteEvent(id: "${series.id}", occurrence: "2026-10-05T07:00:00Z") }`, {}, ann);
    expect(gone.body.data?.deleteEvent).toBe(true);
    expect((await list('2026-10-01T00:00:00Z', '2026-10-10T00:00:00Z')).map((i) => i.start.slice(0, 10))).toEqual(['2026-10-06', '2026-10-07']);
  });

  it('when a series bounded by until moves later, then its last occurrence moves with it instead of falling past until', async () => {
    const series = (await create({ ...weekly, recurrence: { frequency: 'daily', until: '2026-10-07T07:00:00Z' } })).json();
    const moved = await ann.request({ method: 'PATCH', url: entry(series.id), payload: { start: '2026-10-05T10:00:00+02:00' } });
    expect(moved.json().recurrence.until).toBe('2026-10-07T08:00:00.000Z');
    expect((await list('2026-10-01T00:00:00Z', '2026-10-10T00:00:00Z')).map((i) => i.start)).toEqual(['2026-10-05T08:00:00.000Z', '2026-10-06T08:00:00.000Z', '2026-10-07T08:00:00.000Z']);
  });

  it('when scopes or recurrences are invalid, then it is a 400', async () => {
    const series = (await create(weekly)).json();
    const single = (await create({ title: 'one', start: '2027-01-04T12:00:00Z', duration: 'PT1H' })).json();
    expect((await ann.request({ method: 'PATCH', url: `${entry(series.id)}?scope=single`, payload: { title: 'x' } })).statusCode).toBe(400);
    expect((await ann.request({ method: 'PATCH', url: `${entry(series.id)}?scope=sometimes`, payload: { title: 'x' } })).statusCode).toBe(400);
    expect((await ann.request({ method: 'GET', url: entry(`${single.id}_20270104T120000Z`) })).statusCode).toBe(400);
    for (const recurrence of [{ frequency: 'hourly' }, { frequency: 'daily', interval: 0 }, { frequency: 'daily', count: 2, until: '2027-01-01T00:00:00Z' }, { frequency: 'daily', until: '2020-01-01T00:00:00Z' }, { frequency: 'daily', extra: 1 }]) {
      const res = await create({ title: 'bad', start: '2027-02-01T10:00:00Z', duration: 'PT1H', recurrence });
      expect(res.statusCode).toBe(400);
    }
  });

  it('when monthly on the 31st or with count vs until, then RFC 5545 rules apply', async () => {
    const m = (await create({ title: 'Month end', start: '2027-01-31T10:00:00Z', duration: 'PT1H', timeZone: 'UTC', recurrence: { frequency: 'monthly', count: 4 } })).json();
    expect(m.recurrence.rrule).toBe('FREQ=MONTHLY;INTERVAL=1;COUNT=4');
    const items = await list('2027-01-01T00:00:00Z', '2027-12-31T00:00:00Z');
    expect(items.map((i) => i.start.slice(0, 10))).toEqual(['2027-01-31', '2027-03-31', '2027-05-31', '2027-07-31']);
  });

  it('when an entry overlaps an occurrence, or a series overlaps an entry, then it is a 409 naming the occurrence; force keeps both', async () => {
    const series = (await create({ ...weekly, recurrence: { frequency: 'weekly', count: 10 } })).json();
    const clash = await create({ title: 'Dentist', start: '2026-10-26T09:30:00+01:00', duration: 'PT30M' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().conflicts).toEqual([{ id: `${series.id}_20261026T080000Z`, title: 'Weekly sync', start: '2026-10-26T08:00:00.000Z', end: '2026-10-26T09:00:00.000Z' }]);
    expect((await create({ title: 'Lunch', start: '2026-10-26T12:00:00+01:00', duration: 'PT1H' })).statusCode).toBe(201);
    const lunchSeries = await create({ title: 'Lunch series', start: '2026-10-05T12:30:00+02:00', duration: 'PT1H', recurrence: { frequency: 'daily' } });
    expect(lunchSeries.statusCode).toBe(409);
    expect(lunchSeries.json().conflicts[0]).toMatchObject({ title: 'Lunch', start: '2026-10-26T11:00:00.000Z' });
    expect((await create({ title: 'Dentist', start: '2026-10-26T09:30:00+01:00', duration: 'PT30M' }, '?force=true')).statusCode).toBe(201);
    // a cancelled occurrence no longer blocks
    await ann.request({ method: 'DELETE', url: entry(`${series.id}_20261102T080000Z`) });
    expect((await create({ title: 'Free now', start: '2026-11-02T09:00:00+01:00', duration: 'PT1H' })).statusCode).toBe(201);
    // moving an occurrence onto another entry is checked too
    const onto = await ann.request({ method: 'PATCH', url: entry(`${series.id}_20261109T080000Z`), payload: { start: '2026-10-26T12:00:00+01:00' } });
    expect(onto.statusCode).toBe(409);
  });

  it('when listing /events without a range, then a series is listed once with its recurrence; with a range, its occurrences', async () => {
    const u = await registerUser(t.app, { timeZone: 'Europe/Paris' });
    const guest = await registerUser(t.app);
    const s = (await u.request({ method: 'POST', url: '/events', payload: { ...weekly, recurrence: { frequency: 'weekly', count: 3 }, participants: [{ userId: guest.id }] } })).json();
    const all = (await u.request({ method: 'GET', url: '/events' })).json();
    expect(all.items).toEqual([expect.objectContaining({ id: s.id, recurrence: expect.objectContaining({ count: 3 }) })]);
    const ranged = (await guest.request({ method: 'GET', url: '/events?role=participant&include=participants&from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z' })).json();
    expect(ranged.items.map((i: Item) => i.id)).toEqual([`${s.id}_20261005T070000Z`, `${s.id}_20261012T070000Z`, `${s.id}_20261019T070000Z`]);
    expect(ranged.items[0].participants).toHaveLength(2);
    const occ = await guest.request({ method: 'GET', url: `/events/${s.id}_20261012T070000Z` });
    expect(occ.json()).toMatchObject({ seriesId: s.id, participants: [expect.objectContaining({ isHost: true }), expect.objectContaining({ userId: guest.id })] });
    const page1 = (await u.request({ method: 'GET', url: '/events?limit=2&from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z' })).json();
    const page2 = (await u.request({ method: 'GET', url: `/events?limit=2&from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z&cursor=${page1.nextCursor}` })).json();
    expect([...page1.items, ...page2.items].map((i: Item) => i.start)).toEqual(['2026-10-05T07:00:00.000Z', '2026-10-12T07:00:00.000Z', '2026-10-19T07:00:00.000Z']);
    expect(page2.nextCursor).toBeNull();
  });

  it('when the same edits are made through GraphQL, then scope and occurrence arguments work', async () => {
    const created = await graphql(t.app, `mutation { createEvent(input: { calendarId: "${cal}", title: "G", start: "2026-10-05T09:00:00+02:00", duration: "PT1H", recurrence: { frequency: weekly, count: 3 } }) { id recurrence { rrule } } }`, {}, ann);
    const id = created.body.data?.createEvent.id;
    expect(created.body.data?.createEvent.recurrence.rrule).toBe('FREQ=WEEKLY;INTERVAL=1;COUNT=3');
    const single = await graphql(t.app, `mutation { updateEvent(id: "${id}", occurrence: "2026-10-12T07:00:00Z", scope: single, input: { title: "G moved" }) { id seriesId originalStart title } }`, {}, ann);
    expect(single.body.data?.updateEvent).toEqual({ id: `${id}_20261012T070000Z`, seriesId: id, originalStart: '2026-10-12T07:00:00.000Z', title: 'G moved' });
    const gone = await graphql(t.app, `mutation { deleteEvent(id: "${id}_20261019T070000Z") }`, {}, ann);
    expect(gone.body.data?.deleteEvent).toBe(true);
    const listed = await graphql(t.app, `{ events(filter: { calendarId: "${cal}", from: "2026-10-01T00:00:00Z", to: "2026-11-01T00:00:00Z" }) { nodes { id title } } }`, {}, ann);
    expect(listed.body.data?.events.nodes.map((n: { title: string }) => n.title)).toEqual(['G', 'G moved']);
    const occurrence = await graphql(t.app, `{ event(id: "${id}", occurrence: "2026-10-12T07:00:00Z") { title } }`, {}, ann);
    expect(occurrence.body.data?.event.title).toBe('G moved');
  });
});
