import { randomUUID } from 'node:crypto';
import { countQueries, createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../../helpers/app';
import { createMember, createRule, link, RUN, registerAdmin, subscribe } from './fixtures';

const ADMIN = `admin-graphql-${RUN}@example.com`;

const NEAREST_OF_USERS = `query($search: String!, $first: Int!, $after: DateTime) {
  users(search: $search, first: $first) { nodes { id nearestEvent(after: $after) { type date userId ruleId ruleName eventId } } }
}`;

describe('nearest events over GraphQL', () => {
  let t: TestApp;
  let admin: TestUser;
  let anniversary: string;
  let endReminder: string;

  beforeAll(async () => {
    t = await createTestApp({ ADMIN_EMAILS: ADMIN });
    admin = await registerAdmin(t.app, ADMIN);
    anniversary = await createRule(admin, { name: 'gql anniversary', eventType: 'inscription', offsetDays: 0, repeat: 'yearly' });
    endReminder = await createRule(admin, { name: 'gql 3 days before end', eventType: 'subscription_end', offsetDays: -3 });
  });
  afterAll(() => t.close());

  /** `n` members named with a fresh tag, each with both rules and a subscription. */
  async function members(n: number) {
    const tag = `batch-${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const m = await createMember(t.app, admin, { signedUpAt: `2024-0${1 + (i % 9)}-15T08:00:00Z`, name: `${tag} ${i}` });
      await link(admin, m.id, anniversary);
      await link(admin, m.id, endReminder);
      await subscribe(admin, m.id, { startsAt: '2025-01-01T00:00:00Z', endsAt: '2025-12-31T00:00:00Z' });
      ids.push(m.id);
    }
    return { tag, ids };
  }

  it('when User.nearestEvent is asked for 5 and for 20 users, then both cost the same number of SQL statements', async () => {
    const five = await members(5);
    const twenty = await members(20);
    const run = (tag: string, first: number) => countQueries(t.orm, () => graphql(t.app, NEAREST_OF_USERS, { search: tag, first, after: '2025-06-01T00:00:00Z' }, admin));
    const small = await run(five.tag, 5);
    const large = await run(twenty.tag, 20);
    expect(small.result.body.errors).toBeUndefined();
    expect(large.result.body.data!.users.nodes).toHaveLength(20);
    expect(large.result.body.data!.users.nodes.every((n: { nearestEvent: unknown }) => n.nearestEvent !== null)).toBe(true);
    expect(large.count).toBe(small.count);
    expect(small.count).toBeLessThanOrEqual(8);
  });

  it('when User.nearestEvent and upcomingEvents are asked, then they match REST', async () => {
    const m = await createMember(t.app, admin, { signedUpAt: '2024-02-29T12:00:00Z' });
    await link(admin, m.id, anniversary);
    const subscriptionId = await subscribe(admin, m.id, { startsAt: '2025-01-01T00:00:00Z', endsAt: '2025-02-20T00:00:00Z' });
    await link(admin, m.id, endReminder);
    const q = `query($id: UUID!) { user(id: $id) {
      nearestEvent(after: "2025-01-01T00:00:00Z") { type date ruleId eventId }
      upcomingEvents(from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", limit: 10) { type date }
    } }`;
    const res = await graphql(t.app, q, { id: m.id }, { ...admin, token: m.token });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.user.nearestEvent).toEqual({ type: 'subscription_end', date: '2025-02-17T00:00:00.000Z', ruleId: endReminder, eventId: subscriptionId });
    expect(res.body.data!.user.upcomingEvents).toEqual([
      { type: 'subscription_end', date: '2025-02-17T00:00:00.000Z' },
      { type: 'inscription', date: '2025-02-28T12:00:00.000Z' },
    ]);
    const rest = (await m.request({ method: 'GET', url: `/users/${m.id}/nearest-event?after=2025-01-01T00:00:00Z` })).json();
    expect(rest.date).toBe(res.body.data!.user.nearestEvent.date);
  });

  it('when the user has no rules, or is someone else, then nearestEvent is null', async () => {
    const u = await registerUser(t.app);
    const other = await createMember(t.app, admin, { signedUpAt: '2024-01-01T00:00:00Z' });
    await link(admin, other.id, anniversary);
    const q = `query($a: UUID!, $b: UUID!) { a: user(id: $a) { nearestEvent { type } } b: user(id: $b) { nearestEvent { type } upcomingEvents { type } } }`;
    const res = await graphql(t.app, q, { a: u.id, b: other.id }, u);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ a: { nearestEvent: null }, b: { nearestEvent: null, upcomingEvents: [] } });
  });

  it('when an admin manages rules, links and subscriptions through mutations, then they are applied; a user may not', async () => {
    const u = await registerUser(t.app);
    const create = `mutation($input: CreateEventRuleInput!) { createEventRule(input: $input) { id name eventType offsetDays repeat } }`;
    const input = { name: `gql rule ${RUN}`, eventType: 'meeting', offsetDays: -1 };
    expect((await graphql(t.app, create, { input }, u)).body.errors![0]!.extensions.code).toBe('FORBIDDEN');
    const rule = (await graphql(t.app, create, { input }, admin)).body.data!.createEventRule;
    expect(rule).toMatchObject({ ...input, repeat: 'none' });
    const bad = await graphql(t.app, create, { input: { ...input, name: 'x', offsetDays: 5000 } }, admin);
    expect(bad.body.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
    const unknown = await graphql(t.app, create, { input: { ...input, name: 'y', eventType: 'birthday' } }, admin);
    expect(unknown.body.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');

    const updated = await graphql(t.app, `mutation($id: UUID!) { updateEventRule(id: $id, input: { repeat: yearly }) { repeat } }`, { id: rule.id }, admin);
    expect(updated.body.data!.updateEventRule.repeat).toBe('yearly');
    const linked = await graphql(t.app, `mutation($u: UUID!, $r: UUID!) { linkEventRule(userId: $u, ruleId: $r) { id } }`, { u: u.id, r: rule.id }, u);
    expect(linked.body.data!.linkEventRule.id).toBe(rule.id);
    const mine = await graphql(t.app, `query($u: UUID!) { userEventRules(userId: $u) { nodes { id } } eventTypes { key } }`, { u: u.id }, u);
    expect(mine.body.data!.userEventRules.nodes).toEqual([{ id: rule.id }]);
    expect(mine.body.data!.eventTypes.map((x: { key: string }) => x.key)).toEqual(['inscription', 'subscription_start', 'subscription_end', 'meeting']);
    expect((await graphql(t.app, `mutation($u: UUID!, $r: UUID!) { unlinkEventRule(userId: $u, ruleId: $r) }`, { u: u.id, r: rule.id }, u)).body.data!.unlinkEventRule).toBe(true);

    const sub = await graphql(t.app, `mutation($u: UUID!) { createSubscription(userId: $u, input: { offer: "Gold", startsAt: "2025-01-01T00:00:00Z" }) { id endsAt } }`, { u: u.id }, admin);
    const subId = sub.body.data!.createSubscription.id;
    expect(sub.body.data!.createSubscription.endsAt).toBeNull();
    const ended = await graphql(t.app, `mutation($id: UUID!) { updateSubscription(id: $id, input: { endsAt: "2025-06-01T00:00:00Z" }) { offer endsAt } }`, { id: subId }, admin);
    expect(ended.body.data!.updateSubscription).toEqual({ offer: 'Gold', endsAt: '2025-06-01T00:00:00.000Z' });
    const reopened = await graphql(t.app, `mutation($id: UUID!) { updateSubscription(id: $id, input: { endsAt: null }) { endsAt } }`, { id: subId }, admin);
    expect(reopened.body.data!.updateSubscription.endsAt).toBeNull();
    const own = await graphql(t.app, `query($u: UUID!) { subscriptions(userId: $u) { nodes { id offer } } }`, { u: u.id }, u);
    expect(own.body.data!.subscriptions.nodes).toEqual([{ id: subId, offer: 'Gold' }]);
    const stranger = await registerUser(t.app);
    expect((await graphql(t.app, `query($u: UUID!) { subscriptions(userId: $u) { nodes { id } } }`, { u: u.id }, stranger)).body.errors![0]!.extensions.code).toBe('NOT_FOUND');
    expect((await graphql(t.app, `mutation($id: UUID!) { deleteSubscription(id: $id) }`, { id: subId }, u)).body.errors![0]!.extensions.code).toBe('FORBIDDEN');
    expect((await graphql(t.app, `mutation($id: UUID!) { deleteSubscription(id: $id) }`, { id: subId }, admin)).body.data!.deleteSubscription).toBe(true);
    expect((await graphql(t.app, `mutation($id: UUID!) { deleteEventRule(id: $id) }`, { id: rule.id }, admin)).body.data!.deleteEventRule).toBe(true);
  });
});
