import { SignJWT } from 'jose';
import net from 'node:net';
import { createTestApp, graphql, registerUser, TEST_SECRET, type TestApp, type TestUser } from '../helpers/app';

/**
 * Issue 12 §3: hostile input gets a clear 4xx problem (REST) or error code (GraphQL), never a 5xx,
 * and loses no data.
 */
describe('hostile input', () => {
  let t: TestApp;
  let u: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    u = await registerUser(t.app, { name: 'Nul Tester' });
  });
  afterAll(() => t.close());

  const NUL = 'must not contain the NUL character (U+0000)';
  const expectProblem = (res: { statusCode: number; headers: Record<string, unknown> }, status: number) => {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  };
  const signed = (sub: string) => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(TEST_SECRET));

  describe('a NUL character', () => {
    it('when a body field holds U+0000, then it is a 400 naming the field and nothing is stored', async () => {
      const cal = (await u.request({ method: 'POST', url: '/calendars', payload: { name: 'Kept' } })).json();
      const res = await u.request({ method: 'PATCH', url: `/calendars/${cal.id}`, payload: { name: 'a\u0000b', description: 'fine' } });
      expectProblem(res, 400);
      expect(res.json().errors).toEqual([{ path: '/name', message: NUL }]);
      expect((await u.request({ method: 'GET', url: `/calendars/${cal.id}` })).json()).toMatchObject({ name: 'Kept', description: null });
    });

    it('when a nested body field or an object key holds U+0000, then each is named', async () => {
      const res = await u.request({ method: 'POST', url: `/calendars/${u.primaryCalendarId}/entries`, payload: { title: 'ok', start: '2027-01-01T10:00:00Z', duration: 'PT1H', description: '\u0000', 'x\u0000': 1 } });
      expectProblem(res, 400);
      expect(res.json().errors).toEqual(expect.arrayContaining([{ path: '/description', message: NUL }, { path: '/x\u0000', message: NUL }]));
    });

    it('when a query parameter holds U+0000, then it is a 400 naming the parameter', async () => {
      const res = await u.request({ method: 'GET', url: '/users?search=%00' });
      expectProblem(res, 400);
      expect(res.json().errors).toEqual([{ path: '/query/search', message: NUL }]);
    });

    it('when a GraphQL argument literal or variable holds U+0000, then it is BAD_USER_INPUT naming the field', async () => {
      const literal = await graphql(t.app, 'mutation { createCalendar(input: { name: "a\\u0000b" }) { id } }', {}, u);
      expect(literal.status).toBe(400);
      expect(literal.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ path: '/input/name', message: NUL }] });
      const variable = await graphql(t.app, 'mutation($i: CreateCalendarInput!) { createCalendar(input: $i) { id } }', { i: { name: 'ok', description: 'x\u0000' } }, u);
      expect(variable.status).toBe(400);
      expect(variable.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ path: '/variables/i/description', message: NUL }] });
      const search = await graphql(t.app, 'query($s: String) { users(search: $s) { nodes { id } } }', { s: '\u0000' }, u);
      expect(search.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      const calendars = await graphql(t.app, '{ calendars { nodes { name } } }', {}, u);
      expect(calendars.body.data?.calendars.nodes.map((c: { name: string }) => c.name)).not.toContain('ok');
    });
  });

  describe('tokens', () => {
    it.each([['not a UUID', 'admin'], ['an empty subject', ''], ['a SQL-looking subject', "1' or '1'='1"]])('when a correctly signed token has %s as sub, then REST is 401 problem+json and GraphQL UNAUTHENTICATED', async (_case, sub) => {
      const token = await signed(sub);
      const rest = await t.app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${token}` } });
      expectProblem(rest, 401);
      const gql = await t.app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: { query: '{ me { id } }' } });
      expect(gql.statusCode).toBe(401);
      expect(gql.json().errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });

    it('when a correctly signed token names a deleted user, then REST is 401 and GraphQL UNAUTHENTICATED', async () => {
      const gone = await registerUser(t.app);
      expect((await gone.request({ method: 'DELETE', url: `/users/${gone.id}` })).statusCode).toBe(204);
      expectProblem(await gone.request({ method: 'GET', url: '/me' }), 401);
      const gql = await graphql(t.app, '{ me { id } }', {}, gone);
      expect(gql.status).toBe(401);
      expect(gql.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('errors raised before a route runs', () => {
    it('when a path parameter is over-long, then it is a 400 problem, as any malformed id', async () => {
      expectProblem(await u.request({ method: 'GET', url: `/events/${'a'.repeat(500)}` }), 400);
      expectProblem(await u.request({ method: 'GET', url: `/calendars/${'b'.repeat(101)}/entries?start=2027-01-01T00:00:00Z&end=2027-01-02T00:00:00Z` }), 400);
    });

    it('when the URL has bad percent-encoding, then it is a 400 problem', async () => {
      expectProblem(await u.request({ method: 'GET', url: '/events/%E0%A4%A' }), 400);
    });

    it('when a body is malformed JSON, empty, or not JSON, then it is a 400 or 415 problem', async () => {
      const post = (payload: string, contentType: string) => u.request({ method: 'POST', url: '/calendars', payload, headers: { 'content-type': contentType } });
      expectProblem(await post('{"name": "x",', 'application/json'), 400);
      expectProblem(await post('', 'application/json'), 400);
      expectProblem(await post('{"__proto__": {"x": 1}, "name": "p"}', 'application/json'), 400);
      expectProblem(await post('<name>x</name>', 'application/xml'), 415);
      expectProblem(await post('name=x', 'text/plain'), 415);
    });

    it('when the HTTP parser rejects a request (oversized header, malformed request), then the answer is problem+json', async () => {
      const port = await listen(t);
      const raw = (text: string) => new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.end(text));
        let out = '';
        socket.on('data', (c) => (out += c.toString()));
        socket.on('close', () => resolve(out));
        socket.on('error', reject);
      });
      const big = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(big).toMatch(/^HTTP\/1\.1 431 /);
      expect(big).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 431, title: 'Request Header Fields Too Large' });
      const garbage = await raw('NOT HTTP AT ALL\r\n\r\n');
      expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400 });
    });
  });

  describe('unknown query parameters', () => {
    it('when a list gets a filter it does not have, then it is a 400 naming it instead of an unfiltered list', async () => {
      const res = await u.request({ method: 'GET', url: '/events?updatedMin=2027-01-01T00:00:00Z' });
      expectProblem(res, 400);
      expect(res.json().errors).toEqual([{ path: '/query/updatedMin', message: 'unknown query parameter' }]);
    });

    it('when a route without query parameters gets one, then it is a 400 too; declared ones still work', async () => {
      expectProblem(await u.request({ method: 'GET', url: '/me?fields=id' }), 400);
      expectProblem(await u.request({ method: 'GET', url: `/calendars/${u.primaryCalendarId}?x=1` }), 400);
      expect((await u.request({ method: 'GET', url: '/events?role=host&limit=5' })).statusCode).toBe(200);
      expect((await u.request({ method: 'GET', url: '/me' })).statusCode).toBe(200);
    });
  });
});

/** Makes the test app listen on a free loopback port (once) and returns the port. */
async function listen(t: TestApp): Promise<number> {
  if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
  return (t.app.server.address() as net.AddressInfo).port;
}
