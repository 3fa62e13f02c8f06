import { randomUUID } from 'node:crypto';
import { createTestApp, registerUser, type TestApp } from '../../helpers/app';

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ADMIN_EMAILS: 'Boss@Example.com' });
  });
  afterAll(() => t.close());

  const register = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/auth/register', payload });

  it('when a user registers, then it gets 201 with the user, a bearer token and no password material', async () => {
    const email = `Ann-${randomUUID()}@Example.com`;
    const res = await register({ name: 'Ann', email, password: 'secret123', timeZone: 'Europe/Paris' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600, user: { name: 'Ann', email: email.toLowerCase(), timeZone: 'Europe/Paris', role: 'user' } });
    expect(body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(JSON.stringify(body)).not.toMatch(/password|argon/i);
    const me = await t.app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${body.accessToken}` } });
    expect(me.json()).toMatchObject({ id: body.user.id, email: email.toLowerCase() });
  });

  it('when the email is registered again in another case, then it is a 409 problem', async () => {
    const email = `dup-${randomUUID()}@example.com`;
    expect((await register({ name: 'A', email, password: 'secret123' })).statusCode).toBe(201);
    const res = await register({ name: 'B', email: email.toUpperCase(), password: 'secret123' });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 409, title: 'Conflict' });
  });

  it('when the same email registers twice at once, then exactly one wins', async () => {
    const email = `race-${randomUUID()}@example.com`;
    const codes = (await Promise.all([1, 2, 3].map(() => register({ name: 'R', email, password: 'secret123' })))).map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409]);
  });

  it('when registration input is invalid, then each problem is named in errors', async () => {
    const res = await register({ name: '', email: 'not-an-email', password: 'short', timeZone: 'Mars/Olympus', extra: 1 });
    expect(res.statusCode).toBe(400);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/name', '/email', '/password', '/timeZone', '/extra']));
  });

  it('when an email is in ADMIN_EMAILS (any case), then the user is an admin', async () => {
    const res = await register({ name: 'Boss', email: 'boss@example.com', password: 'secret123' });
    expect(res.statusCode).toBe(201);
    expect(res.json().user.role).toBe('admin');
  });

  it('when logging in with the right password, then a token is issued; a wrong one or unknown email gives the same 401', async () => {
    const u = await registerUser(t.app);
    const ok = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: u.email.toUpperCase(), password: 'correct horse' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600, accessToken: expect.any(String) });
    const wrong = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: u.email, password: 'wrong horse' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: `nobody-${randomUUID()}@example.com`, password: 'x' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it.each([
    ['no header', undefined],
    ['not bearer', 'Basic abc'],
    ['garbage token', 'Bearer abc.def.ghi'],
    ['token signed with another key', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.8Ia1Xw0-s-WGmH0Sa0y6m4ZzE2lvRZq3T6Ohd5p1d2A'],
  ])('when a protected endpoint gets %s, then it is 401 problem+json', async (_case, authorization) => {
    const res = await t.app.inject({ method: 'GET', url: '/me', headers: authorization ? { authorization } : {} });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('when the user of a token is deleted, then the token stops working', async () => {
    const u = await registerUser(t.app);
    expect((await u.request({ method: 'DELETE', url: `/users/${u.id}` })).statusCode).toBe(204);
    expect((await u.request({ method: 'GET', url: '/me' })).statusCode).toBe(401);
  });
});

describe('auth rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_AUTH: '3' });
  });
  afterAll(() => t.close());

  it('when a client exceeds RATE_LIMIT_AUTH logins a minute, then it gets 429 problem+json', async () => {
    const login = () => t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'x@example.com', password: 'nope-nope' } });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await login()).statusCode);
    expect(codes).toEqual([401, 401, 401, 429]);
    const limited = await login();
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.json()).toMatchObject({ status: 429 });
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  const restLogin = (email: string, remoteAddress: string) => t.app.inject({ method: 'POST', url: '/auth/login', remoteAddress, payload: { email, password: 'nope-nope' } });
  const gqlLogin = async (email: string, remoteAddress: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/graphql', remoteAddress, headers: { 'content-type': 'application/json' }, payload: { query: 'mutation($e: String!) { login(email: $e, password: "nope-nope") { accessToken } }', variables: { e: email } } });
    return res.json().errors[0].extensions.code as string;
  };

  it('when a client alternates REST and GraphQL logins, then both draw on one budget', async () => {
    const ip = '10.0.0.1';
    expect((await restLogin(`a-${randomUUID()}@example.com`, ip)).statusCode).toBe(401);
    expect(await gqlLogin(`b-${randomUUID()}@example.com`, ip)).toBe('UNAUTHENTICATED');
    expect((await restLogin(`c-${randomUUID()}@example.com`, ip)).statusCode).toBe(401);
    expect(await gqlLogin(`d-${randomUUID()}@example.com`, ip)).toBe('TOO_MANY_REQUESTS');
    expect((await restLogin(`e-${randomUUID()}@example.com`, ip)).statusCode).toBe(429);
  });

  it('when GraphQL refuses an attempt over the budget, then it answers HTTP 429 with Retry-After, as REST does', async () => {
    const ip = '10.0.3.1';
    for (let i = 0; i < 3; i++) expect(await gqlLogin(`g${i}-${randomUUID()}@example.com`, ip)).toBe('UNAUTHENTICATED');
    const refused = await t.app.inject({ method: 'POST', url: '/graphql', remoteAddress: ip, headers: { 'content-type': 'application/json' }, payload: { query: 'mutation { login(email: "x@example.com", password: "nope-nope") { accessToken } }' } });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json().errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
  });

  it('when CalDAV Basic guesses and logins alternate, then they draw on one budget per client and per account', async () => {
    const basic = (account: string) => `Basic ${Buffer.from(`${account}:wrong-wrong-wrong`).toString('base64')}`;
    const dav = (remoteAddress: string, account = `dav-${randomUUID()}@example.com`) => t.app.inject({ method: 'PROPFIND' as 'GET', url: '/dav/', remoteAddress, headers: { authorization: basic(account) } });
    // Per client: two CalDAV guesses and a login from one address spend its three attempts.
    expect((await dav('10.0.4.1')).statusCode).toBe(401);
    expect((await restLogin(`h-${randomUUID()}@example.com`, '10.0.4.1')).statusCode).toBe(401);
    expect((await dav('10.0.4.1')).statusCode).toBe(401);
    const refused = await dav('10.0.4.1');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await restLogin(`i-${randomUUID()}@example.com`, '10.0.4.1')).statusCode).toBe(429);
    // Per account: the account guessed at through CalDAV from other addresses is refused at login too.
    const account = `victim-${randomUUID()}@example.com`;
    expect((await dav('10.0.5.1', account)).statusCode).toBe(401);
    expect((await dav('10.0.5.2', account)).statusCode).toBe(401);
    expect((await restLogin(account, '10.0.5.3')).statusCode).toBe(401);
    expect((await restLogin(account, '10.0.5.4')).statusCode).toBe(429);
  });

  it('when one account is guessed at from many addresses, then the account budget stops it; others are not affected', async () => {
    const victim = `victim-${randomUUID()}@example.com`;
    expect((await restLogin(victim, '10.0.1.1')).statusCode).toBe(401);
    expect(await gqlLogin(victim.toUpperCase(), '10.0.1.2')).toBe('UNAUTHENTICATED');
    expect((await restLogin(victim, '10.0.1.3')).statusCode).toBe(401);
    expect((await restLogin(victim, '10.0.1.4')).statusCode).toBe(429);
    expect(await gqlLogin(victim, '10.0.1.5')).toBe('TOO_MANY_REQUESTS');
    expect((await restLogin(`other-${randomUUID()}@example.com`, '10.0.1.6')).statusCode).toBe(401);
  });

  it('when a client registers through REST and GraphQL, then registrations count against the same budget', async () => {
    const ip = '10.0.2.1';
    const register = (email: string) => t.app.inject({ method: 'POST', url: '/auth/register', remoteAddress: ip, payload: { name: 'R', email, password: 'correct horse' } });
    expect((await register(`r1-${randomUUID()}@example.com`)).statusCode).toBe(201);
    const viaGraphql = await t.app.inject({ method: 'POST', url: '/graphql', remoteAddress: ip, headers: { 'content-type': 'application/json' }, payload: { query: 'mutation($i: RegisterInput!) { register(input: $i) { accessToken } }', variables: { i: { name: 'R', email: `r2-${randomUUID()}@example.com`, password: 'correct horse' } } } });
    expect(viaGraphql.json().data.register.accessToken).toEqual(expect.any(String));
    expect(await gqlLogin(`r3-${randomUUID()}@example.com`, ip)).toBe('UNAUTHENTICATED');
    expect((await register(`r4-${randomUUID()}@example.com`)).statusCode).toBe(429);
  });
});
