import { countQueries, createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../../helpers/app';

/**
 * No n+1: the statements one request sends do not grow with the page size. Each of `size` events has
 * the host and two guests as participants.
 */
describe('SQL statements per request', () => {
  let t: TestApp;
  let host: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    host = await registerUser(t.app);
    const guests = [await registerUser(t.app), await registerUser(t.app)];
    for (let i = 0; i < 100; i++) {
      const day = String(1 + Math.floor(i / 10)).padStart(2, '0');
      const hour = String(8 + (i % 10)).padStart(2, '0');
      const res = await host.request({
        method: 'POST',
        url: '/events',
        payload: { title: `E${i}`, start: `2027-03-${day}T${hour}:00:00Z`, duration: 'PT30M', participants: guests.map((g) => ({ userId: g.id, role: 'optional' })) },
      });
      if (res.statusCode !== 201) throw new Error(res.body);
    }
  }, 120_000);
  afterAll(() => t.close());

  async function rest(limit: number) {
    const { result, count } = await countQueries(t.orm, () => host.request({ method: 'GET', url: `/events?include=participants&limit=${limit}` }));
    const body = result.json();
    expect(body.items).toHaveLength(limit);
    expect(body.items.every((e: { participants: unknown[] }) => e.participants.length === 3)).toBe(true);
    return count;
  }

  async function gql(first: number) {
    const { result, count } = await countQueries(t.orm, () =>
      graphql(t.app, `query($first: Int!) { events(first: $first) { nodes { title host { name } participants { response user { name email } } } } }`, { first }, host),
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data?.events.nodes).toHaveLength(first);
    expect(result.body.data?.events.nodes[0].participants[2].user.email).toMatch(/@example\.com$/);
    return count;
  }

  it('when REST lists 5 or 100 events with participants, then it sends the same number of statements', async () => {
    const [five, hundred] = [await rest(5), await rest(100)];
    expect(hundred).toBe(five);
    expect(five).toBeLessThanOrEqual(3); // auth user, the page, its participants
  });

  it('when GraphQL lists 5 or 100 events with participants and their users, then it sends the same number of statements', async () => {
    const [five, hundred] = [await gql(5), await gql(100)];
    expect(hundred).toBe(five);
    expect(five).toBeLessThanOrEqual(5); // auth user, the page, hosts, participants, their users
  });
});

/**
 * No n+1 across users: `User.events` for every user of a list goes through one DataLoader batch, so
 * an admin reading the events of 2 or of 8 users sends the same statements. Each user hosts a single
 * event and a weekly series and is invited to its neighbour's single event.
 */
describe('SQL statements for User.events over a list of users', () => {
  let t: TestApp;
  let admin: TestUser;
  const tag = `batch-${Date.now()}`;
  beforeAll(async () => {
    const adminEmail = `admin-${Date.now()}@example.com`; // not found by the search for the tag
    t = await createTestApp({ ADMIN_EMAILS: adminEmail });
    admin = await registerUser(t.app, { email: adminEmail });
    const users: TestUser[] = [];
    for (let i = 0; i < 8; i++) users.push(await registerUser(t.app, { name: `${tag} user ${i}` }));
    for (const [i, u] of users.entries()) {
      const guest = users[(i + 1) % users.length]!;
      const single = await u.request({ method: 'POST', url: '/events', payload: { title: `single ${i}`, start: `2027-04-0${1 + (i % 7)}T09:00:00Z`, duration: 'PT1H', participants: [{ userId: guest.id, role: 'optional' }] } });
      const series = await u.request({ method: 'POST', url: '/events', payload: { title: `weekly ${i}`, start: '2027-04-01T15:00:00Z', duration: 'PT30M', recurrence: { frequency: 'weekly' } } });
      if (single.statusCode !== 201 || series.statusCode !== 201) throw new Error(single.body + series.body);
    }
  }, 120_000);
  afterAll(() => t.close());

  async function eventsOfUsers(first: number) {
    const query = `query($first: Int!, $search: String!) { users(first: $first, search: $search) {
      nodes { name events(filter: { from: "2027-04-01T00:00:00Z", to: "2027-04-15T00:00:00Z" }) { nodes { title seriesId participants { user { name } } } } } } }`;
    const { result, count } = await countQueries(t.orm, () => graphql(t.app, query, { first, search: tag }, admin));
    expect(result.body.errors).toBeUndefined();
    const nodes = result.body.data?.users.nodes as { name: string; events: { nodes: { title: string }[] } }[];
    expect(nodes).toHaveLength(first);
    // Each user: its own single, the single of the user before it, and two occurrences of its weekly series.
    for (const n of nodes) {
      const i = Number(n.name.split(' ').pop());
      const titles = n.events.nodes.map((e) => e.title).sort();
      expect(titles).toEqual([`single ${(i + 7) % 8}`, `single ${i}`, `weekly ${i}`, `weekly ${i}`].sort());
    }
    return count;
  }

  it('when an admin lists the events of 2 or of 8 users with their participants, then it sends the same number of statements', async () => {
    const [two, eight] = [await eventsOfUsers(2), await eventsOfUsers(8)];
    expect(eight).toBe(two);
    // auth user, users page, singles, series, overrides, participants, their users
    expect(two).toBeLessThanOrEqual(7);
  });
});
