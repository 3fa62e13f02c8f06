import { randomUUID } from 'node:crypto';
import { createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../../helpers/app';

describe('users', () => {
  let t: TestApp;
  let admin: TestUser;
  let ann: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ ADMIN_EMAILS: 'root@example.com' });
    admin = await registerUser(t.app, { name: 'Root', email: 'root@example.com' });
    ann = await registerUser(t.app, { name: 'Ann' });
  });
  afterAll(() => t.close());

  it('when an admin creates a user, then it is 201 with a primary calendar and a settable sign-up date; a user cannot', async () => {
    const email = `new-${randomUUID()}@example.com`;
    const res = await admin.request({ method: 'POST', url: '/users', payload: { name: 'New', email, password: 'secret123', timeZone: 'Asia/Tokyo', signedUpAt: '2024-02-29T10:00:00+09:00' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: 'New', email, timeZone: 'Asia/Tokyo', signedUpAt: '2024-02-29T01:00:00.000Z', role: 'user' });
    const login = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: 'secret123' } });
    const cals = await t.app.inject({ method: 'GET', url: '/calendars', headers: { authorization: `Bearer ${login.json().accessToken}` } });
    expect(cals.json().items).toEqual([expect.objectContaining({ isPrimary: true, timeZone: 'Asia/Tokyo' })]);
    expect((await ann.request({ method: 'POST', url: '/users', payload: { name: 'X', email: `x-${randomUUID()}@example.com` } })).statusCode).toBe(403);
    expect((await admin.request({ method: 'POST', url: '/users', payload: { name: 'Dup', email: email.toUpperCase() } })).statusCode).toBe(409);
  });

  it('when users are searched, then name or email matches case-insensitively, paged by cursor', async () => {
    const tag = randomUUID().slice(0, 8);
    for (const n of ['Zed', 'Zoe', 'Zara']) await registerUser(t.app, { name: `${n} ${tag}` });
    const first = (await ann.request({ method: 'GET', url: `/users?search=${tag.toUpperCase()}&limit=2` })).json();
    expect(first.items).toHaveLength(2);
    const second = (await ann.request({ method: 'GET', url: `/users?search=${tag}&limit=2&cursor=${first.nextCursor}` })).json();
    expect([...first.items, ...second.items].map((u: { name: string }) => u.name.split(' ')[0]).sort()).toEqual(['Zara', 'Zed', 'Zoe']);
    expect(second.nextCursor).toBeNull();
    expect((await ann.request({ method: 'GET', url: '/users?search=%25' })).statusCode).toBe(200);
  });

  it('when a user updates itself, then it may change name and time zone but not its role; others cannot touch it', async () => {
    const u = await registerUser(t.app);
    const ok = await u.request({ method: 'PATCH', url: `/users/${u.id}`, payload: { name: 'Renamed', timeZone: 'Europe/Berlin' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name: 'Renamed', timeZone: 'Europe/Berlin', role: 'user' });
    expect((await u.request({ method: 'PATCH', url: `/users/${u.id}`, payload: { role: 'admin' } })).statusCode).toBe(403);
    expect((await ann.request({ method: 'PATCH', url: `/users/${u.id}`, payload: { name: 'Hacked' } })).statusCode).toBe(404);
    expect((await ann.request({ method: 'DELETE', url: `/users/${u.id}` })).statusCode).toBe(404);
    const promoted = await admin.request({ method: 'PATCH', url: `/users/${u.id}`, payload: { role: 'admin' } });
    expect(promoted.json().role).toBe('admin');
    const put = await u.request({ method: 'PUT', url: `/users/${u.id}`, payload: { name: 'Put', email: u.email, timeZone: 'UTC' } });
    expect(put.json()).toMatchObject({ name: 'Put', timeZone: 'UTC' });
    expect((await u.request({ method: 'PATCH', url: `/users/${u.id}`, payload: { email: ann.email.toUpperCase() } })).statusCode).toBe(409);
  });

  it('when a user is deleted, then its calendars, hosted events and participations go with it', async () => {
    const host = await registerUser(t.app);
    const guest = await registerUser(t.app);
    const hosted = (await host.request({ method: 'POST', url: '/events', payload: { title: 'Hosted', start: '2026-12-01T10:00:00Z', duration: 'PT1H', participants: [{ userId: guest.id, role: 'optional' }] } })).json();
    const invited = (await ann.request({ method: 'POST', url: '/events', payload: { title: 'Invited', start: '2026-12-01T12:00:00Z', duration: 'PT1H', participants: [{ userId: host.id }] } })).json();
    expect((await admin.request({ method: 'DELETE', url: `/users/${host.id}` })).statusCode).toBe(204);
    expect((await admin.request({ method: 'GET', url: `/users/${host.id}` })).statusCode).toBe(404);
    expect((await guest.request({ method: 'GET', url: `/events/${hosted.id}` })).statusCode).toBe(404);
    const left = (await ann.request({ method: 'GET', url: `/events/${invited.id}` })).json();
    expect(left.participants.map((p: { userId: string }) => p.userId)).toEqual([ann.id]);
  });

  it('when users are managed through GraphQL, then the same rules apply', async () => {
    const email = `g-${randomUUID()}@example.com`;
    const created = await graphql(t.app, 'mutation($i: CreateUserInput!) { createUser(input: $i) { id email role } }', { i: { name: 'G', email } }, admin);
    expect(created.body.data?.createUser).toMatchObject({ email, role: 'user' });
    const id = created.body.data?.createUser.id;
    const denied = await graphql(t.app, 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { name: 'G', email: `h-${randomUUID()}@example.com` } }, ann);
    expect(denied.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const found = await graphql(t.app, `{ user(id: "${id}") { name } users(search: "${email}") { nodes { id } } }`, {}, ann);
    expect(found.body.data).toEqual({ user: { name: 'G' }, users: { nodes: [{ id }] } });
    const role = await graphql(t.app, `mutation { updateUser(id: "${ann.id}", input: { role: admin }) { role } }`, {}, ann);
    expect(role.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await graphql(t.app, `mutation { deleteUser(id: "${id}") }`, {}, admin)).body.data?.deleteUser).toBe(true);
    expect((await graphql(t.app, `{ user(id: "${id}") { name } }`, {}, ann)).body.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });
});
