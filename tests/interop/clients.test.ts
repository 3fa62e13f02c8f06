// Real CalDAV clients against the built service: the npm client tsdav in-process, and the Debian
// python3-caldav library through tests/interop/caldav_client.py. Each discovers the calendar from the
// server root with an email and an app password, lists a month, creates a weekly series, moves one
// occurrence and deletes another, sees a REST change arrive through sync-collection and its own writes
// in the REST listing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createDAVClient, type DAVCalendar } from 'tsdav';
import { createTestApp } from '../helpers/app';
import { type ApiProcess, processTestsUnavailable, startApi } from '../infra/api-process';

const PYTHON = '/usr/bin/python3';
const unavailable = processTestsUnavailable();
if (unavailable) console.log(`CalDAV client tests skipped: ${unavailable}`);
const maybe = unavailable ? describe.skip : describe;
const hasPythonCaldav = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import caldav, requests'], { stdio: 'ignore' }).status === 0;
if (!hasPythonCaldav) console.log('python3-caldav is not installed (apt-get install python3-caldav; .ci/run does it): its test fails');

interface Account {
  email: string;
  appPassword: string;
  token: string;
  calendarId: string;
}

async function json(res: Response): Promise<any> {
  const body = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${body}`);
  return body ? JSON.parse(body) : null;
}

maybe('real CalDAV clients', () => {
  let api: ApiProcess;

  beforeAll(async () => {
    await (await createTestApp()).close(); // applies migrations
    api = await startApi();
  }, 60_000);
  afterAll(() => api?.stop());

  /** A new user with an app password and a REST entry in December 2026. */
  async function account(): Promise<Account> {
    const email = `dav-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
    const reg = await json(await fetch(`${api.base}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Dav User', email, password: 'correct horse', timeZone: 'Europe/Paris' }) }));
    const auth = { authorization: `Bearer ${reg.accessToken}`, 'content-type': 'application/json' };
    const calendars = await json(await fetch(`${api.base}/calendars`, { headers: auth }));
    const calendarId = calendars.items[0].id;
    await json(await fetch(`${api.base}/calendars/${calendarId}/entries`, { method: 'POST', headers: auth, body: JSON.stringify({ title: 'Kick-off', start: '2026-12-02T10:00:00+01:00', duration: 'PT1H' }) }));
    const ap = await json(await fetch(`${api.base}/me/app-passwords`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'interop' }) }));
    return { email, appPassword: ap.password, token: reg.accessToken, calendarId };
  }

  it('when python3-caldav runs the scenario, then every step holds', async () => {
    expect(hasPythonCaldav).toBe(true);
    const a = await account();
    const run = spawnSync(PYTHON, [path.join(__dirname, 'caldav_client.py'), api.base, a.email, a.appPassword, a.token, a.calendarId], { encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0) throw new Error(`python3-caldav failed (${run.status}):\n${run.stdout}\n${run.stderr}\n${api.output().slice(-3000)}`);
    expect(run.stdout).toContain('python-caldav: all steps passed');
  }, 150_000);

  it('when tsdav runs the scenario, then every step holds', async () => {
    const a = await account();
    const rest = (p: string, init: RequestInit = {}) => fetch(`${api.base}${p}`, { ...init, headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' } });
    const entries = async (from: string, to: string) => (await json(await rest(`/calendars/${a.calendarId}/entries?start=${from}&end=${to}&limit=500`))).items as { id: string; title: string; start: string }[];

    // Discovery from the base URL (tsdav follows /.well-known/caldav).
    const client = await createDAVClient({ serverUrl: api.base, credentials: { username: a.email, password: a.appPassword }, authMethod: 'Basic', defaultAccountType: 'caldav' });
    const calendars = await client.fetchCalendars();
    const calendar = calendars.find((c) => c.url.includes(a.calendarId)) as DAVCalendar;
    expect(calendar).toBeDefined();
    expect(calendar.components).toEqual(['VEVENT']);

    // A month.
    const month = await client.fetchCalendarObjects({ calendar, timeRange: { start: '2026-12-01T00:00:00Z', end: '2027-01-01T00:00:00Z' } });
    expect(month.map((o) => /SUMMARY:(.*)/.exec(o.data)?.[1]?.trim())).toEqual(['Kick-off']);

    // A weekly series, then one occurrence moved and another deleted.
    const series = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//interop//tsdav//EN', 'BEGIN:VEVENT', 'UID:tsdav-weekly', 'DTSTAMP:20261201T000000Z',
      'DTSTART;TZID=Europe/Paris:20261208T140000', 'DTEND;TZID=Europe/Paris:20261208T150000', 'SUMMARY:tsdav weekly', 'RRULE:FREQ=WEEKLY;COUNT=4', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    const created = await client.createCalendarObject({ calendar, filename: 'tsdav-weekly.ics', iCalString: series });
    expect(created.status).toBe(201);
    const [object] = await client.calendarMultiGet({ url: calendar.url, props: { 'd:getetag': {}, 'c:calendar-data': {} }, objectUrls: [new URL('tsdav-weekly.ics', calendar.url).pathname], depth: '1' });
    const etag = object!.props!.getetag as string;
    const changed = series
      .replace('RRULE:FREQ=WEEKLY;COUNT=4', 'RRULE:FREQ=WEEKLY;COUNT=4\r\nEXDATE;TZID=Europe/Paris:20261222T140000')
      .replace('END:VCALENDAR', ['BEGIN:VEVENT', 'UID:tsdav-weekly', 'DTSTAMP:20261201T000000Z', 'RECURRENCE-ID;TZID=Europe/Paris:20261215T140000',
        'DTSTART;TZID=Europe/Paris:20261216T090000', 'DTEND;TZID=Europe/Paris:20261216T100000', 'SUMMARY:tsdav weekly (moved)', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n'));
    const stale = await client.updateCalendarObject({ calendarObject: { url: new URL('tsdav-weekly.ics', calendar.url).href, data: changed, etag: '"stale"' } });
    expect(stale.status).toBe(412);
    const updated = await client.updateCalendarObject({ calendarObject: { url: new URL('tsdav-weekly.ics', calendar.url).href, data: changed, etag } });
    expect(updated.status).toBe(204);

    // Its own writes in REST.
    const listed = (await entries('2026-12-01T00:00:00Z', '2027-01-31T00:00:00Z')).filter((i) => i.title.startsWith('tsdav'));
    expect(listed.map((i) => [i.start, i.title])).toEqual([
      ['2026-12-08T13:00:00.000Z', 'tsdav weekly'],
      ['2026-12-16T08:00:00.000Z', 'tsdav weekly (moved)'],
      ['2026-12-29T13:00:00.000Z', 'tsdav weekly'],
    ]);

    // A REST change through sync-collection.
    const initial = await client.syncCollection({ url: calendar.url, props: { 'd:getetag': {} }, syncLevel: 1, syncToken: '' });
    const token = initial.find((r) => r.raw?.multistatus?.syncToken)?.raw?.multistatus?.syncToken ?? (await client.fetchCalendars()).find((c) => c.url === calendar.url)!.syncToken!;
    const restEntry = await json(await rest(`/calendars/${a.calendarId}/entries`, { method: 'POST', body: JSON.stringify({ title: 'From REST', start: '2026-12-10T10:00:00+01:00', duration: 'PT30M' }) }));
    const delta = await client.syncCollection({ url: calendar.url, props: { 'd:getetag': {} }, syncLevel: 1, syncToken: String(token) });
    expect(delta.filter((r) => r.href).map((r) => [r.href!.split('/').pop(), r.status])).toEqual([[`${restEntry.id}.ics`, 207]]);

    // Deleting through CalDAV.
    const deleted = await client.deleteCalendarObject({ calendarObject: { url: new URL('tsdav-weekly.ics', calendar.url).href, etag: '' } });
    expect(deleted.status).toBe(204);
    expect((await entries('2026-12-01T00:00:00Z', '2027-01-31T00:00:00Z')).filter((i) => i.title.startsWith('tsdav'))).toEqual([]);
  }, 120_000);
});
