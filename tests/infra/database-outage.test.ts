import net from 'node:net';
import { Writable } from 'node:stream';
import { createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../helpers/app';

/**
 * A TCP proxy in front of the test database that can cut every connection and refuse new ones, then
 * let them through again on the same port: an outage of PostgreSQL as the app sees it, without
 * stopping the server that other test runs share.
 */
class OutageProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async up(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

describe('database outage', () => {
  let t: TestApp;
  let u: TestUser;
  let proxy: OutageProxy;
  const logs: { level: number; msg: string }[] = [];

  beforeAll(async () => {
    await (await createTestApp()).close(); // migrations, through the direct URL
    const target = new URL(process.env.TEST_DATABASE_URL!);
    proxy = new OutageProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.up();
    const viaProxy = new URL(target);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const stream = new Writable({ write: (chunk, _enc, done) => { logs.push(JSON.parse(String(chunk))); done(); } });
    t = await createTestApp({}, { databaseUrl: viaProxy.toString(), logger: { level: 'warn', stream } });
    u = await registerUser(t.app);
  });
  afterAll(async () => {
    await t.close();
    await proxy.down();
  });

  it('when PostgreSQL is unreachable, then REST and GraphQL answer 503 with Retry-After, it is logged once, and service resumes without a restart', async () => {
    await proxy.down();
    for (let i = 0; i < 5; i++) {
      const rest = await u.request({ method: 'GET', url: '/calendars' });
      expect(rest.statusCode).toBe(503);
      expect(rest.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(rest.headers['retry-after']).toMatch(/^\d+$/);
      expect(rest.json()).toMatchObject({ status: 503, title: 'Service Unavailable' });
      const gql = await t.app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${u.token}`, 'content-type': 'application/json' }, payload: { query: '{ calendars { nodes { id } } }' } });
      expect(gql.statusCode).toBe(503);
      expect(gql.headers['retry-after']).toMatch(/^\d+$/);
      expect(gql.json().errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      const anonymous = await graphql(t.app, 'mutation { login(email: "a@example.com", password: "x") { accessToken } }');
      expect(anonymous.status).toBe(503);
      expect(anonymous.body.errors?.[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    }
    // Long enough for the background parts (the webhook queue polls every second) to meet the outage too.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const outageLogs = logs.filter((l) => l.level >= 50);
    expect(outageLogs.map((l) => l.msg)).toEqual(['database unreachable: answering 503 until it is back']);

    await proxy.up();
    const back = await u.request({ method: 'GET', url: '/calendars' });
    expect(back.statusCode).toBe(200);
    expect(logs.map((l) => l.msg)).toContain('database reachable again');
    expect((await graphql(t.app, '{ calendars { nodes { id } } }', {}, u)).body.errors).toBeUndefined();

    // A second outage is logged again, once.
    await proxy.down();
    expect((await u.request({ method: 'GET', url: '/calendars' })).statusCode).toBe(503);
    expect((await u.request({ method: 'GET', url: '/calendars' })).statusCode).toBe(503);
    expect(logs.filter((l) => l.level >= 50)).toHaveLength(2);
    await proxy.up();
    expect((await u.request({ method: 'GET', url: '/calendars' })).statusCode).toBe(200);
  }, 60_000);
});
