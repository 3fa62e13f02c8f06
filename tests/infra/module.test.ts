import type { EntityManager } from '@mikro-orm/postgresql';
import { composeModules, type AppModule } from '../../src/infra/module';
import type { AppDeps } from '../../src/infra/services';

/**
 * The module registry: what modules contribute is gathered in list order; per-request services and
 * loaders are built on first use, once per request; hooks gather every module's contribution. The
 * names used here are the app's own (declared by its modules), with stand-in values.
 */
const em = {} as EntityManager;
const deps = {} as AppDeps;

describe('composeModules', () => {
  it('when modules contribute entities, resolvers and schemas, then they are gathered in list order', () => {
    class A {}
    class B {}
    class C {}
    const composed = composeModules([
      { name: 'a', entities: [A], resolvers: [A], httpSchemas: [{ $id: 'A' } as never] },
      { name: 'b' },
      { name: 'c', entities: [B, C], resolvers: [C] },
    ]);
    expect(composed.entities).toEqual([A, B, C]);
    expect(composed.resolvers).toEqual([A, C]);
    expect(composed.httpSchemas).toEqual([{ $id: 'A' }]);
  });

  it('when two modules share a name or declare the same service or loader, then it fails at boot', () => {
    expect(() => composeModules([{ name: 'a' }, { name: 'a' }])).toThrow('module a is listed twice');
    const service = { users: () => ({}) as never };
    expect(() => composeModules([{ name: 'a', services: service }, { name: 'b', services: service }])).toThrow('service users is declared by modules a and b');
    const loader = { userById: () => ({}) as never };
    expect(() => composeModules([{ name: 'a', loaders: loader }, { name: 'b', loaders: loader }])).toThrow('loader userById is declared by modules a and b');
  });

  it('when a service is read, then it is built once per request, on first use, and may use another one', () => {
    const built: string[] = [];
    const modules: AppModule[] = [
      { name: 'a', services: { users: () => (built.push('users'), { kind: 'users' }) as never } },
      { name: 'b', services: { auth: ({ services }) => (built.push('auth'), { kind: 'auth', users: services.users }) as never } },
    ];
    const { createServices } = composeModules(modules);
    const first = createServices(em, deps);
    expect(built).toEqual([]);
    const auth = first.auth as unknown as { users: unknown };
    expect(built).toEqual(['auth', 'users']);
    expect(auth.users).toBe(first.users);
    expect(first.auth).toBe(auth);
    const second = createServices(em, deps);
    expect(second.users).not.toBe(first.users);
    expect(built).toEqual(['auth', 'users', 'users']);
  });

  it('when modules contribute to a hook, then the caller gets every contribution in module order, none for undefined', async () => {
    const calls: string[] = [];
    let hooks: unknown[] = [];
    const composed = composeModules([
      { name: 'users', services: { users: (ctx) => ((hooks = ctx.hooks('userCreated')), {}) as never } },
      { name: 'calendars', hooks: { userCreated: () => async () => void calls.push('calendars') } },
      { name: 'rules', hooks: { userCreated: () => undefined } },
      { name: 'milestones', hooks: { userCreated: () => async () => void calls.push('milestones') } },
    ]);
    void composed.createServices(em, deps).users;
    for (const hook of hooks as ((...args: never[]) => Promise<void>)[]) await hook();
    expect(calls).toEqual(['calendars', 'milestones']);
  });

  it('when a loader is read, then it is built once per operation from that operation\'s context', () => {
    let builds = 0;
    const { createLoaders } = composeModules([{ name: 'a', loaders: { userById: ({ actor }) => (builds++, { actor }) as never } }]);
    const loaders = createLoaders({ em, services: {} as never, actor: { userId: 'u', role: 'user' } });
    expect((loaders.userById as unknown as { actor: unknown }).actor).toEqual({ userId: 'u', role: 'user' });
    void loaders.userById;
    expect(builds).toBe(1);
  });
});
