import { createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../../helpers/app';

const FILE = (...vevents: string[][]) => [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Google Inc//Google Calendar 70.9054//EN',
  'BEGIN:VTIMEZONE', 'TZID:W. Europe Standard Time',
  'BEGIN:STANDARD', 'DTSTART:16011028T030000', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'END:STANDARD',
  'BEGIN:DAYLIGHT', 'DTSTART:16010325T020000', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'END:DAYLIGHT',
  'END:VTIMEZONE',
  ...vevents.flatMap((v) => ['BEGIN:VEVENT', 'DTSTAMP:20260101T000000Z', ...v, 'END:VEVENT']),
  'END:VCALENDAR', '',
].join('\r\n');

const standup = ['UID:standup@example.com', 'DTSTART;TZID=W. Europe Standard Time:20260302T090000', 'DTEND;TZID=W. Europe Standard Time:20260302T091500', 'SUMMARY:Standup',
  'RRULE:FREQ=DAILY;COUNT=5', 'EXDATE;TZID=W. Europe Standard Time:20260304T090000'];
const standupMoved = ['UID:standup@example.com', 'RECURRENCE-ID;TZID=W. Europe Standard Time:20260305T090000', 'DTSTART;TZID=W. Europe Standard Time:20260305T110000', 'DTEND;TZID=W. Europe Standard Time:20260305T111500', 'SUMMARY:Standup (late)'];
const review = ['UID:review@example.com', 'DTSTART:20260302T080500Z', 'DURATION:PT30M', 'SUMMARY:Review'];
const allDay = ['UID:holiday@example.com', 'DTSTART;VALUE=DATE:20260306', 'DTEND;VALUE=DATE:20260307', 'SUMMARY:Holiday'];

describe('iCalendar import and secret feed', () => {
  let t: TestApp;
  let ann: TestUser;
  let bob: TestUser;

  const importFile = (user: TestUser, body: string, query = '') => user.request({ method: 'POST', url: `/calendars/${user.primaryCalendarId}/import${query}`, headers: { 'content-type': 'text/calendar' }, payload: body });
  const march = async (user: TestUser) => (await user.request({ method: 'GET', url: `/calendars/${user.primaryCalendarId}/entries?start=2026-03-01T00:00:00Z&end=2026-04-01T00:00:00Z` })).json().items as { title: string; start: string }[];

  beforeAll(async () => {
    t = await createTestApp();
    ann = await registerUser(t.app, { timeZone: 'Europe/Paris' });
    bob = await registerUser(t.app);
  });
  afterAll(() => t.close());

  it('when a file is imported twice, then series, overrides, EXDATEs and VTIMEZONE are kept, the second import updates, and what cannot be held or overlaps is skipped with why', async () => {
    const file = FILE(standup, standupMoved, review, allDay);
    const first = await importFile(ann, file);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ created: 1, updated: 0, skipped: 2 });
    const byUid = Object.fromEntries(first.json().items.map((i: { uid: string }) => [i.uid, i]));
    expect(byUid['review@example.com'].reason).toMatch(/overlaps Standup/);
    // An all-day VEVENT without TRANSP is OPAQUE (RFC 5545 §3.8.2.7): it blocks 6 March.
    expect(byUid['holiday@example.com'].reason).toMatch(/overlaps Standup/);
    expect((await march(ann)).map((e) => [e.start, e.title])).toEqual([
      ['2026-03-02T08:00:00.000Z', 'Standup'],
      ['2026-03-03T08:00:00.000Z', 'Standup'],
      ['2026-03-05T10:00:00.000Z', 'Standup (late)'],
      ['2026-03-06T08:00:00.000Z', 'Standup'],
    ]);

    const again = await importFile(ann, file.replace('SUMMARY:Standup\r\n', 'SUMMARY:Daily standup\r\n'), '?force=true');
    expect(again.json()).toMatchObject({ created: 2, updated: 1, skipped: 0 });
    expect((await march(ann)).map((e) => e.title)).toEqual(['Daily standup', 'Review', 'Daily standup', 'Standup (late)', 'Holiday', 'Daily standup']);
  });

  it('when the file is malformed, too large, not text/calendar, or the calendar is not the caller\'s, then it is a 4xx and nothing is imported', async () => {
    const before = await march(bob);
    const malformed = await importFile(bob, FILE(['UID:x', 'DTSTART:20260310T090000Z', 'DURATION:PT1H'], ['UID:y', 'DTSTART:2026-03-10', 'this line is broken']));
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().detail).toMatch(/line \d+/);
    expect((await importFile(bob, `${FILE(review)}${' '.repeat(6 * 1024 * 1024)}`)).statusCode).toBe(413);
    expect((await bob.request({ method: 'POST', url: `/calendars/${bob.primaryCalendarId}/import`, payload: { ics: FILE(review) } })).statusCode).toBe(415);
    expect((await bob.request({ method: 'POST', url: `/calendars/${ann.primaryCalendarId}/import`, headers: { 'content-type': 'text/calendar' }, payload: FILE(review) })).statusCode).toBe(404);
    expect(await march(bob)).toEqual(before);
  });

  it('when the owner turns the feed on, then anyone with the URL reads it with ETags; rotating or revoking stops the old URL', async () => {
    await ann.request({ method: 'POST', url: `/calendars/${ann.primaryCalendarId}/entries?force=true`, payload: { title: 'Feed me', start: '2026-05-01T10:00:00+02:00', duration: 'PT1H' } });
    expect((await ann.request({ method: 'GET', url: `/calendars/${ann.primaryCalendarId}/feed` })).statusCode).toBe(404);
    const feed = (await ann.request({ method: 'POST', url: `/calendars/${ann.primaryCalendarId}/feed` })).json();
    expect(feed.path).toBe(`/calendars/${ann.primaryCalendarId}/feed/${feed.token}.ics`);
    const read = await t.app.inject({ method: 'GET', url: feed.path });
    expect(read.statusCode).toBe(200);
    expect(read.headers['content-type']).toMatch(/^text\/calendar/);
    expect(read.body).toContain('SUMMARY:Feed me');
    expect((await t.app.inject({ method: 'GET', url: feed.path, headers: { 'if-none-match': read.headers.etag as string } })).statusCode).toBe(304);
    expect((await t.app.inject({ method: 'GET', url: `/calendars/${ann.primaryCalendarId}/feed/${feed.token.slice(0, -1)}${feed.token.endsWith('A') ? 'B' : 'A'}.ics` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/calendars/${bob.primaryCalendarId}/feed/${feed.token}.ics` })).statusCode).toBe(404);
    expect((await bob.request({ method: 'POST', url: `/calendars/${ann.primaryCalendarId}/feed` })).statusCode).toBe(404);

    const rotated = await graphql(t.app, 'mutation($c: UUID!) { rotateCalendarFeed(calendarId: $c) { token path } }', { c: ann.primaryCalendarId }, ann);
    const next = rotated.body.data!.rotateCalendarFeed;
    expect(next.token).not.toBe(feed.token);
    expect((await t.app.inject({ method: 'GET', url: feed.path })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: next.path })).statusCode).toBe(200);
    expect((await graphql(t.app, 'query($c: UUID!) { calendarFeed(calendarId: $c) { token } }', { c: ann.primaryCalendarId }, ann)).body.data!.calendarFeed.token).toBe(next.token);
    expect((await ann.request({ method: 'DELETE', url: `/calendars/${ann.primaryCalendarId}/feed` })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: next.path })).statusCode).toBe(404);
    expect((await graphql(t.app, 'query($c: UUID!) { calendarFeed(calendarId: $c) { token } }', { c: ann.primaryCalendarId }, ann)).body.data!.calendarFeed).toBeNull();
  });
});
