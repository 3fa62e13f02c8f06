import { createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../helpers/app';

describe('GraphQL', () => {
  let t: TestApp;
  let ann: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    ann = await registerUser(t.app, { name: 'Ann', timeZone: 'Europe/Paris' });
    bob = await registerUser(t.app, { name: 'Bob' });
  });
  afterAll(() => t.close());

  const CREATE = `mutation($input: CreateEventInput!, $force: Boolean) { createEvent(input: $input, force: $force) { id title start end duration timeZone calendarId host { id name } calendar { id isPrimary } } }`;

  it('when a client registers and logs in through GraphQL, then the token works for me', async () => {
    const email = `gql-${Date.now()}@example.com`;
    const reg = await graphql(t.app, `mutation($input: RegisterInput!) { register(input: $input) { accessToken tokenType user { email role } } }`, { input: { name: 'G', email, password: 'secret123' } });
    expect(reg.body.data?.register).toMatchObject({ tokenType: 'Bearer', user: { email, role: 'user' } });
    const login = await graphql(t.app, `mutation { login(email: "${email}", password: "secret123") { accessToken expiresIn } }`);
    expect(login.body.data?.login.expiresIn).toBe(3600);
    const bad = await graphql(t.app, `mutation { login(email: "${email}", password: "wrong-one") { accessToken } }`);
    expect(bad.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('when an operation has no token, then it is UNAUTHENTICATED; the playground page and introspection need none', async () => {
    const res = await graphql(t.app, '{ me { id } }');
    expect(res.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    const page = await t.app.inject({ method: 'GET', url: '/graphql' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/graphql/assets/graphiql.js');
    expect(page.body).not.toMatch(/https?:\/\/(?!localhost)/);
    const asset = await t.app.inject({ method: 'GET', url: '/graphql/assets/graphiql.js' });
    expect(asset.statusCode).toBe(200);
    const intro = await graphql(t.app, '{ __schema { queryType { name } } }');
    expect(intro.body.data?.__schema.queryType.name).toBe('Query');
    const badToken = await t.app.inject({ method: 'POST', url: '/graphql', headers: { authorization: 'Bearer nope', 'content-type': 'application/json' }, payload: { query: '{ me { id } }' } });
    expect(badToken.statusCode).toBe(401);
    expect(badToken.json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('when a user books through GraphQL, then overlap is a CONFLICT with the conflicts, force keeps both, and the range lists them', async () => {
    const first = await graphql(t.app, CREATE, { input: { title: 'Planning', start: '2026-12-01T09:00:00+01:00', duration: 'PT1H' } }, ann);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data?.createEvent).toMatchObject({
      title: 'Planning', start: '2026-12-01T08:00:00.000Z', end: '2026-12-01T09:00:00.000Z', duration: 'PT1H', timeZone: 'Europe/Paris',
      calendarId: ann.primaryCalendarId, host: { id: ann.id, name: 'Ann' }, calendar: { id: ann.primaryCalendarId, isPrimary: true },
    });
    const clash = await graphql(t.app, CREATE, { input: { title: 'Clash', start: '2026-12-01T08:30:00Z', duration: 'PT1H' } }, ann);
    expect(clash.body.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', conflicts: [{ id: first.body.data?.createEvent.id, title: 'Planning' }] });
    const forced = await graphql(t.app, CREATE, { input: { title: 'Clash', start: '2026-12-01T08:30:00Z', duration: 'PT1H' }, force: true }, ann);
    expect(forced.body.errors).toBeUndefined();
    const listed = await graphql(t.app, `query($f: EventFilter!) { events(filter: $f, first: 1) { nodes { title } edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`,
      { f: { calendarId: ann.primaryCalendarId, from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' } }, ann);
    const conn = listed.body.data?.events;
    expect(conn.nodes).toEqual([{ title: 'Planning' }]);
    expect(conn.pageInfo).toEqual({ hasNextPage: true, endCursor: conn.edges[0].cursor });
    const next = await graphql(t.app, `query($f: EventFilter!, $after: String) { events(filter: $f, first: 5, after: $after) { nodes { title } pageInfo { hasNextPage } } }`,
      { f: { calendarId: ann.primaryCalendarId, from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' }, after: conn.pageInfo.endCursor }, ann);
    expect(next.body.data?.events).toEqual({ nodes: [{ title: 'Clash' }], pageInfo: { hasNextPage: false } });
  });

  it('when input is invalid, then the error is BAD_USER_INPUT naming the field, never INTERNAL_SERVER_ERROR', async () => {
    const long = await graphql(t.app, CREATE, { input: { title: 'x'.repeat(201), start: '2026-12-03T10:00:00Z', duration: 'PT1H' } }, ann);
    expect(long.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [expect.objectContaining({ path: '/title' })] });
    const noOffset = await graphql(t.app, CREATE, { input: { title: 'x', start: '2026-12-03T10:00:00', duration: 'PT1H' } }, ann);
    expect(noOffset.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    const twoDays = await graphql(t.app, CREATE, { input: { title: 'x', start: '2026-12-03T23:00:00+01:00', duration: 'PT2H' } }, ann);
    expect(twoDays.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [expect.objectContaining({ path: '/end' })] });
    const badId = await graphql(t.app, '{ event(id: "not-a-uuid") { id } }', {}, ann);
    expect(badId.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    const badTz = await graphql(t.app, 'mutation { createCalendar(input: { name: "x", timeZone: "Mars/Base" }) { id } }', {}, ann);
    expect(badTz.body.errors?.[0].extensions.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    const range = await graphql(t.app, `{ events(filter: { calendarId: "${ann.primaryCalendarId}", from: "2026-01-01T00:00:00Z", to: "2427-01-01T00:00:00Z" }) { nodes { id } } }`, {}, ann);
    expect(range.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT'); // longer than the 400-year bound
    const first = await graphql(t.app, `{ calendars(first: 501) { nodes { id } } }`, {}, ann);
    expect(first.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it("when a user asks for someone else's calendar or event, then it is NOT_FOUND", async () => {
    const created = await graphql(t.app, CREATE, { input: { title: 'Secret', start: '2026-12-05T10:00:00Z', duration: 'PT1H' } }, ann);
    const id = created.body.data?.createEvent.id;
    expect((await graphql(t.app, `{ event(id: "${id}") { id } }`, {}, bob)).body.errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect((await graphql(t.app, `{ calendar(id: "${ann.primaryCalendarId}") { id } }`, {}, bob)).body.errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect((await graphql(t.app, `mutation { deleteEvent(id: "${id}") }`, {}, bob)).body.errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect((await graphql(t.app, `mutation { updateEvent(id: "${id}", input: { title: "mine" }) { id } }`, {}, bob)).body.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it('when calendars and events are changed through mutations, then the changes read back', async () => {
    const cal = await graphql(t.app, 'mutation { createCalendar(input: { name: "Side", description: "d" }) { id timeZone description } }', {}, ann);
    const calId = cal.body.data?.createCalendar.id;
    expect(cal.body.data?.createCalendar).toMatchObject({ timeZone: 'Europe/Paris', description: 'd' });
    const upd = await graphql(t.app, `mutation { updateCalendar(id: "${calId}", input: { description: null }) { name description } }`, {}, ann);
    expect(upd.body.data?.updateCalendar).toEqual({ name: 'Side', description: null });
    const ev = await graphql(t.app, CREATE, { input: { calendarId: calId, title: 'Move', start: '2026-12-06T10:00:00Z', duration: 'PT30M' } }, ann);
    const evId = ev.body.data?.createEvent.id;
    const moved = await graphql(t.app, `mutation { updateEvent(id: "${evId}", input: { start: "2026-12-06T14:00:00Z" }) { start end duration } }`, {}, ann);
    expect(moved.body.data?.updateEvent).toEqual({ start: '2026-12-06T14:00:00.000Z', end: '2026-12-06T14:30:00.000Z', duration: 'PT30M' });
    expect((await graphql(t.app, `mutation { deleteEvent(id: "${evId}") }`, {}, ann)).body.data?.deleteEvent).toBe(true);
    expect((await graphql(t.app, `mutation { deleteCalendar(id: "${calId}") }`, {}, ann)).body.data?.deleteCalendar).toBe(true);
    const primary = await graphql(t.app, `mutation { deleteCalendar(id: "${ann.primaryCalendarId}") }`, {}, ann);
    expect(primary.body.errors?.[0].extensions.code).toBe('CONFLICT');
  });

  it('when the query is not GraphQL, then it is a 400 GRAPHQL_PARSE_FAILED, never a 5xx', async () => {
    for (const query of ['{ me { id ', '}}}', 'mutation {', '"unterminated']) {
      const res = await graphql(t.app, query, {}, ann);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    }
    const notJson = await t.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${ann.token}` }, payload: '{"query": ' });
    expect(notJson.statusCode).toBe(400);
    const noQuery = await t.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${ann.token}` }, payload: { variables: {} } });
    expect(noQuery.statusCode).toBe(400);
    const badVars = await graphql(t.app, 'query($id: UUID!) { user(id: $id) { id } }', { id: 42 }, ann);
    expect(badVars.status).toBe(400);
  });

  it('when a query has too many aliases or tokens, then it is rejected before it runs', async () => {
    const huge = `{ me { ${Array.from({ length: 1100 }, () => 'id name').join(' ')} } }`;
    const tokens = await graphql(t.app, huge, {}, ann);
    expect(tokens.status).toBe(400);
    expect(tokens.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/more that 2000 tokens/), extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(tokens.body.data).toBeUndefined();
    const aliases = `{ ${Array.from({ length: 30 }, (_, i) => `m${i}: me { id }`).join(' ')} }`;
    const aliased = await graphql(t.app, aliases, {}, ann);
    expect(aliased.body.errors?.[0].message).toMatch(/alias/i);
    expect(aliased.body.data).toBeUndefined();
  });
});
