import type { InjectOptions } from 'fastify';

/** inject() options with WebDAV methods (Fastify's type lists only the standard ones). */
type DavInject = Omit<InjectOptions, 'method'> & { method: string };
import { countQueries, createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../../helpers/app';

const ICS = (uid: string, lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
const PROPFIND = '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/"><d:prop><d:getetag/><d:displayname/><cs:getctag/><d:sync-token/></d:prop></d:propfind>';

describe('CalDAV', () => {
  let t: TestApp;
  let ann: TestUser;
  let annBasic: string;
  let bob: TestUser;
  let bobBasic: string;

  async function basicFor(user: TestUser): Promise<string> {
    const res = await user.request({ method: 'POST', url: '/me/app-passwords', payload: { name: 'test' } });
    expect(res.statusCode).toBe(201);
    return `Basic ${Buffer.from(`${user.email}:${res.json().password}`).toString('base64')}`;
  }

  const raw = (opts: DavInject) => t.app.inject(opts as InjectOptions);
  const dav = (auth: string, opts: DavInject) => raw({ ...opts, headers: { authorization: auth, ...opts.headers } });
  const objectUrl = (user: TestUser, name: string) => `/dav/calendars/${user.id}/${user.primaryCalendarId}/${name}`;
  const entries = async (user: TestUser) => (await user.request({ method: 'GET', url: `/calendars/${user.primaryCalendarId}/entries?start=2026-01-01T00:00:00Z&end=2026-12-31T00:00:00Z&limit=500` })).json().items as { id: string; title: string; start: string }[];

  beforeAll(async () => {
    t = await createTestApp();
    ann = await registerUser(t.app, { timeZone: 'Europe/Paris' });
    bob = await registerUser(t.app);
    annBasic = await basicFor(ann);
    bobBasic = await basicFor(bob);
  });
  afterAll(() => t.close());

  it('when a client starts from the well-known URI or the root, then it is sent to /dav/ and OPTIONS advertises calendar-access', async () => {
    const wellKnown = await raw({ method: 'PROPFIND', url: '/.well-known/caldav' });
    expect([wellKnown.statusCode, wellKnown.headers.location]).toEqual([301, '/dav/']);
    const root = await raw({ method: 'PROPFIND', url: '/', headers: { 'content-type': 'application/xml' }, payload: PROPFIND });
    expect([root.statusCode, root.headers.location]).toEqual([301, '/dav/']);
    const options = await raw({ method: 'OPTIONS', url: '/dav/' });
    expect(options.headers.dav).toBe('1, 3, calendar-access');
  });

  it('when credentials are missing, a JWT, or a wrong app password, then it is a 401 with a Basic challenge', async () => {
    const none = await raw({ method: 'PROPFIND', url: '/dav/' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect((await dav(`Bearer ${ann.token}`, { method: 'PROPFIND', url: '/dav/' })).statusCode).toBe(401);
    const wrong = `Basic ${Buffer.from(`${ann.email}:aaaa-bbbb-cccc-dddd`).toString('base64')}`;
    expect((await dav(wrong, { method: 'PROPFIND', url: '/dav/' })).statusCode).toBe(401);
  });

  it("when a user reaches into another user's space, then every address is a 404", async () => {
    const created = await dav(annBasic, { method: 'PUT', url: objectUrl(ann, 'private.ics'), headers: { 'content-type': 'text/calendar' }, payload: ICS('private', ['DTSTART:20260301T090000Z', 'DURATION:PT1H', 'SUMMARY:Private']) });
    expect(created.statusCode).toBe(201);
    for (const [method, url] of [['PROPFIND', `/dav/calendars/${ann.id}/`], ['PROPFIND', `/dav/calendars/${ann.id}/${ann.primaryCalendarId}/`], ['GET', objectUrl(ann, 'private.ics')], ['DELETE', objectUrl(ann, 'private.ics')], ['PROPFIND', `/dav/calendars/${bob.id}/${ann.primaryCalendarId}/`]] as const) {
      expect([method, url, (await dav(bobBasic, { method, url })).statusCode]).toEqual([method, url, 404]);
    }
    const put = await dav(bobBasic, { method: 'PUT', url: `/dav/calendars/${bob.id}/${ann.primaryCalendarId}/x.ics`, payload: ICS('x', ['DTSTART:20260302T090000Z', 'DURATION:PT1H']) });
    expect(put.statusCode).toBe(404);
    expect((await entries(ann)).map((e) => e.title)).toEqual(['Private']);
  });

  it('when an entry made through REST is listed, then its ETag is the REST one and the calendar has a sync token', async () => {
    const rest = await ann.request({ method: 'POST', url: `/calendars/${ann.primaryCalendarId}/entries`, payload: { title: 'REST made', start: '2026-04-01T10:00:00+02:00', duration: 'PT1H' } });
    const id = rest.json().id;
    const restEtag = (await ann.request({ method: 'GET', url: `/calendars/${ann.primaryCalendarId}/entries/${id}` })).headers.etag;
    const listing = await dav(annBasic, { method: 'PROPFIND', url: `/dav/calendars/${ann.id}/${ann.primaryCalendarId}/`, headers: { depth: '1' }, payload: PROPFIND });
    expect(listing.statusCode).toBe(207);
    expect(listing.body).toContain(`${id}.ics</d:href>`);
    expect(listing.body.replace(/&quot;/g, '"')).toContain(`<d:getetag>${restEtag}</d:getetag>`);
    expect(listing.body).toMatch(/<d:sync-token>urn:x-calendar-service:sync:[\w.-]+<\/d:sync-token>/);
    const get = await dav(annBasic, { method: 'GET', url: objectUrl(ann, `${id}.ics`) });
    expect([get.statusCode, get.headers.etag]).toEqual([200, restEtag]);
    expect(get.body).toContain(`UID:${id}`);
  });

  it('when one occurrence of a series is edited through REST, then the ETag of the series resource changes', async () => {
    const series = (await ann.request({ method: 'POST', url: `/calendars/${ann.primaryCalendarId}/entries`, payload: { title: 'Series', start: '2026-07-06T09:00:00+02:00', duration: 'PT1H', recurrence: { frequency: 'weekly', count: 3 } } })).json();
    const etag = async () => (await dav(annBasic, { method: 'GET', url: objectUrl(ann, `${series.id}.ics`) })).headers.etag;
    const before = await etag();
    const patched = await ann.request({ method: 'PATCH', url: `/calendars/${ann.primaryCalendarId}/entries/${series.id}_20260713T070000Z`, payload: { title: 'Moved one' } });
    expect(patched.statusCode).toBe(200);
    const after = await etag();
    expect(after).not.toBe(before);
    expect(after).toBe((await ann.request({ method: 'GET', url: `/calendars/${ann.primaryCalendarId}/entries/${series.id}` })).headers.etag);
    expect((await dav(annBasic, { method: 'GET', url: objectUrl(ann, `${series.id}.ics`) })).body).toContain('SUMMARY:Moved one');
  });

  it('when a calendar-query asks to expand, then each occurrence in the window comes as its own UTC VEVENT with RECURRENCE-ID', async () => {
    const series = (await ann.request({ method: 'POST', url: `/calendars/${ann.primaryCalendarId}/entries`, payload: { title: 'Expand me', start: '2026-09-07T09:00:00+02:00', duration: 'PT1H', timeZone: 'Europe/Paris', recurrence: { frequency: 'weekly', count: 4 } } })).json();
    await ann.request({ method: 'PATCH', url: `/calendars/${ann.primaryCalendarId}/entries/${series.id}_20260914T070000Z`, payload: { start: '2026-09-15T09:00:00+02:00' } });
    await ann.request({ method: 'DELETE', url: `/calendars/${ann.primaryCalendarId}/entries/${series.id}_20260921T070000Z` });
    const query = `<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data><c:expand start="20260901T000000Z" end="20261001T000000Z"/></c:calendar-data></d:prop>
      <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="20260901T000000Z" end="20261001T000000Z"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;
    const res = await dav(annBasic, { method: 'REPORT', url: `/dav/calendars/${ann.id}/${ann.primaryCalendarId}/`, headers: { depth: '1' }, payload: query });
    expect(res.statusCode).toBe(207);
    const data = res.body.replace(/\r/g, '');
    expect(data).not.toContain('RRULE');
    expect([...data.matchAll(/RECURRENCE-ID:(\S+)\nDTSTART:(\S+)/g)].map((m) => [m[1], m[2]])).toEqual([
      ['20260907T070000Z', '20260907T070000Z'],
      ['20260914T070000Z', '20260915T070000Z'],
      ['20260928T070000Z', '20260928T070000Z'],
    ]);
  });

  it('when a calendar-query expands an all-day series, then each instance keeps its local DATE values', async () => {
    const created = await ann.request({ method: 'POST', url: `/calendars/${ann.primaryCalendarId}/entries`, payload: { title: 'Bin day', startDate: '2026-11-02', endDate: '2026-11-03', timeZone: 'Pacific/Auckland', recurrence: { frequency: 'weekly', count: 3 } } });
    expect(created.statusCode).toBe(201);
    const series = created.json();
    await ann.request({ method: 'DELETE', url: `/calendars/${ann.primaryCalendarId}/entries/${series.id}_${series.start.replace(/[-:]|\.000/g, '').replace('20261101', '20261108')}` });
    const query = `<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data><c:expand start="20261025T000000Z" end="20261201T000000Z"/></c:calendar-data></d:prop>
      <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:prop-filter name="SUMMARY"><c:text-match>Bin day</c:text-match></c:prop-filter></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`;
    const res = await dav(annBasic, { method: 'REPORT', url: `/dav/calendars/${ann.id}/${ann.primaryCalendarId}/`, headers: { depth: '1' }, payload: query });
    expect(res.statusCode).toBe(207);
    const data = res.body.replace(/\r/g, '');
    expect([...data.matchAll(/RECURRENCE-ID;VALUE=DATE:(\d{8})\nDTSTART;VALUE=DATE:(\d{8})\nDTEND;VALUE=DATE:(\d{8})/g)].map((m) => m.slice(1))).toEqual([
      ['20261102', '20261102', '20261103'],
      ['20261116', '20261116', '20261117'],
    ]);
  });

  it('when a PUT holds what the domain cannot represent, then it is a precondition error naming the property and nothing is stored', async () => {
    const before = await entries(ann);
    const res = await dav(annBasic, { method: 'PUT', url: objectUrl(ann, 'mw.ics'), payload: ICS('mw', ['DTSTART;TZID=Europe/Paris:20260105T090000', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;BYDAY=MO,WE', 'EXRULE:FREQ=MONTHLY;BYDAY=1MO']) });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('<c:valid-calendar-object-resource/>');
    expect(res.body).toContain('EXRULE');
    const todo = await dav(annBasic, { method: 'PUT', url: objectUrl(ann, 'todo.ics'), payload: ICS('todo', ['DTSTART:20260105T090000Z']).replace(/VEVENT/g, 'VTODO') });
    expect([todo.statusCode, todo.body.includes('supported-calendar-component')]).toEqual([403, true]);
    expect(await entries(ann)).toEqual(before);
  });

  it('when a PUT overlaps an entry, then it is a 409 DAV:error, and If-None-Match/If-Match guard writes', async () => {
    const first = await dav(annBasic, { method: 'PUT', url: objectUrl(ann, 'a.ics'), headers: { 'if-none-match': '*' }, payload: ICS('a', ['DTSTART:20260601T090000Z', 'DURATION:PT1H', 'SUMMARY:A']) });
    expect(first.statusCode).toBe(201);
    const again = await dav(annBasic, { method: 'PUT', url: objectUrl(ann, 'a.ics'), headers: { 'if-none-match': '*' }, payload: ICS('a', ['DTSTART:20260601T090000Z', 'DURATION:PT1H', 'SUMMARY:A2']) });
    expect(again.statusCode).toBe(412);
    const stale = await dav(annBasic, { method: 'PUT', url: objectUrl(ann, 'a.ics'), headers: { 'if-match': '"stale"' }, payload: ICS('a', ['DTSTART:20260601T090000Z', 'DURATION:PT1H', 'SUMMARY:A2']) });
    expect(stale.statusCode).toBe(412);
    const clash = await dav(annBasic, { method: 'PUT', url: objectUrl(ann, 'b.ics'), payload: ICS('b', ['DTSTART:20260601T093000Z', 'DURATION:PT1H', 'SUMMARY:B']) });
    expect(clash.statusCode).toBe(409);
    expect(clash.body).toContain('<d:error');
    expect(clash.body).toContain('no-overlap');
    const sameUid = await dav(annBasic, { method: 'PUT', url: objectUrl(ann, 'other-name.ics'), payload: ICS('a', ['DTSTART:20260602T090000Z', 'DURATION:PT1H']) });
    expect([sameUid.statusCode, sameUid.body.includes('no-uid-conflict')]).toEqual([409, true]);
    const updated = await dav(annBasic, { method: 'PUT', url: objectUrl(ann, 'a.ics'), headers: { 'if-match': first.headers.etag as string }, payload: ICS('a', ['DTSTART:20260601T100000Z', 'DURATION:PT1H', 'SUMMARY:A moved']) });
    expect(updated.statusCode).toBe(204);
    expect((await entries(ann)).find((e) => e.title === 'A moved')?.start).toBe('2026-06-01T10:00:00.000Z');
  });

  it('when the calendar allows overlaps, then an overlapping PUT is stored; the setting is off by default', async () => {
    const cal = (await ann.request({ method: 'POST', url: '/calendars', payload: { name: 'Shared room' } })).json();
    expect(cal.allowOverlaps).toBe(false);
    const url = (name: string) => `/dav/calendars/${ann.id}/${cal.id}/${name}`;
    expect((await dav(annBasic, { method: 'PUT', url: url('x.ics'), payload: ICS('x', ['DTSTART:20260801T090000Z', 'DURATION:PT1H']) })).statusCode).toBe(201);
    expect((await dav(annBasic, { method: 'PUT', url: url('y.ics'), payload: ICS('y', ['DTSTART:20260801T093000Z', 'DURATION:PT1H']) })).statusCode).toBe(409);
    const patched = await ann.request({ method: 'PATCH', url: `/calendars/${cal.id}`, payload: { allowOverlaps: true } });
    expect(patched.json().allowOverlaps).toBe(true);
    expect((await dav(annBasic, { method: 'PUT', url: url('y.ics'), payload: ICS('y', ['DTSTART:20260801T093000Z', 'DURATION:PT1H']) })).statusCode).toBe(201);
  });

  it('when XML or iCalendar bodies are hostile or malformed, then each is a 4xx and nothing changes', async () => {
    const before = await entries(ann);
    const laughs = `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d:propfind xmlns:d="DAV:"><d:prop><d:displayname>&b;</d:displayname></d:prop></d:propfind>`;
    const xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><d:propfind xmlns:d="DAV:">&e;</d:propfind>';
    const cases: DavInject[] = [
      { method: 'PROPFIND', url: '/dav/', payload: laughs },
      { method: 'REPORT', url: `/dav/calendars/${ann.id}/${ann.primaryCalendarId}/`, payload: xxe },
      { method: 'REPORT', url: `/dav/calendars/${ann.id}/${ann.primaryCalendarId}/`, payload: '<d:sync-collection xmlns:d="DAV:"><d:sync-token>' },
      { method: 'PROPPATCH', url: `/dav/calendars/${ann.id}/${ann.primaryCalendarId}/`, payload: `<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>${'x'.repeat(2_000_000)}</d:displayname></d:prop></d:set></d:propertyupdate>` },
      { method: 'PUT', url: objectUrl(ann, 'bad.ics'), payload: 'BEGIN:VCALENDAR\r\nthis is not iCalendar\r\nEND:VCALENDAR\r\n' },
      { method: 'PUT', url: objectUrl(ann, 'bad.ics'), payload: ICS('bad', ['DTSTART:20261345T090000Z', 'DURATION:PT1H']) },
      { method: 'PUT', url: objectUrl(ann, 'huge.ics'), payload: ICS('huge', ['DTSTART:20260105T090000Z', 'DURATION:PT1H', `DESCRIPTION:${'x'.repeat(300_000)}`]) },
      { method: 'PUT', url: objectUrl(ann, 'two.ics'), payload: ICS('one', ['DTSTART:20260105T090000Z', 'DURATION:PT1H']).replace('END:VCALENDAR', 'BEGIN:VEVENT\r\nUID:two\r\nDTSTART:20260106T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR') },
    ];
    for (const c of cases) {
      const res = await dav(annBasic, { ...c, headers: { 'content-type': 'application/xml' } });
      expect([c.method, c.url, res.statusCode >= 400 && res.statusCode < 500]).toEqual([c.method, c.url, true]);
    }
    expect(await entries(ann)).toEqual(before);
  });

  it('when app passwords are listed and one is revoked, then its secret never shows and it stops working at once', async () => {
    const listed = await ann.request({ method: 'GET', url: '/me/app-passwords' });
    expect(listed.json().items[0]).toEqual({ id: expect.any(String), name: 'test', createdAt: expect.any(String), lastUsedAt: expect.any(String) });
    expect(listed.body).not.toMatch(/password|hash/);
    const gql = await graphql(t.app, 'mutation { createAppPassword(input: { name: "phone" }) { id password } }', {}, ann);
    const { id, password } = gql.body.data!.createAppPassword;
    const phone = `Basic ${Buffer.from(`${ann.email.toUpperCase()}:${password.replace(/-/g, ' ').toUpperCase()}`).toString('base64')}`;
    expect((await dav(phone, { method: 'PROPFIND', url: '/dav/', headers: { depth: '0' } })).statusCode).toBe(207);
    expect((await graphql(t.app, '{ appPasswords { name } }', {}, ann)).body.data!.appPasswords.map((p: { name: string }) => p.name)).toEqual(['test', 'phone']);
    expect((await bob.request({ method: 'DELETE', url: `/me/app-passwords/${id}` })).statusCode).toBe(404);
    expect((await ann.request({ method: 'DELETE', url: `/me/app-passwords/${id}` })).statusCode).toBe(204);
    expect((await dav(phone, { method: 'PROPFIND', url: '/dav/' })).statusCode).toBe(401);
  });
});

describe('CalDAV authentication rate limit', () => {
  it('when wrong app passwords keep coming, then it is a 429 while good credentials already verified go on', async () => {
    const t = await createTestApp({ RATE_LIMIT_AUTH: '3' });
    const raw = (opts: DavInject) => t.app.inject(opts as InjectOptions);
    try {
      const user = await registerUser(t.app);
      const created = (await user.request({ method: 'POST', url: '/me/app-passwords', payload: { name: 'x' } })).json();
      const good = `Basic ${Buffer.from(`${user.email}:${created.password}`).toString('base64')}`;
      const bad = `Basic ${Buffer.from(`${user.email}:wrong-wrong-wrong-wrong`).toString('base64')}`;
      expect((await raw({ method: 'PROPFIND', url: '/dav/', headers: { authorization: good } })).statusCode).toBe(207);
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await raw({ method: 'PROPFIND', url: '/dav/', headers: { authorization: bad } })).statusCode);
      // One budget with logins and registrations: the registration and the first good request (not
      // verified yet) counted on the account's.
      expect(codes).toEqual([401, 429, 429, 429]);
      expect((await raw({ method: 'PROPFIND', url: '/dav/', headers: { authorization: good } })).statusCode).toBe(207);
    } finally {
      await t.close();
    }
  });
});

describe('CalDAV statement counts', () => {
  it('when a calendar with 5 or 40 entries is read in full (depth 1, multiget, sync), then the number of SQL statements is the same', async () => {
    const t = await createTestApp();
    try {
      const counts: number[][] = [];
      for (const n of [5, 40]) {
        const user = await registerUser(t.app);
        const ap = (await user.request({ method: 'POST', url: '/me/app-passwords', payload: { name: 'n' } })).json();
        const auth = `Basic ${Buffer.from(`${user.email}:${ap.password}`).toString('base64')}`;
        for (let i = 0; i < n; i++) {
          await user.request({ method: 'POST', url: `/calendars/${user.primaryCalendarId}/entries`, payload: { title: `e${i}`, start: new Date(Date.UTC(2026, 2, 1 + i, 9)).toISOString(), duration: 'PT1H', ...(i % 5 === 0 && { recurrence: { frequency: 'daily', count: 1 } }) } });
        }
        const calendarUrl = `/dav/calendars/${user.id}/${user.primaryCalendarId}/`;
        const inject = (opts: { method: string; payload?: string; headers?: Record<string, string> }) => t.app.inject({ url: calendarUrl, ...opts, headers: { authorization: auth, ...opts.headers } } as InjectOptions);
        await inject({ method: 'PROPFIND', headers: { depth: '0' } }); // verify the credentials once
        const list = await countQueries(t.orm, () => inject({ method: 'PROPFIND', headers: { depth: '1' } }));
        const hrefs = [...list.result.body.matchAll(/<d:href>([^<]+\.ics)<\/d:href>/g)].map((m) => `<d:href>${m[1]}</d:href>`).join('');
        expect(hrefs.split('<d:href>').length - 1).toBe(n);
        const multiget = await countQueries(t.orm, () => inject({ method: 'REPORT', payload: `<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>${hrefs}</c:calendar-multiget>` }));
        const sync = await countQueries(t.orm, () => inject({ method: 'REPORT', payload: '<d:sync-collection xmlns:d="DAV:"><d:sync-token/><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>' }));
        counts.push([list.count, multiget.count, sync.count]);
      }
      expect(counts[1]).toEqual(counts[0]);
    } finally {
      await t.close();
    }
  }, 120_000);
});
