import { randomUUID } from 'node:crypto';
import type { Actor } from '../../../src/infra/actor';
import { ActorCache } from '../../../src/modules/auth/actor-cache';
import { countQueries, createTestApp, graphql, registerUser, type TestApp } from '../../helpers/app';

describe('ActorCache', () => {
  const ann: Actor = { userId: 'ann', role: 'user' };

  it('when a caller is asked for again within the TTL, then it is not loaded again; after it, it is', async () => {
    let now = 0;
    const cache = new ActorCache(5_000, 100, () => now);
    const load = jest.fn(async () => ann);
    expect(await cache.get('ann', load)).toEqual(ann);
    now = 4_999;
    expect(await cache.get('ann', load)).toEqual(ann);
    expect(load).toHaveBeenCalledTimes(1);
    now = 5_000;
    await cache.get('ann', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('when many requests of one caller arrive at once, then they share one load', async () => {
    const cache = new ActorCache();
    const load = jest.fn(() => new Promise<Actor>((resolve) => setTimeout(() => resolve(ann), 10)));
    const actors = await Promise.all(Array.from({ length: 20 }, () => cache.get('ann', load)));
    expect(actors.every((a) => a === ann)).toBe(true);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('when a user is unknown, then null is returned and not remembered', async () => {
    const cache = new ActorCache();
    const load = jest.fn(async () => null);
    expect(await cache.get('gone', load)).toBeNull();
    expect(await cache.get('gone', load)).toBeNull();
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('when a caller is evicted while its row is being read, then that read is not kept', async () => {
    const cache = new ActorCache();
    let finish!: (a: Actor) => void;
    const slow = cache.get('ann', () => new Promise<Actor>((resolve) => (finish = resolve)));
    cache.evict('ann');
    finish({ userId: 'ann', role: 'admin' }); // read before the change
    expect(await slow).toEqual({ userId: 'ann', role: 'admin' });
    const fresh = jest.fn(async () => ann);
    expect(await cache.get('ann', fresh)).toEqual(ann);
    expect(fresh).toHaveBeenCalledTimes(1);
  });

  it('when it is full, then the oldest caller makes room', async () => {
    const cache = new ActorCache(60_000, 2);
    for (const id of ['a', 'b', 'c']) await cache.get(id, async () => ({ userId: id, role: 'user' }));
    const reload = jest.fn(async () => ({ userId: 'a', role: 'user' as const }));
    await cache.get('a', reload);
    expect(reload).toHaveBeenCalledTimes(1);
  });
});

describe('authenticated requests', () => {
  let t: TestApp;
  const adminEmail = `boss-${randomUUID()}@example.com`;
  beforeAll(async () => {
    t = await createTestApp({ ADMIN_EMAILS: adminEmail });
  });
  afterAll(() => t.close());

  it('when a caller sends several requests, then its user row is read once, not per request', async () => {
    const ann = await registerUser(t.app);
    const statements = async () => (await countQueries(t.orm, () => ann.request({ method: 'GET', url: '/calendars' }))).sql;
    await statements();
    const again = await statements();
    expect(again.some((sql) => /from "users"/.test(sql))).toBe(false);
    const gql = await countQueries(t.orm, () => graphql(t.app, '{ calendars { nodes { id } } }', {}, ann));
    expect(gql.sql.some((sql) => /from "users"/.test(sql))).toBe(false);
  });

  it('when an admin changes a user’s role, then its next request has the new role', async () => {
    const admin = await registerUser(t.app, { email: adminEmail });
    const bob = await registerUser(t.app);
    expect((await bob.request({ method: 'POST', url: '/users', payload: { name: 'X', email: `x-${randomUUID()}@example.com`, password: 'secret123' } })).statusCode).toBe(403);
    expect((await admin.request({ method: 'PATCH', url: `/users/${bob.id}`, payload: { role: 'admin' } })).statusCode).toBe(200);
    expect((await bob.request({ method: 'POST', url: '/users', payload: { name: 'Y', email: `y-${randomUUID()}@example.com`, password: 'secret123' } })).statusCode).toBe(201);
    expect((await admin.request({ method: 'PATCH', url: `/users/${bob.id}`, payload: { role: 'user' } })).statusCode).toBe(200);
    expect((await bob.request({ method: 'POST', url: '/users', payload: { name: 'Z', email: `z-${randomUUID()}@example.com`, password: 'secret123' } })).statusCode).toBe(403);
  });

  it('when a user just used its token is deleted, then its next request is a 401, REST and GraphQL', async () => {
    const carl = await registerUser(t.app);
    expect((await carl.request({ method: 'GET', url: '/me' })).statusCode).toBe(200);
    expect((await carl.request({ method: 'DELETE', url: `/users/${carl.id}` })).statusCode).toBe(204);
    expect((await carl.request({ method: 'GET', url: '/calendars' })).statusCode).toBe(401);
    expect((await graphql(t.app, '{ calendars { nodes { id } } }', {}, carl)).status).toBe(401);
  });
});
