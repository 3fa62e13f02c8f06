import { Temporal } from '@js-temporal/polyfill';
import { toZoned } from '../../../src/modules/events/domain/event-time';
import { expectedLocalStarts, RFC5545_EXAMPLES, RFC_ZONE } from '../../fixtures/rfc5545-recurrence';
import { createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../../helpers/app';

/**
 * The whole RRULE (RFC 5545 §3.3.10) with RDATE and EXDATE through REST and GraphQL: every example
 * of RFC 5545 §3.8.5.3 created with its raw rrule and compared with the listed occurrences; the
 * structured form; errors with JSON pointers; edits, overlaps and iCalendar of such series.
 */

const instant = (local: string) => new Date(Temporal.PlainDateTime.from(local).toZonedDateTime(RFC_ZONE).epochMilliseconds).toISOString();
const localOf = (iso: string) => toZoned(new Date(iso), RFC_ZONE).toPlainDateTime().toString({ smallestUnit: 'minute' });

describe('full recurrence rules over HTTP', () => {
  let t: TestApp;
  let ann: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    ann = await registerUser(t.app, { timeZone: RFC_ZONE });
  });
  afterAll(() => t.close());

  const newCalendar = async () => (await ann.request({ method: 'POST', url: '/calendars', payload: { name: 'Cal', timeZone: RFC_ZONE } })).json().id as string;
  const post = (cal: string, payload: Record<string, unknown>, query = '') => ann.request({ method: 'POST', url: `/calendars/${cal}/entries${query}`, payload });
  const list = async (cal: string, start: string, end: string, limit = 500) =>
    (await ann.request({ method: 'GET', url: `/calendars/${cal}/entries?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}&limit=${limit}` })).json().items as { id: string; start: string; title: string }[];
  const paths = (res: { json(): { errors?: { path: string }[] } }) => (res.json().errors ?? []).map((e) => e.path);

  const cases = RFC5545_EXAMPLES.filter((e) => !e.refused).flatMap((example) => example.rrules.map((rrule) => [`${example.title}: ${rrule}`, example, rrule] as const));

  it.each(cases)('RFC 5545 §3.8.5.3 — %s', async (_title, example, rrule) => {
    const cal = await newCalendar();
    const expected = expectedLocalStarts(example);
    const body = (start: string, exdates?: string[]) => ({ title: 'x', start, duration: 'PT10M', timeZone: RFC_ZONE, recurrence: { rrule, ...(exdates && { exdates }) } });
    let res = await post(cal, body(instant(example.dtstart), example.exdates?.map(instant)));
    if (example.unsynchronizedStart) {
      // RFC 5545 counts a DTSTART the rule does not generate; this service wants the rule's first occurrence.
      expect([res.statusCode, paths(res)]).toEqual([400, ['/start']]);
      res = await post(cal, body(instant(expected[0]!)));
    }
    expect(res.statusCode).toBe(201);
    expect(res.json().recurrence.rrule).toMatch(/^FREQ=/);
    const limit = example.open ? expected.length : expected.length + 1;
    const items = await list(cal, instant(expected[0]!), '2100-01-01T00:00:00Z', limit);
    expect(items.map((i) => localOf(i.start))).toEqual(expected);
  });

  it('when a rule is given as fields, then the output has the fields, the canonical rrule and the dates; the same as text is accepted', async () => {
    const cal = await newCalendar();
    const res = await post(cal, {
      title: 'Last Friday', start: '2026-01-30T16:00:00-05:00', duration: 'PT1H',
      recurrence: { frequency: 'monthly', byDay: ['-1fr'], count: 4, rdates: ['2026-02-20T21:00:00Z'], exdates: ['2026-02-27T21:00:00Z'] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().recurrence).toEqual({
      frequency: 'monthly', interval: 1, count: 4, until: null, byDay: ['-1FR'], rrule: 'FREQ=MONTHLY;INTERVAL=1;COUNT=4;BYDAY=-1FR',
      rdates: ['2026-02-20T21:00:00.000Z'], exdates: ['2026-02-27T21:00:00.000Z'],
    });
    const items = await list(cal, '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z');
    expect(items.map((i) => i.start)).toEqual(['2026-01-30T21:00:00.000Z', '2026-02-20T21:00:00.000Z', '2026-03-27T20:00:00.000Z', '2026-04-24T20:00:00.000Z']);
    const both = await post(cal, { title: 'y', start: '2026-07-14T10:00:00-04:00', duration: 'PT1H', recurrence: { frequency: 'yearly', rrule: 'FREQ=YEARLY;INTERVAL=1' } });
    expect(both.statusCode).toBe(201);
    const clash = await post(cal, { title: 'z', start: '2026-07-15T10:00:00-04:00', duration: 'PT1H', recurrence: { frequency: 'yearly', rrule: 'FREQ=MONTHLY' } });
    expect([clash.statusCode, paths(clash)]).toEqual([400, ['/recurrence/rrule']]);
  });

  it.each([
    ['an ordinal with a weekly rule', { frequency: 'weekly', byDay: ['MO', '2TU'] }, ['/recurrence/byDay/1']],
    ['a month day out of range', { frequency: 'monthly', byMonthDay: [32] }, ['/recurrence/byMonthDay/0']],
    ['byWeekNo with a monthly rule', { frequency: 'monthly', byWeekNo: [3] }, ['/recurrence/byWeekNo']],
    ['a malformed rrule', { rrule: 'FREQ=WEEKLY;BYDAY=XX' }, ['/recurrence/rrule']],
    ['an unknown rule part', { rrule: 'FREQ=DAILY;RSCALE=HEBREW' }, ['/recurrence/rrule']],
    ['FREQ=HOURLY', { rrule: 'FREQ=HOURLY' }, ['/recurrence/rrule']],
    ['neither form', { interval: 2 }, ['/recurrence/frequency']],
    ['a start the rule does not generate', { frequency: 'weekly', byDay: ['TU'] }, ['/start']],
    ['an extra date before the start', { frequency: 'daily', count: 3, rdates: ['2026-03-01T14:00:00Z'] }, ['/recurrence/rdates/0']],
    ['an exception date that is no occurrence', { frequency: 'daily', count: 3, exdates: ['2026-03-03T15:00:00Z'] }, ['/recurrence/exdates/0']],
    ['an unknown weekday for wkst', { frequency: 'weekly', wkst: 'XX' }, ['/recurrence/wkst']],
  ])('when the recurrence has %s, then it is a 400 naming the bad part', async (_case, recurrence, expected) => {
    const cal = await newCalendar();
    // Monday 2 March 2026, 09:00 New York.
    const res = await post(cal, { title: 'x', start: '2026-03-02T09:00:00-05:00', duration: 'PT1H', recurrence });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(paths(res)).toEqual(expect.arrayContaining(expected));
  });

  it('when an entry overlaps any occurrence of a BYDAY series or an extra date, then it is a 409; edits by scope keep working', async () => {
    const cal = await newCalendar();
    const series = await post(cal, {
      title: 'Mon+Wed', start: '2026-03-02T09:00:00-05:00', duration: 'PT1H',
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6', rdates: ['2026-03-06T14:00:00Z'] },
    });
    expect(series.statusCode).toBe(201);
    const id = series.json().id as string;
    expect((await post(cal, { title: 'w', start: '2026-03-11T09:30:00-04:00', duration: 'PT30M' })).statusCode).toBe(409);
    expect((await post(cal, { title: 'f', start: '2026-03-06T14:30:00Z', duration: 'PT30M' })).statusCode).toBe(409);
    expect((await post(cal, { title: 't', start: '2026-03-10T09:30:00-04:00', duration: 'PT30M' })).statusCode).toBe(201);

    // single: move the Wednesday 4 March occurrence; delete the extra date; following: from 9 March on, at 10:00.
    const moved = await ann.request({ method: 'PATCH', url: `/calendars/${cal}/entries/${id}_20260304T140000Z`, payload: { start: '2026-03-04T15:00:00-05:00' } });
    expect(moved.statusCode).toBe(200);
    expect((await ann.request({ method: 'DELETE', url: `/calendars/${cal}/entries/${id}_20260306T140000Z` })).statusCode).toBe(204);
    const split = await ann.request({ method: 'PATCH', url: `/calendars/${cal}/entries/${id}_20260309T130000Z?scope=following`, payload: { start: '2026-03-09T10:00:00-04:00' } });
    expect(split.statusCode).toBe(200);
    expect(split.json().recurrence).toMatchObject({ byDay: ['MO', 'WE'], count: 4 });
    const items = await list(cal, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
    expect(items.filter((i) => i.title !== 't').map((i) => localOf(i.start).slice(5))).toEqual(['03-02T09:00', '03-04T15:00', '03-09T10:00', '03-11T10:00', '03-16T10:00', '03-18T10:00']);
    const first = await ann.request({ method: 'GET', url: `/calendars/${cal}/entries/${id}` });
    expect(first.json().recurrence).toMatchObject({ rrule: 'FREQ=WEEKLY;INTERVAL=1;COUNT=2;BYDAY=MO,WE', rdates: ['2026-03-06T14:00:00.000Z'], exdates: ['2026-03-06T14:00:00.000Z'] });
  });

  it('when a series with BYDAY, RDATE and EXDATE is exported, then RRULE, RDATE and EXDATE are written; CalDAV PUT maps them back', async () => {
    const cal = await newCalendar();
    const created = await post(cal, {
      title: 'Board', start: '2026-04-14T10:00:00-04:00', duration: 'PT1H',
      recurrence: { frequency: 'monthly', byDay: ['2TU'], until: '2026-12-31T23:59:59Z', rdates: ['2026-05-01T14:00:00Z'], exdates: ['2026-06-09T14:00:00Z'] },
    });
    expect(created.statusCode).toBe(201);
    const ics = (await ann.request({ method: 'GET', url: `/calendars/${cal}/calendar.ics` })).body.replace(/\r\n /g, '');
    expect(ics).toContain('RRULE:FREQ=MONTHLY;INTERVAL=1;UNTIL=20261231T235959Z;BYDAY=2TU');
    expect(ics).toContain('RDATE;TZID=America/New_York:20260501T100000');
    expect(ics).toContain('EXDATE;TZID=America/New_York:20260609T100000');

    const password = (await ann.request({ method: 'POST', url: '/me/app-passwords', payload: { name: 'rr' } })).json().password;
    const auth = `Basic ${Buffer.from(`${ann.email}:${password}`).toString('base64')}`;
    const body = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', 'UID:yearly-14-july', 'DTSTAMP:20260101T000000Z',
      'DTSTART;TZID=America/New_York:20260714T120000', 'DURATION:PT2H', 'SUMMARY:Bastille', 'RRULE:FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=14;COUNT=3',
      'RDATE;TZID=America/New_York:20260801T120000', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    const put = await t.app.inject({ method: 'PUT', url: `/dav/calendars/${ann.id}/${cal}/bastille.ics`, headers: { authorization: auth, 'content-type': 'text/calendar' }, payload: body });
    expect(put.statusCode).toBe(201);
    const items = await list(cal, '2026-07-01T00:00:00Z', '2029-01-01T00:00:00Z');
    expect(items.filter((i) => i.title === 'Bastille').map((i) => localOf(i.start))).toEqual(['2026-07-14T12:00', '2026-08-01T12:00', '2027-07-14T12:00', '2028-07-14T12:00']);
    const hourly = body.replace('FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=14;COUNT=3', 'FREQ=HOURLY;COUNT=3').replace('yearly-14-july', 'hourly');
    const refused = await t.app.inject({ method: 'PUT', url: `/dav/calendars/${ann.id}/${cal}/hourly.ics`, headers: { authorization: auth, 'content-type': 'text/calendar' }, payload: hourly });
    expect([refused.statusCode, refused.body.includes('FREQ=HOURLY')]).toEqual([403, true]);
  });

  it('when GraphQL creates a series with rule fields, then it reads back the fields, the rrule and the dates', async () => {
    const cal = await newCalendar();
    const res = await graphql(t.app, `mutation($input: CreateEventInput!) { createEvent(input: $input) { id recurrence { frequency interval byDay byMonth wkst rrule rdates exdates } } }`, {
      input: { calendarId: cal, title: 'g', start: '2026-11-26T12:00:00-05:00', duration: 'PT1H', timeZone: RFC_ZONE, recurrence: { frequency: 'yearly', byMonth: [11], byDay: ['4TH'], count: 3 } },
    }, ann);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.createEvent.recurrence).toEqual({ frequency: 'yearly', interval: 1, byDay: ['4TH'], byMonth: [11], wkst: null, rrule: 'FREQ=YEARLY;INTERVAL=1;COUNT=3;BYDAY=4TH;BYMONTH=11', rdates: [], exdates: [] });
    const bad = await graphql(t.app, `mutation($input: CreateEventInput!) { createEvent(input: $input) { id } }`, {
      input: { calendarId: cal, title: 'g', start: '2026-11-27T12:00:00-05:00', duration: 'PT1H', recurrence: { rrule: 'FREQ=YEARLY;BYDAY=60TH' } },
    }, ann);
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
