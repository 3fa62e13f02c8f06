import { RRuleTemporal } from 'rrule-temporal';
import { countQueries, createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../../helpers/app';

/**
 * Range listings accept long windows (issue 12 §2): a page is bounded by `limit` and the cursor, and
 * the work for a page depends on what it returns, not on the window's length.
 */
const DAY = 86_400_000;
const CENTURY = { from: '2027-01-01T00:00:00Z', to: '2127-01-01T00:00:00Z' };

/** `YYYYMMDDTHHMMSSZ` of an instant, as occurrence ids carry it. */
const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * Counts the starts rrule-temporal generates while `fn` runs: the expansion work, whatever its
 * time. Both query methods the expansion uses are wrapped.
 */
async function countExpansion<T>(fn: () => Promise<T>): Promise<{ result: T; generated: number }> {
  let generated = 0;
  const proto = RRuleTemporal.prototype as unknown as Record<'between' | 'all', (...args: unknown[]) => unknown[]>;
  const spies = (['between', 'all'] as const).map((name) => {
    const original = proto[name];
    return jest.spyOn(proto, name).mockImplementation(function (this: unknown, ...args: unknown[]) {
      const out = original.apply(this, args);
      generated += out.length;
      return out;
    });
  });
  try {
    return { result: await fn(), generated };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

describe('long windows', () => {
  let t: TestApp;
  let owner: TestUser;
  let cal: string;
  const expected: { id: string; start: string }[] = [];

  async function create(payload: Record<string, unknown>): Promise<string> {
    const res = await owner.request({ method: 'POST', url: `/calendars/${cal}/entries`, payload });
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json().id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    owner = await registerUser(t.app);
    cal = (await owner.request({ method: 'POST', url: '/calendars', payload: { name: 'A century' } })).json().id;
    // Two endless daily series, a sparse one (every 12 months) and two singles decades apart.
    const morning = await create({ title: 'morning', start: '2027-01-01T09:00:00Z', duration: 'PT1H', recurrence: { frequency: 'daily' } });
    const evening = await create({ title: 'evening', start: '2027-01-01T18:00:00Z', duration: 'PT30M', recurrence: { frequency: 'daily' } });
    const yearly = await create({ title: 'yearly', start: '2027-03-15T12:00:00Z', duration: 'PT2H', recurrence: { frequency: 'monthly', interval: 12 } });
    const singles = [await create({ title: 'single 2050', start: '2050-06-01T11:00:00Z', duration: 'PT30M' }), await create({ title: 'single 2099', start: '2099-12-31T20:00:00Z', duration: 'PT1H' })];
    // A cancelled occurrence in 2060 and a moved one in 2080.
    const cancelled = `${morning}_20600229T090000Z`;
    expect((await owner.request({ method: 'DELETE', url: `/calendars/${cal}/entries/${cancelled}` })).statusCode).toBe(204);
    const moved = `${evening}_20800704T180000Z`;
    expect((await owner.request({ method: 'PATCH', url: `/calendars/${cal}/entries/${moved}`, payload: { start: '2080-07-04T20:00:00Z' } })).statusCode).toBe(200);

    // The plain model of what the century shows.
    const end = Date.parse(CENTURY.to);
    for (let ms = Date.parse('2027-01-01T09:00:00Z'); ms < end; ms += DAY) expected.push({ id: `${morning}_${stamp(ms)}`, start: new Date(ms).toISOString() });
    for (let ms = Date.parse('2027-01-01T18:00:00Z'); ms < end; ms += DAY) expected.push({ id: `${evening}_${stamp(ms)}`, start: new Date(ms).toISOString() });
    for (let year = 2027; year < 2127; year++) expected.push({ id: `${yearly}_${year}0315T120000Z`, start: `${year}-03-15T12:00:00.000Z` });
    expected.push({ id: singles[0]!, start: '2050-06-01T11:00:00.000Z' }, { id: singles[1]!, start: '2099-12-31T20:00:00.000Z' });
    expected.splice(expected.findIndex((e) => e.id === cancelled), 1);
    expected.find((e) => e.id === moved)!.start = '2080-07-04T20:00:00.000Z';
    expected.sort((a, b) => a.start.localeCompare(b.start) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }, 120_000);
  afterAll(() => t.close());

  const entries = (from: string, to: string, extra = '') => owner.request({ method: 'GET', url: `/calendars/${cal}/entries?start=${from}&end=${to}${extra}` });

  it('when the window is the RFC 5545 examples\' 1997-09-01 to 1999-01-01, then every listing answers it', async () => {
    const weekly = (await owner.request({
      method: 'POST',
      url: '/events',
      payload: { title: 'RFC weekly', start: '1997-09-02T09:00:00-04:00', duration: 'PT1H', timeZone: 'America/New_York', recurrence: { frequency: 'weekly', count: 10 } },
    })).json();
    const primary = await owner.request({ method: 'GET', url: `/calendars/${owner.primaryCalendarId}/entries?start=1997-09-01T00:00:00Z&end=1999-01-01T00:00:00Z` });
    expect(primary.statusCode).toBe(200);
    expect(primary.json().items.map((e: { seriesId: string }) => e.seriesId)).toEqual(Array(10).fill(weekly.id));
    const events = await owner.request({ method: 'GET', url: '/events?from=1997-09-01T00:00:00Z&to=1999-01-01T00:00:00Z' });
    expect(events.statusCode).toBe(200);
    expect(events.json().items).toHaveLength(10);
    const gql = await graphql(t.app, '{ events(filter: { from: "1997-09-01T00:00:00Z", to: "1999-01-01T00:00:00Z" }, first: 20) { nodes { id } } }', {}, owner);
    expect(gql.body.errors).toBeUndefined();
    expect(gql.body.data?.events.nodes).toHaveLength(10);
    const upcoming = await owner.request({ method: 'GET', url: `/users/${owner.id}/upcoming-events?from=1997-09-01T00:00:00Z&to=1999-01-01T00:00:00Z` });
    expect(upcoming.statusCode).toBe(200);
  });

  it('when a window passes the 400-year guard, then it is a 400 naming the end; upcoming events allow 100 years', async () => {
    const tooLong = await entries('2027-01-01T00:00:00Z', '2427-02-01T00:00:00Z');
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0].path).toBe('/end');
    expect((await owner.request({ method: 'GET', url: '/events?from=2027-01-01T00:00:00Z&to=2427-02-01T00:00:00Z' })).statusCode).toBe(400);
    expect((await owner.request({ method: 'GET', url: `/users/${owner.id}/upcoming-events?from=2027-01-01T00:00:00Z&to=2126-12-31T00:00:00Z` })).statusCode).toBe(200);
    expect((await owner.request({ method: 'GET', url: `/users/${owner.id}/upcoming-events?from=2027-01-01T00:00:00Z&to=2128-01-01T00:00:00Z` })).statusCode).toBe(400);
  });

  it('when a century of two endless daily series is paged through, then the pages put together are exactly the model', async () => {
    const seen: { id: string; start: string }[] = [];
    let cursor: string | null = null;
    do {
      const res = await entries(CENTURY.from, CENTURY.to, `&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: { id: string; start: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(500);
      seen.push(...page.items.map(({ id, start }) => ({ id, start })));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(expected.length);
    expect(seen).toEqual(expected);
  }, 300_000);

  it('when /events and GraphQL page through the century, then their pages follow the same model', async () => {
    let cursor: string | null = null;
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await owner.request({ method: 'GET', url: `/events?calendarId=${cal}&from=${CENTURY.from}&to=${CENTURY.to}&limit=200${cursor ? `&cursor=${cursor}` : ''}` });
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items.map((e: { id: string }) => e.id));
      cursor = res.json().nextCursor;
    }
    expect(seen).toEqual(expected.slice(0, 600).map((e) => e.id));
    const q = `query($after: String) { events(filter: { calendarId: "${cal}", from: "${CENTURY.from}", to: "${CENTURY.to}" }, first: 300, after: $after) { nodes { id } pageInfo { endCursor } } }`;
    const first = await graphql(t.app, q, {}, owner);
    const second = await graphql(t.app, q, { after: first.body.data?.events.pageInfo.endCursor }, owner);
    const ids = [...first.body.data!.events.nodes, ...second.body.data!.events.nodes].map((n: { id: string }) => n.id);
    expect(ids).toEqual(expected.slice(0, 600).map((e) => e.id));
  }, 120_000);

  it('when a page is read over one year, one century or four, then it sends the same SQL and expands about one page', async () => {
    const limit = 50;
    const measure = (to: string, extra = '') => countExpansion(() => countQueries(t.orm, () => entries(CENTURY.from, to, `&limit=${limit}${extra}`)));
    const year = await measure('2028-01-01T00:00:00Z');
    const century = await measure(CENTURY.to);
    const fourCenturies = await measure('2426-12-01T00:00:00Z');
    for (const m of [year, century, fourCenturies]) {
      expect(m.result.result.statusCode).toBe(200);
      expect(m.result.result.json().items.map((e: { id: string }) => e.id)).toEqual(expected.slice(0, limit).map((e) => e.id));
      expect(m.result.count).toBe(year.result.count);
      // Two daily series and a yearly one: a few dozen starts each, not the 73,000 of the century.
      expect(m.generated).toBeGreaterThan(0);
      expect(m.generated).toBeLessThanOrEqual(10 * limit);
    }
    // A page deep in the century, from a cursor (cursors name a position, not a window), costs the
    // same: expansion starts at the cursor, not at the window's start.
    const index = expected.findIndex((e) => e.start >= '2100-01-01');
    const first = (await entries('2100-01-01T00:00:00Z', CENTURY.to, '&limit=1')).json();
    expect(first.items[0].id).toBe(expected[index]!.id);
    const deep = await measure(CENTURY.to, `&cursor=${first.nextCursor}`);
    expect(deep.result.result.json().items.map((e: { id: string }) => e.id)).toEqual(expected.slice(index + 1, index + 1 + limit).map((e) => e.id));
    expect(deep.result.count).toBe(year.result.count);
    expect(deep.generated).toBeLessThanOrEqual(10 * limit);
  }, 120_000);
});
