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
