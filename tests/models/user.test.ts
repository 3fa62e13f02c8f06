import { randomUUID } from 'node:crypto';
import { closeModels, configureModels, getUserById } from '../../src/models/user';
import { occurrenceOf } from '../../src/modules/milestones/nearest-event';
import { createTestApp, graphql, type TestApp, type TestUser } from '../helpers/app';
import { createMember, createRule, link, meeting, RUN, registerAdmin, subscribe } from '../modules/milestones/fixtures';

const ADMIN = `admin-models-${RUN}@example.com`;
const DAY = 86_400_000;

describe('library API: getUserById(id).getNearestEvent()', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ ADMIN_EMAILS: ADMIN });
    admin = await registerAdmin(t.app, ADMIN);
    configureModels({ orm: t.orm });
  });
  afterAll(async () => {
    await closeModels();
    await t.close();
  });

  it('when a user signed up on 2024-02-29 has a subscription ending next month and a meeting next week, then REST, GraphQL and the library agree on its nearest event', async () => {
    const anniversary = await createRule(admin, { name: 'README joining anniversary', eventType: 'inscription', offsetDays: 0, repeat: 'yearly' });
    const endReminder = await createRule(admin, { name: 'README 3 days before the end of the subscription offer', eventType: 'subscription_end', offsetDays: -3 });
    const meetingReminder = await createRule(admin, { name: 'README 1 day before each meeting', eventType: 'meeting', offsetDays: -1 });
    const m = await createMember(t.app, admin, { signedUpAt: '2024-02-29T09:00:00Z', timeZone: 'Europe/Paris' });
    for (const rule of [anniversary, endReminder, meetingReminder]) await link(admin, m.id, rule);
    const now = Date.now();
    const meetingStart = new Date(Math.ceil((now + 7 * DAY) / 3_600_000) * 3_600_000);
    const endsAt = new Date(now + 31 * DAY);
    await subscribe(admin, m.id, { startsAt: new Date(now - 300 * DAY).toISOString(), endsAt: endsAt.toISOString() });
    const meetingId = await meeting(m, meetingStart.toISOString(), 'PT30M');

    const user = await getUserById(m.id);
    const fromLibrary = user.getNearestEvent();
    const after = new Date().toISOString();
    const fromRest = (await m.request({ method: 'GET', url: `/users/${m.id}/nearest-event?after=${after}` })).json();
    const fromGraphql = (await graphql(t.app, `query($id: UUID!, $after: DateTime) { user(id: $id) { nearestEvent(after: $after) { type date userId ruleId ruleName eventId } } }`, { id: m.id, after }, { ...admin, token: m.token })).body.data!.user.nearestEvent;

    const candidates = [
      { date: occurrenceOf(meetingStart, 'Europe/Paris', -1), type: 'meeting' },
      { date: occurrenceOf(endsAt, 'Europe/Paris', -3), type: 'subscription_end' },
      { date: [0, 1, 2, 3, 4].map((k) => occurrenceOf(new Date('2024-02-29T09:00:00Z'), 'Europe/Paris', 0, k)).find((d) => d.getTime() >= Date.parse(after))!, type: 'inscription' },
    ].sort((a, b) => a.date.getTime() - b.date.getTime());
    expect(fromLibrary).toMatchObject({ type: candidates[0]!.type, date: candidates[0]!.date, userId: m.id });
    if (fromLibrary!.type === 'meeting') expect(fromLibrary!.eventId).toBe(meetingId);
    expect(fromRest).toEqual({ ...fromLibrary, date: fromLibrary!.date.toISOString() });
    expect(fromGraphql).toEqual({ eventId: null, ...fromRest });
    expect(user).toMatchObject({ id: m.id, timeZone: 'Europe/Paris', signedUpAt: new Date('2024-02-29T09:00:00Z') });
    expect(user.getUpcomingEvents(new Date(), new Date(now + 40 * DAY)).map((e) => e.type)).toEqual(expect.arrayContaining(['meeting', 'subscription_end']));
  });

  it('when getNearestEvent is given an instant, then it answers synchronously for that instant, inclusively', async () => {
    const rule = await createRule(admin, { name: 'library 2 days after inscription', eventType: 'inscription', offsetDays: 2 });
    const signedUpAt = new Date(Date.now() - 1 * DAY);
    const m = await createMember(t.app, admin, { signedUpAt: signedUpAt.toISOString() });
    await link(admin, m.id, rule);
    const user = await getUserById(m.id);
    const due = new Date(signedUpAt.getTime() + 2 * DAY);
    expect(user.getNearestEvent(due)).toMatchObject({ type: 'inscription', date: due, ruleId: rule });
    expect(user.getNearestEvent(new Date(due.getTime() + 1))).toBeNull();
    expect(() => user.getNearestEvent(new Date(Date.now() + 400 * DAY))).toThrow(RangeError);
  });

  it('when the user has no rules, then getNearestEvent is null; an unknown id is a 404 AppError', async () => {
    const m = await createMember(t.app, admin, { signedUpAt: '2024-01-01T00:00:00Z' });
    expect((await getUserById(m.id)).getNearestEvent()).toBeNull();
    await expect(getUserById(randomUUID())).rejects.toMatchObject({ kind: 'not_found' });
    await expect(getUserById('nope')).rejects.toMatchObject({ kind: 'bad_request' });
  });
});
