// What /metrics and the request ids promise operators (docs/operations.md, "Metrics and logs"): the
// series the Grafana dashboard and the alert rules query exist with the labels they use, and every
// response carries the request id its log lines carry.
import { createTestApp, graphql, registerUser, type TestApp } from '../helpers/app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The value of one sample line, e.g. sample(page, 'http_request_duration_seconds_count', {route: '/x'}). */
function sample(page: string, metric: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of page.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== metric) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe('/metrics and request ids', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const metrics = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.body;
  };

  it('when a REST route is called, then http_request_duration_seconds counts it by method, route pattern and status code', async () => {
    const user = await registerUser(t.app);
    const before = sample(await metrics(), 'http_request_duration_seconds_count', { method: 'GET', route: '/calendars/:calendarId', status_code: '200' }) ?? 0;
    const res = await user.request({ method: 'GET', url: `/calendars/${user.primaryCalendarId}` });
    expect(res.statusCode).toBe(200);
    const missing = await user.request({ method: 'GET', url: '/calendars/00000000-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);

    const page = await metrics();
    expect(page).toContain('# TYPE http_request_duration_seconds histogram');
    // The route pattern, not the concrete URL: one series per route however many ids are requested.
    expect(sample(page, 'http_request_duration_seconds_count', { method: 'GET', route: '/calendars/:calendarId', status_code: '200' })).toBe(before + 1);
    expect(sample(page, 'http_request_duration_seconds_count', { method: 'GET', route: '/calendars/:calendarId', status_code: '404' })).toBeGreaterThanOrEqual(1);
    expect(page).not.toContain(user.primaryCalendarId);
    expect(sample(page, 'http_request_duration_seconds_bucket', { method: 'GET', route: '/calendars/:calendarId', status_code: '200', le: '+Inf' })).toBe(before + 1);
    // An unknown URL is one "unmatched" series, not one per path.
    await t.app.inject({ method: 'GET', url: '/no/such/path/12345' });
    const after404 = await metrics();
    expect(sample(after404, 'http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_code: '404' })).toBeGreaterThanOrEqual(1);
    expect(after404).not.toContain('/no/such/path/12345');
  });

  it('when a named GraphQL operation runs, then graphql_operation_duration_seconds counts it by operation name and type', async () => {
    const user = await registerUser(t.app);
    const { status, body } = await graphql(t.app, 'query OpsDashboardCalendars { calendars(first: 5) { nodes { id name } } }', {}, user);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();

    const page = await metrics();
    expect(page).toContain('# TYPE graphql_operation_duration_seconds histogram');
    // Named in the document only (no `operationName` field in the body, as with curl).
    expect(sample(page, 'graphql_operation_duration_seconds_count', { operation_name: 'OpsDashboardCalendars', operation_type: 'query', outcome: 'ok' })).toBe(1);
  });

  it('when a GraphQL document does not validate, then its claimed operation name does not become a series', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: { query: 'query Spam1234 { noSuchField }', operationName: 'Spam1234' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const page = await metrics();
    expect(page).not.toContain('Spam1234');
    expect(sample(page, 'graphql_operation_duration_seconds_count', { operation_name: 'anonymous', operation_type: 'unknown', outcome: 'error' })).toBeGreaterThanOrEqual(1);
  });

  it('then the cache counters and the database pool gauge are exported', async () => {
    const page = await metrics();
    for (const counter of ['cache_hits_total', 'cache_misses_total', 'cache_errors_total']) {
      expect(page).toContain(`# TYPE ${counter} counter`);
      expect(sample(page, counter)).toBeGreaterThanOrEqual(0);
    }
    expect(page).toContain('# TYPE db_pool_connections gauge');
    for (const state of ['used', 'free', 'pending']) expect(sample(page, 'db_pool_connections', { state })).toBeGreaterThanOrEqual(0);
    // Node.js process metrics (memory, event loop) for the dashboard's process row.
    expect(sample(page, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('when a request carries a sane X-Request-Id, then the response echoes it', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'lb-7f3a.91:abc_DEF-1' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('lb-7f3a.91:abc_DEF-1');
  });

  it('when a request carries no X-Request-Id, then each response gets a fresh UUID', async () => {
    const [one, two] = await Promise.all([t.app.inject({ method: 'GET', url: '/healthz' }), t.app.inject({ method: 'GET', url: '/healthz' })]);
    expect(one.headers['x-request-id']).toMatch(UUID);
    expect(two.headers['x-request-id']).toMatch(UUID);
    expect(one.headers['x-request-id']).not.toBe(two.headers['x-request-id']);
  });

  it.each([
    ['too long (500 characters)', 'a'.repeat(500)],
    ['with spaces', 'hello world'],
    ['with a header-injection attempt', 'abc%0d%0aSet-Cookie:x=1'],
    ['with quotes and braces', '"}{"level":60'],
  ])('when X-Request-Id is garbage (%s), then it is replaced by a UUID', async (_what, value) => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': value } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toMatch(UUID);
  });

  it('when the request id is replaced, then error responses carry it too', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/calendars', headers: { 'x-request-id': 'bad id' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['x-request-id']).toMatch(UUID);
  });
});
