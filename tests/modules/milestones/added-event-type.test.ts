import { closeModels, configureModels, getUserById } from '../../../src/models/user';
import { Calendar } from '../../../src/modules/calendars/calendar.entity';
import type { EventTypeDefinition } from '../../../src/modules/milestones/event-types/event-type';
import { EVENT_TYPES } from '../../../src/modules/milestones/event-types/registry';
import { createTestApp, graphql, type TestApp, type TestUser } from '../../helpers/app';
import { createMember, createRule, link, RUN, registerAdmin } from './fixtures';

/**
 * A new event type, defined here as a file in src/modules/milestones/event-types/ would define it:
 * the creation of each of the user's calendars, batched over users in one statement.
 */
const calendarCreatedEventType: EventTypeDefinition = {
  key: 'calendar_created',
  label: 'Calendar created',
  description: 'When each of the user\'s calendars was created',
  async loadAnchors(ctx, userIds) {
    const calendars = await ctx.em.find(Calendar, { owner: { $in: [...userIds] } });
    const out = new Map<string, { date: Date; eventId: string }[]>();
    for (const c of calendars) out.set(c.owner.id, [...(out.get(c.owner.id) ?? []), { date: c.createdAt, eventId: c.id }]);
    return out;
  },
};

const ADMIN = `admin-added-type-${RUN}@example.com`;

describe('adding an event type', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ ADMIN_EMAILS: ADMIN }, { eventTypes: [...EVENT_TYPES, calendarCreatedEventType] });
    admin = await registerAdmin(t.app, ADMIN);
    configureModels({ orm: t.orm, eventTypes: [...EVENT_TYPES, calendarCreatedEventType] });
  });
  afterAll(async () => {
    await closeModels();
    await t.close();
  });

  it('when a type is registered, then it is listed, rules may use it, and it drives nearest events over REST, GraphQL and the library', async () => {
    const types = (await admin.request({ method: 'GET', url: '/event-types' })).json().items;
    expect(types.at(-1)).toEqual({ key: 'calendar_created', label: 'Calendar created', description: expect.any(String) });

    const rule = await createRule(admin, { name: '7 days after a calendar is created', eventType: 'calendar_created', offsetDays: 7 });
    const m = await createMember(t.app, admin, { signedUpAt: '2020-01-01T00:00:00Z' });
    await link(admin, m.id, rule);
    const calendar = (await m.request({ method: 'POST', url: '/calendars', payload: { name: 'Work' } })).json();

    // The primary calendar (created with the user, just before) triggers earlier: start at this one's event.
    const after = new Date(Date.parse(calendar.createdAt) + 7 * 86_400_000).toISOString();
    const rest = await m.request({ method: 'GET', url: `/users/${m.id}/nearest-event?after=${after}` });
    expect(rest.statusCode).toBe(200);
    const expected = after;
    expect(rest.json()).toEqual({ type: 'calendar_created', date: expected, userId: m.id, ruleId: rule, ruleName: `7 days after a calendar is created ${RUN}`, eventId: calendar.id });

    const gql = await graphql(t.app, `query($id: UUID!, $after: DateTime) { user(id: $id) { nearestEvent(after: $after) { type date eventId } } }`, { id: m.id, after }, { ...admin, token: m.token });
    expect(gql.body.data!.user.nearestEvent).toEqual({ type: 'calendar_created', date: expected, eventId: calendar.id });

    expect((await getUserById(m.id)).getNearestEvent(new Date(after))).toMatchObject({ type: 'calendar_created', eventId: calendar.id });
  });

  it('when an app does not register the type, then rules cannot use it', async () => {
    const plain = await createTestApp({ ADMIN_EMAILS: ADMIN });
    try {
      const res = await plain.app.inject({ method: 'POST', url: '/event-rules', headers: { authorization: `Bearer ${admin.token}` }, payload: { name: `unregistered ${RUN}`, eventType: 'calendar_created', offsetDays: 1 } });
      expect(res.statusCode).toBe(400);
    } finally {
      await plain.close();
    }
  });
});
