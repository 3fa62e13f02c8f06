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
    expect(five).toBeLessThanOrEqual(2); // (the caller is remembered) the page with its participants
  });

  it('when GraphQL lists 5 or 100 events with participants and their users, then it sends the same number of statements', async () => {
    const [five, hundred] = [await gql(5), await gql(100)];
    expect(hundred).toBe(five);
    expect(five).toBeLessThanOrEqual(2); // (the caller is remembered) the page with participants and users
  });

  it('when the page selects participants through edges and fragments, then it is still one read and the same data', async () => {
    const query = `query($first: Int!) { events(first: $first) { edges { node { ...E } } pageInfo { hasNextPage endCursor } } }
      fragment E on Event { title host { email } ... on Event { participants { isHost user { id name } } } }`;
    const { result, count } = await countQueries(t.orm, () => graphql(t.app, query, { first: 100 }, host));
    expect(result.body.errors).toBeUndefined();
    const edges = result.body.data?.events.edges as { node: { host: { email: string }; participants: { isHost: boolean; user: { id: string; name: string } }[] } }[];
    expect(edges).toHaveLength(100);
    expect(edges.every((e) => e.node.host.email === host.email && e.node.participants[0]!.isHost && e.node.participants[0]!.user.id === host.id)).toBe(true);
    expect(new Set(edges.flatMap((e) => e.node.participants.slice(1).map((p) => p.user.id))).size).toBe(2);
    expect(count).toBeLessThanOrEqual(2);
  });

  it('when a month is asked for with participants and users, then it is still at most two statements', async () => {
    const query = `query($first: Int!) { events(first: $first, filter: { from: "2027-03-01T00:00:00Z", to: "2027-04-01T00:00:00Z" }) {
      nodes { title participants { isHost user { name } } } pageInfo { hasNextPage endCursor } } }`;
    const counts: number[] = [];
    for (const first of [5, 100]) {
      const { result, count } = await countQueries(t.orm, () => graphql(t.app, query, { first }, host));
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data?.events.nodes).toHaveLength(first);
      expect(result.body.data?.events.nodes.every((n: { participants: unknown[] }) => n.participants.length === 3)).toBe(true);
      counts.push(count);
    }
    expect(counts[1]).toBe(counts[0]);
    expect(counts[0]).toBeLessThanOrEqual(2);
  });

  it('when participants are selected without their users, then the users are not read and the answer is the same', async () => {
    const plain = `query { events(first: 3) { nodes { participants { userId role response isHost } } } }`;
    const withUsers = `query { events(first: 3) { nodes { participants { userId role response isHost user { id } } } } }`;
    const [a, b] = [await graphql(t.app, plain, {}, host), await graphql(t.app, withUsers, {}, host)];
    expect(a.body.errors).toBeUndefined();
    const strip = (nodes: { participants: { user?: unknown }[] }[]) => nodes.map((n) => n.participants.map(({ user: _u, ...p }) => p));
    expect(strip(a.body.data?.events.nodes)).toEqual(strip(b.body.data?.events.nodes));
    expect(b.body.data?.events.nodes[0].participants.map((p: { userId: string; user: { id: string } }) => p.user.id === p.userId)).toEqual([true, true, true]);
  });
});

/**
 * A calendar listing is cached as the bytes sent with their ETag: a repeated read and a conditional
 * read that matches cost no SQL statement at all (the caller is remembered, the page comes from the
 * cache, the ETag from the generations of its tags); a write makes both fresh again.
 */
describe('SQL statements of cached calendar listings', () => {
  let t: TestApp;
  let owner: TestUser;
  const url = () => `/calendars/${owner.primaryCalendarId}/entries?start=2027-05-01T00:00:00Z&end=2027-06-01T00:00:00Z`;
  beforeAll(async () => {
    t = await createTestApp();
    owner = await registerUser(t.app);
    for (const day of ['03', '04']) {
      const res = await owner.request({ method: 'POST', url: `/calendars/${owner.primaryCalendarId}/entries`, payload: { title: `May ${day}`, start: `2027-05-${day}T09:00:00Z`, duration: 'PT1H' } });
      if (res.statusCode !== 201) throw new Error(res.body);
    }
  }, 60_000);
  afterAll(() => t.close());

  it('when a listing is read again, then it is the same bytes and ETag without a SQL statement', async () => {
    const first = await owner.request({ method: 'GET', url: url() });
    expect(first.statusCode).toBe(200);
    const { result, count } = await countQueries(t.orm, () => owner.request({ method: 'GET', url: url() }));
    expect(count).toBe(0);
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe(first.body);
    expect(result.headers.etag).toBe(first.headers.etag);
    expect(result.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(result.json().items.map((e: { title: string }) => e.title)).toEqual(['May 03', 'May 04']);
  });

  it('when If-None-Match matches, then the answer is a 304 without a SQL statement', async () => {
    const { headers } = await owner.request({ method: 'GET', url: url() });
    const { result, count } = await countQueries(t.orm, () => owner.request({ method: 'GET', url: url(), headers: { 'if-none-match': String(headers.etag) } }));
    expect(result.statusCode).toBe(304);
    expect(result.body).toBe('');
    expect(result.headers.etag).toBe(headers.etag);
    expect(count).toBe(0);
  });

  it('when an entry is added, then the old ETag no longer matches and the listing shows it, read by ONE statement', async () => {
    const before = await owner.request({ method: 'GET', url: url() });
    const created = await owner.request({ method: 'POST', url: `/calendars/${owner.primaryCalendarId}/entries`, payload: { title: 'May 05', start: '2027-05-05T09:00:00Z', duration: 'PT1H' } });
    expect(created.statusCode).toBe(201);
    // Ownership, the page, the series and the sync point of nextSyncToken: one statement.
    const { result: after, count } = await countQueries(t.orm, () => owner.request({ method: 'GET', url: url(), headers: { 'if-none-match': String(before.headers.etag) } }));
    expect(count).toBe(1);
    expect(after.json().nextSyncToken).toEqual(expect.any(String));
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.json().items.map((e: { title: string }) => e.title)).toEqual(['May 03', 'May 04', 'May 05']);
  });

  it("when another user asks for the calendar with the owner's ETag, then it is a 404", async () => {
    const { headers } = await owner.request({ method: 'GET', url: url() });
    const other = await registerUser(t.app);
    const res = await other.request({ method: 'GET', url: url(), headers: { 'if-none-match': String(headers.etag) } });
    expect(res.statusCode).toBe(404);
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
    // (the caller is remembered) the users page, then their events with participants and users
    expect(two).toBeLessThanOrEqual(2);
  });
});
