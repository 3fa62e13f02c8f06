import { createConfig, lintFromString } from '@redocly/openapi-core';
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
import { SyncablePage } from '../../src/modules/events/sync/sync.schemas';
import { createTestApp, registerUser, type TestApp } from '../helpers/app';
import { checkResponses } from '../helpers/openapi-check';

/**
 * Issue 12 §4: the OpenAPI document says what the service sends, and a standard linter (Redocly's
 * `recommended` ruleset) finds nothing in it. That every response of the REST test suite matches it
 * is checked by tests/helpers/app.ts when each test file closes its app.
 */
describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: any;
  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });
  afterAll(() => t.close());

  const operations = () => Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));

  it('when linted with the recommended rules, then there is no problem', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('when read, then every operation has a unique operationId, and the document has servers and a license', () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/calendars/{calendarId}/entries'].get.operationId).toBe('listCalendarEntries');
    expect(doc.paths['/calendars/{calendarId}/entries/{entryId}'].patch.operationId).toBe('updateCalendarEntry');
    expect(doc.paths['/auth/login'].post.operationId).toBe('authLogin');
    expect(doc.servers).toEqual([expect.objectContaining({ url: expect.any(String) })]);
    expect(doc.info.license).toEqual(expect.objectContaining({ name: expect.any(String) }));
  });

  it('when read, then every error response is application/problem+json, and conflicts[].id admits occurrence ids', () => {
    for (const { op } of operations()) {
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        if (/^[45]/.test(status) || status === 'default') expect(Object.keys(response.content ?? {})).toEqual(['application/problem+json']);
      }
    }
    const conflictId = doc.components.schemas.Problem.properties.conflicts.items.properties.id;
    expect(conflictId.format).toBeUndefined();
    expect(conflictId.type).toBe('string');
  });

  it('when read, then optional parameters with defaults (limit, force) are not required', () => {
    const param = (path: string, method: string, name: string) => doc.paths[path][method].parameters.find((p: any) => p.name === name);
    expect(param('/calendars/{calendarId}/entries', 'get', 'limit').required).toBeFalsy();
    expect(param('/calendars/{calendarId}/entries', 'post', 'force').required).toBeFalsy();
    expect(param('/events', 'get', 'role').required).toBeFalsy();
    expect(param('/calendars/{calendarId}/entries', 'get', 'start').required).toBe(true);
  });

  it('when read, then conditional requests are documented: ETag, If-None-Match and 304 on GET; If-Match and 412 on writes of a resource', () => {
    const get = doc.paths['/events/{eventId}'].get;
    expect(get.responses['200'].headers.ETag).toBeDefined();
    expect(get.responses['304']).toBeDefined();
    expect(get.parameters.some((p: any) => p.in === 'header' && p.name === 'If-None-Match')).toBe(true);
    for (const method of ['put', 'patch', 'delete']) {
      const op = doc.paths['/events/{eventId}'][method];
      expect(op.responses['412']).toBeDefined();
      expect(op.parameters.some((p: any) => p.in === 'header' && p.name === 'If-Match')).toBe(true);
    }
    const participant = doc.paths['/events/{eventId}/participants/{userId}'].patch;
    expect(participant.responses['412']).toBeUndefined();
  });

  /** Every schema under `node` (depth first), with its JSON pointer. */
  function* schemasIn(node: unknown, at = ''): Generator<[string, Record<string, any>]> {
    if (!node || typeof node !== 'object') return;
    if (!Array.isArray(node)) yield [at, node as Record<string, any>];
    for (const [k, v] of Object.entries(node)) yield* schemasIn(v, `${at}/${k}`);
  }

  it('when read, then no union is one fast-json-stringify must validate to serialize: a nullable value is a type list, a choice of strings an enum', () => {
    // An anyOf/oneOf makes the serializer run an ajv validation of the value against each branch
    // (src/infra/http-schemas.ts, Nullable). Unions of object schemas ($ref) are allowed: they are real choices.
    const primitive = (b: Record<string, any>) => b.const !== undefined || (typeof b.type === 'string' && b.type !== 'object' && b.type !== 'array');
    const offending = [...schemasIn({ paths: doc.paths, components: doc.components })]
      .filter(([, s]) => [s.anyOf, s.oneOf].some((branches) => Array.isArray(branches) && branches.some(primitive) && branches.every((b: Record<string, any>) => primitive(b) || b.type === 'null')))
      .map(([at]) => at);
    expect(offending).toEqual([]);
    const event = doc.components.schemas.Event.properties;
    expect(event.description.type).toEqual(['string', 'null']);
    expect(event.originalStart).toMatchObject({ type: ['string', 'null'], format: 'date-time' });
    expect(event.status).toMatchObject({ type: 'string', enum: ['confirmed', 'tentative', 'cancelled'] });
    expect(event.recurrence.anyOf).toEqual([{ type: 'null' }, { $ref: expect.stringContaining('Recurrence') }]);
  });

  it('when a listing is sent by the schema of a page of events, then its body is what the declared response (events or tombstones) makes of it', async () => {
    const u = await registerUser(t.app);
    const entries = `/calendars/${u.primaryCalendarId}/entries`;
    for (const payload of [
      { title: 'Single', start: '2027-03-01T09:00:00Z', duration: 'PT1H', description: 'with "quotes" and ünïcode', location: null },
      { title: 'Holiday', allDay: true, startDate: '2027-03-02', timeZone: 'Europe/Paris', transparency: 'transparent' },
      { title: 'Weekly', start: '2027-03-01T12:00:00Z', duration: 'PT30M', status: 'tentative', recurrence: { frequency: 'weekly', count: 3, exdates: ['2027-03-08T12:00:00Z'] } },
    ]) expect((await u.request({ method: 'POST', url: `${entries}?force=true`, payload })).statusCode).toBe(201);
    const listing = await u.request({ method: 'GET', url: `${entries}?start=2027-03-01T00:00:00Z&end=2027-04-01T00:00:00Z` });
    const events = await u.request({ method: 'GET', url: '/events?from=2027-03-01T00:00:00Z&to=2027-04-01T00:00:00Z' });
    expect(listing.json().items.map((i: { title: string }) => i.title)).toEqual(['Single', 'Weekly', 'Holiday', 'Weekly']);
    expect(events.json().items).toHaveLength(4);

    const declared = Fastify();
    for (const schema of Object.values(t.app.getSchemas())) declared.addSchema(schema);
    declared.post('/', { schema: { response: { 200: SyncablePage } } }, async (req) => req.body);
    try {
      for (const sent of [listing, events]) expect((await declared.inject({ method: 'POST', url: '/', payload: sent.json() })).body).toBe(sent.body);
    } finally {
      await declared.close();
    }
  });

  it('when a response differs from the document, then the check names each difference; real responses pass', async () => {
    const u = await registerUser(t.app);
    const real = await u.request({ method: 'GET', url: `/calendars/${u.primaryCalendarId}` });
    const missing = await u.request({ method: 'GET', url: `/calendars/${randomUUID()}` });
    const record = (r: typeof real, method: string, url: string) => ({ method, url, status: r.statusCode, contentType: r.headers['content-type'] as string, body: r.body });
    expect(checkResponses(doc, [record(real, 'GET', `/calendars/${u.primaryCalendarId}`), record(missing, 'GET', `/calendars/${randomUUID()}`)])).toEqual([]);
    const url = `/calendars/${u.primaryCalendarId}`;
    const { name: _dropped, ...calendar } = real.json();
    const mismatches = checkResponses(doc, [
      { method: 'GET', url, status: 200, contentType: 'application/json', body: JSON.stringify(calendar) },
      { method: 'GET', url, status: 404, contentType: 'application/json', body: missing.body },
      { method: 'GET', url, status: 200, contentType: 'text/plain', body: 'x' },
      { method: 'DELETE', url, status: 204, contentType: 'application/json', body: '{}' },
      { method: 'GET', url: '/graphql', status: 200, contentType: 'text/html', body: '<html>' },
    ]);
    expect(mismatches).toEqual([
      expect.stringMatching(/^GET \/calendars\/\{calendarId\} → 200 \(application\/json\): .*name/),
      expect.stringMatching(/^GET \/calendars\/\{calendarId\} → 404: sent application\/json, documented application\/problem\+json/),
      expect.stringMatching(/^GET \/calendars\/\{calendarId\} → 200: sent text\/plain/),
      expect.stringMatching(/^DELETE \/calendars\/\{calendarId\} → 204: sent application\/json, documented no body/),
    ]);
  });
});
