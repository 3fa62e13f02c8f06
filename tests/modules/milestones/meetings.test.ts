import { createTestApp, type TestApp, type TestUser } from '../../helpers/app';
import { createMember, createRule, link, type Member, RUN, registerAdmin } from './fixtures';

const ADMIN = `admin-meetings-${RUN}@example.com`;

describe('nearest event from meetings: attended, recurring, moved and cancelled', () => {
  let t: TestApp;
  let admin: TestUser;
  let dayBefore: string;
  beforeAll(async () => {
    t = await createTestApp({ ADMIN_EMAILS: ADMIN });
    admin = await registerAdmin(t.app, ADMIN);
    dayBefore = await createRule(admin, { name: '1 day before each meeting (series)', eventType: 'meeting', offsetDays: -1 });
  });
  afterAll(() => t.close());

  async function member(): Promise<Member> {
    const m = await createMember(t.app, admin, { signedUpAt: '2024-01-01T00:00:00Z', timeZone: 'Europe/Paris' });
    await link(admin, m.id, dayBefore);
    return m;
  }
  const nearest = (m: Member, after: string) => m.request({ method: 'GET', url: `/users/${m.id}/nearest-event?after=${after}` });

  it('when a user is invited to a weekly series, then its next occurrence (not a cancelled one, a moved one where it moved) drives the nearest event', async () => {
    const host = await member();
    const guest = await member();
    const series = (await host.request({ method: 'POST', url: '/events', payload: { title: 'Weekly', start: '2027-03-01T10:00:00+01:00', duration: 'PT1H', recurrence: { frequency: 'weekly' }, participants: [{ userId: guest.id }] } })).json();
    // guest attends (participant, not host): the day before the 8 March occurrence
    let res = await nearest(guest, '2027-03-02T00:00:00Z');
    expect(res.json()).toMatchObject({ type: 'meeting', date: '2027-03-07T09:00:00.000Z', eventId: `${series.id}_20270308T090000Z`, userId: guest.id });
    // cancel 8 March: the next is 15 March
    expect((await host.request({ method: 'DELETE', url: `/events/${series.id}_20270308T090000Z` })).statusCode).toBe(204);
    res = await nearest(guest, '2027-03-02T00:00:00Z');
    expect(res.json()).toMatchObject({ date: '2027-03-14T09:00:00.000Z', eventId: `${series.id}_20270315T090000Z` });
    // move 15 March to 12 March: the reminder moves with it
    expect((await host.request({ method: 'PATCH', url: `/events/${series.id}_20270315T090000Z`, payload: { start: '2027-03-12T10:00:00+01:00' } })).statusCode).toBe(200);
    res = await nearest(guest, '2027-03-02T00:00:00Z');
    expect(res.json()).toMatchObject({ date: '2027-03-11T09:00:00.000Z', eventId: `${series.id}_20270315T090000Z` });
    // across the DST change (28 March 2027), one day before 10:00 local is still 10:00 local
    res = await nearest(host, '2027-03-29T00:00:00Z');
    expect(res.json()).toMatchObject({ date: '2027-04-04T08:00:00.000Z' });
    // the upcoming list follows the same occurrences
    const upcoming = (await guest.request({ method: 'GET', url: `/users/${guest.id}/upcoming-events?from=2027-03-02T00:00:00Z&to=2027-03-25T00:00:00Z` })).json();
    expect(upcoming.items.map((i: { date: string }) => i.date)).toEqual(['2027-03-11T09:00:00.000Z', '2027-03-21T09:00:00.000Z']);
  });

  it('when a user is removed from an event, then it no longer triggers its reminders', async () => {
    const host = await member();
    const guest = await member();
    const ev = (await host.request({ method: 'POST', url: '/events', payload: { title: 'Once', start: '2027-05-10T10:00:00Z', duration: 'PT1H', participants: [{ userId: guest.id }] } })).json();
    expect((await nearest(guest, '2027-05-01T00:00:00Z')).json()).toMatchObject({ eventId: ev.id });
    await host.request({ method: 'DELETE', url: `/events/${ev.id}/participants/${guest.id}` });
    expect((await nearest(guest, '2027-05-01T00:00:00Z')).statusCode).toBe(404);
  });
});
