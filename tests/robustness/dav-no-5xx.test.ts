import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { createTestApp, registerUser, type TestApp, type TestUser } from '../helpers/app';

/**
 * "No input, however malformed, gives a 5xx", for CalDAV and imports: random XML-ish request bodies,
 * random iCalendar built from real and broken content lines, random paths and headers. Every answer
 * must be below 500, and nothing a 4xx answered may have been stored.
 */
describe('malformed CalDAV and iCalendar input never gives a 5xx', () => {
  let t: TestApp;
  let u: TestUser;
  let basic: string;
  let calendarUrl: string;

  beforeAll(async () => {
    t = await createTestApp();
    u = await registerUser(t.app);
    const ap = (await u.request({ method: 'POST', url: '/me/app-passwords', payload: { name: 'fuzz' } })).json();
    basic = `Basic ${Buffer.from(`${u.email}:${ap.password}`).toString('base64')}`;
    calendarUrl = `/dav/calendars/${u.id}/${u.primaryCalendarId}/`;
  });
  afterAll(() => t.close());

  async function send(opts: Omit<InjectOptions, 'method'> & { method: string }): Promise<number> {
    const res = await t.app.inject({ ...opts, headers: { authorization: basic, ...opts.headers } } as InjectOptions);
    if (res.statusCode >= 500) throw new Error(`${opts.method} ${opts.url} ${String(opts.payload).slice(0, 400)} → ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res.statusCode;
  }

  const tag = fc.constantFrom('d:propfind', 'd:prop', 'd:href', 'c:calendar-query', 'c:calendar-multiget', 'd:sync-collection', 'd:sync-token', 'c:filter', 'c:comp-filter', 'c:time-range', 'c:prop-filter', 'c:text-match', 'c:expand', 'c:calendar-data', 'x:y', 'd:propertyupdate', 'd:set', 'd:displayname');
  const attr = fc.constantFrom('', ' name="VCALENDAR"', ' name="VEVENT"', ' start="20260101T000000Z"', ' end="2026"', ' start="99999999T999999Z"', ' negate-condition="yes"', ' name="UID"');
  const xmlNode: fc.Arbitrary<string> = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      fc.string({ maxLength: 20 }),
      fc.tuple(tag, attr, fc.array(tie('node'), { maxLength: 4 })).map(([n, a, kids]) => `<${n}${a}>${kids.join('')}</${n}>`),
      fc.constantFrom('<', '&', '&amp;', '&#0;', '&#xFFFFFF;', ']]>', '<![CDATA[', '<!-- ', '<?pi?>', '</d:prop>'),
    ),
  })).node as fc.Arbitrary<string>;
  const xmlBody = xmlNode.map((inner) => `<?xml version="1.0"?><d:root xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">${inner}</d:root>`);
  const rootedXml = fc.tuple(fc.constantFrom('c:calendar-query', 'c:calendar-multiget', 'd:sync-collection', 'd:propfind', 'd:propertyupdate'), fc.array(xmlNode, { maxLength: 4 }))
    .map(([root, kids]) => `<${root} xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">${kids.join('')}</${root}>`);

  const icsLine = fc.oneof(
    fc.constantFrom('UID:fuzz', 'UID:', 'DTSTART:20260105T090000Z', 'DTSTART;TZID=Europe/Paris:20260105T090000', 'DTSTART;TZID=Nowhere:20260105T090000', 'DTSTART;VALUE=DATE:20260105',
      'DTSTART:20261345T250000Z', 'DTEND:20260105T080000Z', 'DTEND:20260106T100000Z', 'DURATION:PT1H', 'DURATION:-P1D', 'DURATION:P99999W', 'RRULE:FREQ=WEEKLY;COUNT=3', 'RRULE:FREQ=DAILY;UNTIL=20250101T000000Z',
      'RRULE:FREQ=DAILY;INTERVAL=0', 'RRULE:FREQ=HOURLY', 'RRULE:garbage', 'EXDATE:20260112T090000Z', 'EXDATE:nonsense', 'RECURRENCE-ID:20260112T090000Z', 'RECURRENCE-ID:20260113T091500Z',
      'SUMMARY:hello', `SUMMARY:${'x'.repeat(300)}`, 'STATUS:CANCELLED', 'ATTENDEE:mailto:someone@example.com', 'ORGANIZER:mailto:other@example.com', 'BEGIN:VALARM', 'END:VALARM', 'BEGIN:VEVENT', 'END:VEVENT',
      'BEGIN:VTODO', 'END:VTODO', 'METHOD:REQUEST', 'X-FOO;BAR="baz":qux', ' folded continuation', 'no colon at all', ':', ';;;', 'DTSTART;TZID="A:B":20260105T090000'),
    fc.string({ maxLength: 30 }),
  );
  const icsBody = fc.array(icsLine, { maxLength: 14 }).map((lines) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n'));

  it('when REPORT, PROPFIND and PROPPATCH bodies are random, then every answer is below 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('REPORT', 'PROPFIND', 'PROPPATCH'), fc.oneof(xmlBody, rootedXml, fc.string({ maxLength: 200 })), fc.constantFrom('0', '1', 'infinity', 'x'), async (method, payload, depth) => {
        await send({ method, url: calendarUrl, headers: { depth, 'content-type': 'application/xml' }, payload });
      }),
      { numRuns: 150 },
    );
  });

  it('when PUT and import bodies are random iCalendar, then every answer is below 500 and refused ones store nothing', async () => {
    await fc.assert(
      fc.asyncProperty(icsBody, fc.constantFrom('a.ics', 'b.ics', '%2e%2e', 'x'.repeat(300)), async (payload, name) => {
        const before = (await u.request({ method: 'GET', url: `/calendars/${u.primaryCalendarId}/entries?start=2025-01-01T00:00:00Z&end=2026-12-31T00:00:00Z&limit=500` })).body;
        const put = await send({ method: 'PUT', url: `${calendarUrl}${name}`, headers: { 'content-type': 'text/calendar' }, payload });
        const imported = await u.request({ method: 'POST', url: `/calendars/${u.primaryCalendarId}/import`, headers: { 'content-type': 'text/calendar' }, payload });
        if (imported.statusCode >= 500) throw new Error(`import → ${imported.statusCode} ${imported.body.slice(0, 300)}\n${payload}`);
        const after = (await u.request({ method: 'GET', url: `/calendars/${u.primaryCalendarId}/entries?start=2025-01-01T00:00:00Z&end=2026-12-31T00:00:00Z&limit=500` })).body;
        if (put >= 400 && imported.statusCode >= 400) expect(after).toBe(before);
      }),
      { numRuns: 120 },
    );
  }, 120_000);

  it('when paths and headers are odd, then every answer is below 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'PUT', 'DELETE', 'PROPFIND', 'REPORT', 'MKCALENDAR', 'MOVE', 'OPTIONS'),
        fc.oneof(fc.constantFrom('/dav', '/dav/', '/dav/principals/', `/dav/principals/${u?.id ?? 'x'}/x/y`, '/dav/calendars/x/y/z/w', '/dav/%zz', '/dav/calendars/%00/', '/dav/other'), fc.string({ maxLength: 30 }).map((s) => `/dav/calendars/${encodeURIComponent(s)}/`)),
        fc.constantFrom(undefined, '*', '"x"', 'garbage'),
        async (method, url, ifMatch) => {
          await send({ method, url, headers: ifMatch ? { 'if-match': ifMatch } : {}, payload: method === 'PUT' ? 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' : undefined });
        },
      ),
      { numRuns: 120 },
    );
  });
});
