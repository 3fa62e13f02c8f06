import ICAL from 'ical.js';
import type { InjectOptions } from 'fastify';
import { createTestApp, registerUser, type TestApp, type TestUser } from '../../helpers/app';
import { expandWithIcalJs } from '../../helpers/ical';

/**
 * The .ics export to the letter of RFC 5545 (issue 12 §5), read back by an independent parser
 * (ical.js): CRLF after END:VCALENDAR, calendar properties before the first component, ORGANIZER and
 * ATTENDEEs, and the occurrences it expands equal to what the listing shows.
 */
describe('iCalendar export', () => {
  let t: TestApp;
  let host: TestUser;
  let guest: TestUser;
  let maybe: TestUser;
  let cal: string;
  let meeting: string;
  let series: string;
  const window = { from: '2027-03-01T00:00:00Z', to: '2027-06-01T00:00:00Z' };

  beforeAll(async () => {
    t = await createTestApp();
    host = await registerUser(t.app, { name: 'Host Person', timeZone: 'Europe/Paris' });
    guest = await registerUser(t.app, { name: 'Guest, Required' });
    maybe = await registerUser(t.app, { name: 'Maybe Optional' });
    cal = (await host.request({ method: 'POST', url: '/calendars', payload: { name: 'Team', timeZone: 'Europe/Paris' } })).json().id;
    const post = async (payload: Record<string, unknown>) => {
      const res = await host.request({ method: 'POST', url: '/events', payload: { calendarId: cal, ...payload } });
      if (res.statusCode !== 201) throw new Error(res.body);
      return res.json().id as string;
    };
    meeting = await post({ title: 'Kick-off', start: '2027-03-10T10:00:00+01:00', duration: 'PT1H', participants: [{ userId: guest.id, role: 'required' }, { userId: maybe.id, role: 'optional' }] });
    expect((await maybe.request({ method: 'PATCH', url: `/events/${meeting}/participants/${maybe.id}`, payload: { response: 'tentative' } })).statusCode).toBe(200);
    expect((await guest.request({ method: 'PATCH', url: `/events/${meeting}/participants/${guest.id}`, payload: { response: 'declined' } })).statusCode).toBe(200);
    // A weekly series across the spring DST change, with a cancelled and a moved occurrence.
    series = await post({ title: 'Weekly', start: '2027-03-01T09:00:00+01:00', duration: 'PT30M', timeZone: 'Europe/Paris', recurrence: { frequency: 'weekly' }, participants: [{ userId: guest.id, role: 'optional' }] });
    expect((await host.request({ method: 'DELETE', url: `/calendars/${cal}/entries/${series}_20270315T080000Z` })).statusCode).toBe(204);
    expect((await host.request({ method: 'PATCH', url: `/calendars/${cal}/entries/${series}_20270405T070000Z`, payload: { start: '2027-04-06T11:00:00+02:00', title: 'Weekly (moved)' } })).statusCode).toBe(200);
  });
  afterAll(() => t.close());

  const exportText = async () => {
    const res = await host.request({ method: 'GET', url: `/calendars/${cal}/calendar.ics` });
    expect(res.statusCode).toBe(200);
    return res.body;
  };

  it('when the calendar is exported, then the file ends with CRLF and its properties come before the first component', async () => {
    const text = await exportText();
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.split('\r\n').every((line) => !line.includes('\n'))).toBe(true);
    const lines = text.split('\r\n');
    const firstComponent = lines.findIndex((l, i) => i > 0 && l.startsWith('BEGIN:'));
    const calendarProps = lines.filter((l) => /^(X-WR-|NAME|PRODID|VERSION)/.test(l)).map((l) => lines.indexOf(l));
    expect(calendarProps.length).toBeGreaterThanOrEqual(4);
    for (const i of calendarProps) expect(i).toBeLessThan(firstComponent);
    expect(lines).toContain('X-WR-TIMEZONE:Europe/Paris');
    const root = new ICAL.Component(ICAL.parse(text));
    expect(root.getFirstPropertyValue('x-wr-timezone')).toBe('Europe/Paris');
  });

  it('when an event has participants, then the host is ORGANIZER and each participant an ATTENDEE with ROLE and PARTSTAT from its response', async () => {
    const root = new ICAL.Component(ICAL.parse(await exportText()));
    const vevent = root.getAllSubcomponents('vevent').find((v) => v.getFirstPropertyValue('uid') === meeting)!;
    const organizer = vevent.getFirstProperty('organizer')!;
    expect(String(organizer.getFirstValue()).toLowerCase()).toBe(`mailto:${host.email}`);
    expect(organizer.getParameter('cn')).toBe('Host Person');
    const attendees = vevent.getAllProperties('attendee').map((p) => ({
      to: String(p.getFirstValue()).toLowerCase(),
      cn: p.getParameter('cn'),
      role: p.getParameter('role'),
      partstat: p.getParameter('partstat'),
    }));
    // The host first; invitees made in one request are in no particular order among themselves.
    expect(attendees[0]).toEqual({ to: `mailto:${host.email}`, cn: 'Host Person', role: 'REQ-PARTICIPANT', partstat: 'ACCEPTED' });
    expect(attendees.slice(1).sort((a, b) => String(a.role).localeCompare(String(b.role)))).toEqual([
      { to: `mailto:${maybe.email}`, cn: 'Maybe Optional', role: 'OPT-PARTICIPANT', partstat: 'TENTATIVE' },
      { to: `mailto:${guest.email}`, cn: 'Guest, Required', role: 'REQ-PARTICIPANT', partstat: 'DECLINED' },
    ]);
    // The moved occurrence of the series carries the series' participants too.
    const moved = root.getAllSubcomponents('vevent').find((v) => v.getFirstPropertyValue('uid') === series && v.hasProperty('recurrence-id'))!;
    expect(moved.getAllProperties('attendee').map((p) => p.getParameter('role'))).toEqual(['REQ-PARTICIPANT', 'OPT-PARTICIPANT']);
    expect(moved.getAllProperties('attendee').map((p) => p.getParameter('partstat'))).toEqual(['ACCEPTED', 'NEEDS-ACTION']);
  });

  it('when ical.js expands the export, then its occurrences are those the listing shows for the same window', async () => {
    const expanded = expandWithIcalJs(await exportText(), { from: new Date(window.from), to: new Date(window.to) });
    const fromIcs = [...expanded.values()].flat().map((o) => `${o.start.toISOString()} ${o.end.toISOString()} ${o.summary}`).sort();
    const listing = (await host.request({ method: 'GET', url: `/calendars/${cal}/entries?start=${window.from}&end=${window.to}&limit=500` })).json();
    const listed = listing.items.map((e: { start: string; end: string; title: string }) => `${e.start} ${e.end} ${e.title}`).sort();
    expect(listed.length).toBe(14); // 14 Mondays from March to May, one cancelled, plus the kick-off
    expect(fromIcs).toEqual(listed);
    expect(listed).toContain('2027-04-06T09:00:00.000Z 2027-04-06T09:30:00.000Z Weekly (moved)');
  });

  it('when an entry changes, then SEQUENCE grows on each change of its timing, rule or status, and not for its title', async () => {
    const vevent = async (id: string, recurrenceId?: string) => {
      const root = new ICAL.Component(ICAL.parse((await host.request({ method: 'GET', url: `/calendars/${cal}/calendar.ics` })).body) as unknown[]);
      return root.getAllSubcomponents('vevent').find((v) => v.getFirstPropertyValue('uid') === id && String(v.getFirstPropertyValue('recurrence-id') ?? '') === (recurrenceId ?? ''))!;
    };
    const sequence = async (id: string, recurrenceId?: string) => (await vevent(id, recurrenceId)).getFirstPropertyValue('sequence');
    const patch = async (id: string, payload: Record<string, unknown>) => expect((await host.request({ method: 'PATCH', url: `/calendars/${cal}/entries/${id}`, payload })).statusCode).toBe(200);
    const id = (await host.request({ method: 'POST', url: `/calendars/${cal}/entries`, payload: { title: 'Revised', start: '2027-05-03T10:00:00+02:00', duration: 'PT1H' } })).json().id as string;
    expect(await sequence(id)).toBe(0);
    await patch(id, { title: 'Revised title' });
    expect(await sequence(id)).toBe(0);
    await patch(id, { start: '2027-05-03T11:00:00+02:00', end: '2027-05-03T12:00:00+02:00' });
    expect(await sequence(id)).toBe(1);
    await patch(id, { status: 'tentative' });
    expect(await sequence(id)).toBe(2);
    // A series: cancelling one occurrence adds an EXDATE, a revision of the series.
    const weekly = (await host.request({ method: 'POST', url: `/calendars/${cal}/entries`, payload: { title: 'Sequenced', start: '2027-05-04T10:00:00+02:00', duration: 'PT1H', recurrence: { frequency: 'weekly', count: 3 } } })).json().id as string;
    expect(await sequence(weekly)).toBe(0);
    expect((await host.request({ method: 'DELETE', url: `/calendars/${cal}/entries/${weekly}_20270511T080000Z` })).statusCode).toBe(204);
    expect(await sequence(weekly)).toBe(1);
  });

  it('when CalDAV GETs the event, then it has the same ORGANIZER and ATTENDEEs and ends with CRLF', async () => {
    const pw = (await host.request({ method: 'POST', url: '/me/app-passwords', payload: { name: 'test' } })).json().password;
    const res = await t.app.inject({ method: 'GET', url: `/dav/calendars/${host.id}/${cal}/${meeting}.ics`, headers: { authorization: `Basic ${Buffer.from(`${host.email}:${pw}`).toString('base64')}` } } as InjectOptions);
    expect(res.statusCode).toBe(200);
    expect(res.body.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const vevent = new ICAL.Component(ICAL.parse(res.body)).getFirstSubcomponent('vevent')!;
    expect(String(vevent.getFirstPropertyValue('organizer')).toLowerCase()).toBe(`mailto:${host.email}`);
    expect(vevent.getAllProperties('attendee').map((p) => `${p.getParameter('role')} ${p.getParameter('partstat')}`).sort()).toEqual(['OPT-PARTICIPANT TENTATIVE', 'REQ-PARTICIPANT ACCEPTED', 'REQ-PARTICIPANT DECLINED']);
  });
});
