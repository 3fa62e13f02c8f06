import fc from 'fast-check';
import { createTestApp, registerUser, type TestApp, type TestUser } from '../helpers/app';

/**
 * "No input, however malformed, gives a 5xx": random JSON bodies, query strings and path ids against
 * the write and read endpoints, as the owner. Every answer must be below 500 and, when an error,
 * problem+json.
 */
describe('malformed input never gives a 5xx', () => {
  let t: TestApp;
  let u: TestUser;
  let entry: string;
  let series: string;
  beforeAll(async () => {
    t = await createTestApp();
    u = await registerUser(t.app);
    entry = (await u.request({ method: 'POST', url: `/calendars/${u.primaryCalendarId}/entries`, payload: { title: 'e', start: '2027-01-04T10:00:00Z', duration: 'PT1H' } })).json().id;
    series = (await u.request({ method: 'POST', url: `/calendars/${u.primaryCalendarId}/entries`, payload: { title: 's', start: '2027-01-05T10:00:00Z', duration: 'PT1H', recurrence: { frequency: 'daily', count: 5 } } })).json().id;
  });
  afterAll(() => t.close());

  const jsonValue = fc.jsonValue({ maxDepth: 3 });
  const fieldValue = fc.oneof(
    jsonValue,
    fc.constantFrom('2027-02-30T10:00:00Z', '2027-01-01T25:00:00Z', '9999-12-31T23:59:60Z', '+275760-09-13T00:00:00Z', 'P1Y', 'PT-1H', 'P999999999D', 'Europe/Nowhere', '', '\u0000', 'x'.repeat(6000), -1, 1e308, 2 ** 53),
  );
  const body = fc.dictionary(
    fc.constantFrom('title', 'start', 'end', 'duration', 'timeZone', 'description', 'location', 'recurrence', 'participants', 'calendarId', 'name', 'email', 'password', 'role', 'response', 'userId', 'offsetDays', 'eventType', 'repeat', 'offer', 'startsAt', 'endsAt', 'signedUpAt', 'frequency', 'interval', 'count', 'until', 'zzz'),
    fieldValue,
  );

  async function check(method: 'POST' | 'PUT' | 'PATCH' | 'GET' | 'DELETE', url: string, payload?: unknown) {
    const res = await u.request({ method, url, ...(payload !== undefined && { payload: payload as object }) });
    if (res.statusCode >= 500) throw new Error(`${method} ${url} ${JSON.stringify(payload)?.slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`);
    if (res.statusCode >= 400) expect(res.headers['content-type']).toMatch(/problem\+json/);
  }

  it('when bodies are random, then writes answer 2xx or 4xx', async () => {
    const targets = () => [
      ['POST', `/calendars/${u.primaryCalendarId}/entries?force=true`],
      ['PATCH', `/calendars/${u.primaryCalendarId}/entries/${entry}?force=true`],
      ['PATCH', `/calendars/${u.primaryCalendarId}/entries/${series}_20270106T100000Z`],
      ['PUT', `/events/${entry}?force=true`],
      ['POST', '/events'],
      ['POST', '/calendars'],
      ['PATCH', `/users/${u.id}`],
      ['POST', `/events/${entry}/participants`],
      ['PATCH', `/events/${entry}/participants/${u.id}`],
      ['POST', '/event-rules'],
      ['POST', `/users/${u.id}/subscriptions`],
    ] as const;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: targets().length - 1 }), body, async (i, payload) => {
        const [method, url] = targets()[i]!;
        await check(method, url, payload);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('when query strings and path ids are random, then reads answer 2xx or 4xx', async () => {
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('1e400', '-0', 'NaN', '%E0%A4%A', '2027-01-01T00:00:00', 'null', '[]', '{}'));
    await fc.assert(
      fc.asyncProperty(text, text, text, async (a, b, c) => {
        const q = (s: string) => encodeURIComponent(s);
        await check('GET', `/calendars/${u.primaryCalendarId}/entries?start=${q(a)}&end=${q(b)}&limit=${q(c)}`);
        await check('GET', `/events?from=${q(a)}&to=${q(b)}&role=${q(c)}&cursor=${q(a)}`);
        await check('GET', `/users/${u.id}/nearest-event?after=${q(a)}`);
        await check('GET', `/users/${u.id}/upcoming-events?from=${q(a)}&to=${q(b)}&limit=${q(c)}`);
        await check('GET', `/events/${q(a)}`);
        await check('DELETE', `/calendars/${u.primaryCalendarId}/entries/${q(`${series}_${b}`)}`);
        await check('GET', `/users?search=${q(a)}&cursor=${q(b)}`);
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  it('when GraphQL documents and variables are random, then the answer is never a 5xx', async () => {
    const fragments = fc.constantFrom('{', '}', '(', ')', 'me', 'events', 'filter:', '{ from: "x" }', 'first: -1', 'first: 99999999999', 'nodes', 'id', 'query', 'mutation', 'createEvent(input: $i)', '$i', '...', '"', '@skip', ':', 'fragment f on Event', '__schema');
    const document = fc.oneof(fc.string({ maxLength: 60 }), fc.array(fragments, { maxLength: 25 }).map((parts) => parts.join(' ')));
    await fc.assert(
      fc.asyncProperty(document, fc.dictionary(fc.constantFrom('i', 'id', 'first'), jsonValue), async (query, variables) => {
        const res = await u.request({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: { query, variables } });
        if (res.statusCode >= 500) throw new Error(`${JSON.stringify(query)} → ${res.statusCode} ${res.body.slice(0, 300)}`);
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
