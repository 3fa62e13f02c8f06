import { createTestApp, onEmbedded, registerUser, type TestApp, type TestUser } from '../../helpers/app';

describe('calendar entries', () => {
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
    cal = (await ann.request({ method: 'POST', url: '/calendars', payload: { name: 'Cal' } })).json().id;
  });
  afterAll(() => t.close());

  const post = (payload: Record<string, unknown>, query = '', u = ann, calendarId = cal) =>
    u.request({ method: 'POST', url: `/calendars/${calendarId}/entries${query}`, payload });
  const list = (start: string, end: string, extra = '', u = ann, calendarId = cal) =>
    u.request({ method: 'GET', url: `/calendars/${calendarId}/entries?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}${extra}` });

  it('when an entry is given start and duration, then end, UTC times and the duration are returned', async () => {
    const res = await post({ title: 'Standup', start: '2026-12-01T09:00:00+01:00', duration: 'PT1H30M', location: 'Room 1' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      title: 'Standup', location: 'Room 1', description: null, calendarId: cal, hostId: ann.id, timeZone: 'Europe/Paris',
      start: '2026-12-01T08:00:00.000Z', end: '2026-12-01T09:30:00.000Z', duration: 'PT1H30M', recurrence: null, seriesId: null,
    });
  });

  it('when start and end are given, then the duration is derived; both with duration only when they agree', async () => {
    const ok = await post({ title: 'a', start: '2026-12-02T10:00:00Z', end: '2026-12-02T10:45:00Z' });
    expect(ok.json().duration).toBe('PT45M');
    const agree = await post({ title: 'b', start: '2026-12-02T11:00:00Z', end: '2026-12-02T11:30:00Z', duration: 'PT30M' });
    expect(agree.statusCode).toBe(201);
    const disagree = await post({ title: 'c', start: '2026-12-02T12:00:00Z', end: '2026-12-02T12:30:00Z', duration: 'PT1H' });
    expect(disagree.statusCode).toBe(400);
    expect(disagree.json().errors.map((e: { path: string }) => e.path)).toEqual(['/duration', '/end']);
  });

  it.each([
    ['a time without offset', { start: '2026-12-03T10:00:00', duration: 'PT1H' }, '/start'],
    ['an impossible date', { start: '2026-02-30T10:00:00Z', duration: 'PT1H' }, '/start'],
    ['neither end nor duration', { start: '2026-12-03T10:00:00Z' }, '/end'],
    ['end before start', { start: '2026-12-03T10:00:00Z', end: '2026-12-03T09:00:00Z' }, '/end'],
    ['end equal to start', { start: '2026-12-03T10:00:00Z', end: '2026-12-03T10:00:00Z' }, '/end'],
    ['a malformed duration', { start: '2026-12-03T10:00:00Z', duration: '90 minutes' }, '/duration'],
    ['a zero duration', { start: '2026-12-03T10:00:00Z', duration: 'PT0S' }, '/duration'],
    ['a 201-character title', { title: 't'.repeat(201), start: '2026-12-03T10:00:00Z', duration: 'PT1H' }, '/title'],
    ['an unknown field', { start: '2026-12-03T10:00:00Z', duration: 'PT1H', color: 'red' }, '/color'],
    ['a number for a date', { start: 1764756000000, duration: 'PT1H' }, '/start'],
    ['an unknown time zone', { start: '2026-12-03T10:00:00Z', duration: 'PT1H', timeZone: 'Nowhere/Land' }, '/timeZone'],
  ])('when the entry has %s, then it is a 400 naming the field', async (_case, fields, path) => {
    const res = await post({ title: 'x', ...fields });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  });

  it('when an entry spans two local days, then it is a 400 saying so; ending at the next local midnight is fine', async () => {
    const spans = await post({ title: 'late', start: '2026-12-04T23:00:00+01:00', duration: 'PT2H' });
    expect(spans.statusCode).toBe(400);
    expect(spans.json().detail).toMatch(/one day of Europe\/Paris/);
    const toMidnight = await post({ title: 'evening', start: '2026-12-04T22:00:00+01:00', end: '2026-12-05T00:00:00+01:00' });
    expect(toMidnight.statusCode).toBe(201);
    // 23:15Z to 23:45Z is past midnight in Paris but one UTC day: the entry's own time zone decides.
    const utcEntry = await post({ title: 'utc', start: '2026-12-04T23:15:00Z', duration: 'PT30M', timeZone: 'UTC' });
    expect(utcEntry.statusCode).toBe(201);
  });

  it('when a whole day is booked across a DST change, then its 25 hours fit in one day', async () => {
    const res = await post({ title: 'all day', start: '2026-10-25T00:00:00+02:00', duration: 'P1D' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ end: '2026-10-25T23:00:00.000Z', duration: 'PT25H' });
  });

  it('when an entry overlaps another, then it is a 409 listing the conflict; back-to-back is fine; force keeps both', async () => {
    const first = (await post({ title: 'Meeting', start: '2026-12-07T10:00:00Z', duration: 'PT1H' })).json();
    const clash = await post({ title: 'Clash', start: '2026-12-07T10:30:00Z', duration: 'PT1H' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({ status: 409, conflicts: [{ id: first.id, title: 'Meeting', start: '2026-12-07T10:00:00.000Z', end: '2026-12-07T11:00:00.000Z' }] });
    expect((await post({ title: 'After', start: '2026-12-07T11:00:00Z', duration: 'PT1H' })).statusCode).toBe(201);
    expect((await post({ title: 'Before', start: '2026-12-07T09:00:00Z', end: '2026-12-07T10:00:00Z' })).statusCode).toBe(201);
    const forced = await post({ title: 'Clash', start: '2026-12-07T10:30:00Z', duration: 'PT1H' }, '?force=true');
    expect(forced.statusCode).toBe(201);
    // other calendars are independent
    const other = (await ann.request({ method: 'POST', url: '/calendars', payload: { name: 'Other' } })).json().id;
    expect((await post({ title: 'Elsewhere', start: '2026-12-07T10:00:00Z', duration: 'PT1H' }, '', ann, other)).statusCode).toBe(201);
  });

  it('when listing a range, then entries intersecting [start, end) come sorted by start, paged by cursor', async () => {
    for (const [title, start] of [['c', '2026-12-10T15:00:00Z'], ['a', '2026-12-10T08:00:00Z'], ['b', '2026-12-10T12:00:00Z'], ['out', '2026-12-11T12:00:00Z'], ['edge', '2026-12-09T23:30:00Z']]) {
      expect((await post({ title, start, duration: 'PT1H' })).statusCode).toBe(201);
    }
    const all = await list('2026-12-10T00:00:00Z', '2026-12-11T00:00:00Z');
    expect(all.statusCode).toBe(200);
    expect(all.json().items.map((e: { title: string }) => e.title)).toEqual(['edge', 'a', 'b', 'c']);
    const page1 = (await list('2026-12-10T00:00:00Z', '2026-12-11T00:00:00Z', '&limit=3')).json();
    expect(page1.items.map((e: { title: string }) => e.title)).toEqual(['edge', 'a', 'b']);
    const page2 = (await list('2026-12-10T00:00:00Z', '2026-12-11T00:00:00Z', `&limit=3&cursor=${page1.nextCursor}`)).json();
    expect(page2).toMatchObject({ items: [expect.objectContaining({ title: 'c' })], nextCursor: null });
    // an entry ending exactly at the range start does not intersect it
    expect((await list('2026-12-10T16:00:00Z', '2026-12-10T17:00:00Z')).json().items).toEqual([]);
  });

  it('when the range is missing, inverted, too long or without offsets, then it is a 400', async () => {
    for (const url of [
      `/calendars/${cal}/entries`,
      `/calendars/${cal}/entries?start=2026-12-01T00:00:00Z`,
      `/calendars/${cal}/entries?start=2026-12-02T00:00:00Z&end=2026-12-01T00:00:00Z`,
      `/calendars/${cal}/entries?start=2026-01-01T00:00:00Z&end=2427-01-01T00:00:00Z`,
      `/calendars/${cal}/entries?start=2026-12-01T00:00:00&end=2026-12-02T00:00:00`,
    ]) {
      const res = await ann.request({ method: 'GET', url });
      expect(res.statusCode).toBe(400);
    }
  });

  it('when PATCH moves only the start, then the duration is kept; PUT replaces; DELETE removes', async () => {
    const e = (await post({ title: 'Move me', start: '2026-12-14T09:00:00Z', duration: 'PT45M', description: 'keep?' })).json();
    const url = `/calendars/${cal}/entries/${e.id}`;
    const moved = await ann.request({ method: 'PATCH', url, payload: { start: '2026-12-14T13:00:00Z' } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ start: '2026-12-14T13:00:00.000Z', end: '2026-12-14T13:45:00.000Z', duration: 'PT45M', description: 'keep?' });
    const put = await ann.request({ method: 'PUT', url, payload: { title: 'Replaced', start: '2026-12-14T15:00:00Z', end: '2026-12-14T16:00:00Z' } });
    expect(put.json()).toMatchObject({ title: 'Replaced', description: null, duration: 'PT1H' });
    const putWithoutEnd = await ann.request({ method: 'PUT', url, payload: { title: 'x', start: '2026-12-14T15:00:00Z' } });
    expect(putWithoutEnd.statusCode).toBe(400);
    expect((await ann.request({ method: 'GET', url })).json().title).toBe('Replaced');
    expect((await ann.request({ method: 'DELETE', url })).statusCode).toBe(204);
    expect((await ann.request({ method: 'GET', url })).statusCode).toBe(404);
  });

  it('when a change would overlap, then it is a 409 and the entry is unchanged; an entry never conflicts with itself', async () => {
    const a = (await post({ title: 'A', start: '2026-12-15T09:00:00Z', duration: 'PT1H' })).json();
    const b = (await post({ title: 'B', start: '2026-12-15T11:00:00Z', duration: 'PT1H' })).json();
    const url = `/calendars/${cal}/entries/${b.id}`;
    const res = await ann.request({ method: 'PATCH', url, payload: { start: '2026-12-15T09:30:00Z' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().conflicts[0].id).toBe(a.id);
    expect((await ann.request({ method: 'GET', url })).json().start).toBe('2026-12-15T11:00:00.000Z');
    expect((await ann.request({ method: 'PATCH', url, payload: { start: '2026-12-15T11:15:00Z' } })).statusCode).toBe(200);
    expect((await ann.request({ method: 'PATCH', url: `${url}?force=true`, payload: { start: '2026-12-15T09:30:00Z' } })).statusCode).toBe(200);
  });

  it("when another user touches an entry, then it reads as 404 and nothing changes", async () => {
    const e = (await post({ title: 'Private', start: '2026-12-16T09:00:00Z', duration: 'PT1H' })).json();
    const url = `/calendars/${cal}/entries/${e.id}`;
    expect((await bob.request({ method: 'GET', url })).statusCode).toBe(404);
    expect((await bob.request({ method: 'PATCH', url, payload: { title: 'Mine' } })).statusCode).toBe(404);
    expect((await bob.request({ method: 'DELETE', url })).statusCode).toBe(404);
    expect((await post({ title: 'Intruder', start: '2026-12-16T12:00:00Z', duration: 'PT1H' }, '', bob)).statusCode).toBe(404);
    expect((await list('2026-12-16T00:00:00Z', '2026-12-17T00:00:00Z', '', bob)).statusCode).toBe(404);
    expect((await ann.request({ method: 'GET', url })).json().title).toBe('Private');
    // the entry is not reachable through another calendar of its owner either
    const other = (await ann.request({ method: 'POST', url: '/calendars', payload: { name: 'O' } })).json().id;
    expect((await ann.request({ method: 'GET', url: `/calendars/${other}/entries/${e.id}` })).statusCode).toBe(404);
  });

  it('when a listing is read again unchanged, then If-None-Match gives 304, and after a write 200 with a new ETag', async () => {
    const [from, to] = ['2026-12-22T00:00:00Z', '2026-12-23T00:00:00Z'];
    expect((await post({ title: 'Listed', start: '2026-12-22T09:00:00Z', duration: 'PT1H' })).statusCode).toBe(201);
    const first = await list(from, to);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await list(from, to, '', ann, cal)).headers.etag).toBe(etag);
    const unchanged = await ann.request({ method: 'GET', url: `/calendars/${cal}/entries?start=${from}&end=${to}`, headers: { 'if-none-match': etag } });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.body).toBe('');
    expect((await post({ title: 'Added', start: '2026-12-22T11:00:00Z', duration: 'PT1H' })).statusCode).toBe(201);
    const changed = await ann.request({ method: 'GET', url: `/calendars/${cal}/entries?start=${from}&end=${to}`, headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.json().items.map((e: { title: string }) => e.title)).toEqual(['Listed', 'Added']);
  });

  it('when the range query runs, then PostgreSQL can answer it from the calendar range index', async () => {
    const em = t.orm.em.fork();
    const rows = await em.getConnection().execute(
      `begin; set local enable_seqscan = off;
       explain select * from events where calendar_id = '${cal}' and start_at < '2026-12-11T00:00:00Z' and start_at > '2026-12-08T23:00:00Z' and end_at > '2026-12-10T00:00:00Z' order by start_at, id;`,
    );
    await em.getConnection().execute('rollback');
    const plan = JSON.stringify(rows);
    expect(plan).toMatch(/events_calendar_range_idx/);
  });

  (onEmbedded ? it.skip : it)('when 20 overlapping entries are created at once, then exactly one is created and 19 get 409 (needs real PostgreSQL)', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => post({ title: `race ${i}`, start: `2026-12-20T10:${String(i).padStart(2, '0')}:00Z`, duration: 'PT1H' })));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, ...Array(19).fill(409)]);
    const listed = (await list('2026-12-20T00:00:00Z', '2026-12-21T00:00:00Z')).json();
    expect(listed.items).toHaveLength(1);
  });
  if (onEmbedded) console.info('skipped the 20-concurrent-creates test: the embedded PGlite serialises all queries; it runs with DATABASE_URL');
});
