import { Webhook } from 'standardwebhooks';
import { createTestApp, registerUser, type TestApp, type TestUser } from '../../helpers/app';
import { changeRecorder, eventually, publishChanges, startReceiver, type WebhookReceiver } from '../../helpers/live';
import type { EntryChange, InvitationChange } from '../../../src/modules/events/changes/event-changes';
import { type ApiProcess, processTestsUnavailable, startApi } from '../../infra/api-process';

/** Deliveries run in this file only (other test apps have WEBHOOK_CONCURRENCY=0), with 1 s retries. */
describe('webhook delivery', () => {
  let t: TestApp;
  let ann: TestUser;
  const receivers: WebhookReceiver[] = [];
  beforeAll(async () => {
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_CONCURRENCY: '2', WEBHOOK_RETRY_SCHEDULE: '1,1,1', WEBHOOK_TIMEOUT_MS: '2000' });
    ann = await registerUser(t.app);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  async function receiver(respond?: (i: number) => number | 'hang'): Promise<WebhookReceiver> {
    const r = await startReceiver(respond);
    receivers.push(r);
    return r;
  }
  async function endpoint(u: TestUser, url: string, events: string[]): Promise<{ id: string; secret: string }> {
    const res = await u.request({ method: 'POST', url: '/webhooks', payload: { url, events } });
    expect(res.statusCode).toBe(201);
    return res.json();
  }
  const entryChange = (u: TestUser, kind: EntryChange['kind'], entryId = crypto.randomUUID()): EntryChange => ({ type: 'entry', kind, calendarId: u.primaryCalendarId, ownerId: u.id, entryId, seriesId: null, originalStart: null });
  const deliveries = async (u: TestUser, id: string) => (await u.request({ method: 'GET', url: `/webhooks/${id}/deliveries` })).json().items as Record<string, unknown>[];

  it('when an entry is created, then the receiver gets a Standard Webhooks message whose signature verifies', async () => {
    const r = await receiver();
    const { id, secret } = await endpoint(ann, r.url, ['entry.created']);
    const created = await ann.request({ method: 'POST', url: `/calendars/${ann.primaryCalendarId}/entries`, payload: { title: 'Hooked', start: '2031-03-01T09:00:00Z', duration: 'PT1H' } });
    expect(created.statusCode).toBe(201);
    const [got] = await r.waitFor(1);
    const payload = new Webhook(secret).verify(got!.body, got!.headers as Record<string, string>) as Record<string, unknown>;
    expect(payload).toEqual({ type: 'entry.created', timestamp: expect.any(String), data: { kind: 'created', calendarId: ann.primaryCalendarId, entryId: created.json().id, seriesId: null, originalStart: null } });
    expect(got!.headers['webhook-id']).toMatch(/^msg_[0-9a-f-]{36}$/);
    expect(got!.headers['content-type']).toBe('application/json');
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(got!.body, got!.headers as Record<string, string>)).toThrow();
    const listed = await eventually(async () => ((await deliveries(ann, id)).length === 1 ? deliveries(ann, id) : undefined));
    expect(listed).toEqual([expect.objectContaining({ messageId: got!.headers['webhook-id'], eventType: 'entry.created', attempt: 1, status: 'succeeded', responseStatus: 204, error: null, nextAttemptAt: null, latencyMs: expect.any(Number) })]);
  });

  /** A sample of /metrics, 0 when absent. */
  const metric = async (line: string) => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    return Number(text.split('\n').find((l) => l.startsWith(`${line} `))?.split(' ')[1] ?? 0);
  };

  it('when deliveries fail and succeed, then /metrics counts the attempts by outcome and times them', async () => {
    const before = { ok: await metric('webhook_deliveries_total{outcome="succeeded"}'), failed: await metric('webhook_deliveries_total{outcome="failed"}'), timed: await metric('webhook_delivery_duration_seconds_count') };
    const r = await receiver((i) => (i < 1 ? 500 : 204));
    await endpoint(ann, r.url, ['entry.created']);
    await publishChanges(t, [entryChange(ann, 'created')]);
    await r.waitFor(2);
    await eventually(async () => ((await metric('webhook_deliveries_total{outcome="succeeded"}')) >= before.ok + 1 ? true : undefined));
    expect(await metric('webhook_deliveries_total{outcome="failed"}')).toBeGreaterThanOrEqual(before.failed + 1);
    expect(await metric('webhook_delivery_duration_seconds_count')).toBeGreaterThanOrEqual(before.timed + 2);
  });

  it('when the receiver fails three times then succeeds, then exactly one delivery is accepted, with one webhook-id throughout', async () => {
    const r = await receiver((i) => (i < 3 ? 503 : 200));
    const { id, secret } = await endpoint(ann, r.url, ['entry.updated']);
    await publishChanges(t, [entryChange(ann, 'updated')]);
    const got = await r.waitFor(4);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // nothing more arrives
    expect(r.received).toHaveLength(4);
    expect(r.received.filter((x) => x.status === 200)).toHaveLength(1);
    expect(new Set(got.map((x) => x.headers['webhook-id'])).size).toBe(1);
    for (const x of got) expect(() => new Webhook(secret).verify(x.body, x.headers as Record<string, string>)).not.toThrow();
    const listed = await eventually(async () => {
      const items = await deliveries(ann, id);
      return items.length === 4 ? items : undefined;
    });
    expect(listed.map((d) => [d.attempt, d.status, d.responseStatus])).toEqual([[4, 'succeeded', 200], [3, 'failed', 503], [2, 'failed', 503], [1, 'failed', 503]]);
    expect(listed[1]).toMatchObject({ error: 'HTTP 503', nextAttemptAt: expect.any(String) });
    expect((await ann.request({ method: 'GET', url: `/webhooks/${id}` })).json().enabled).toBe(true);
  });

  it('when every retry fails, then the endpoint is disabled with the reason, and later changes are not queued for it', async () => {
    const r = await receiver(() => 500);
    const { id } = await endpoint(ann, r.url, ['entry.deleted']);
    await publishChanges(t, [entryChange(ann, 'deleted')]);
    await r.waitFor(4);
    const disabled = await eventually(async () => {
      const e = (await ann.request({ method: 'GET', url: `/webhooks/${id}` })).json();
      return e.enabled ? undefined : e;
    });
    expect(disabled.disabledReason).toMatch(/failed 4 attempts .*HTTP 500/);
    await publishChanges(t, [entryChange(ann, 'deleted')]);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(r.received).toHaveLength(4);
  });

  it('when an endpoint gets a new attempt, then its attempts older than the retention are deleted, and recent ones and other endpoints\' are kept', async () => {
    const r = await receiver();
    const mine = await endpoint(ann, r.url, ['entry.deleted']);
    const other = await endpoint(ann, r.url, ['invitation.removed']);
    const old = new Date(Date.now() - 31 * 86_400_000);
    const recent = new Date(Date.now() - 29 * 86_400_000);
    const insert = (endpointId: string, createdAt: Date, messageId: string) => t.orm.em.getConnection().execute(
      `insert into webhook_attempts (id, endpoint_id, message_id, event_type, attempt, status, response_status, latency_ms, error, next_attempt_at, created_at)
       values (gen_random_uuid(), ?, ?, 'entry.deleted', 1, 'succeeded', 204, 5, null, null, ?)`, [endpointId, messageId, createdAt]);
    await insert(mine.id, old, 'msg_old');
    await insert(mine.id, recent, 'msg_recent');
    await insert(other.id, old, 'msg_other_old');
    await publishChanges(t, [entryChange(ann, 'deleted')]);
    await r.waitFor(1);
    const listed = await eventually(async () => {
      const items = await deliveries(ann, mine.id);
      return items.some((a) => /^msg_[0-9a-f-]{36}$/.test(String(a.messageId))) ? items : undefined;
    });
    expect(listed.map((a) => a.messageId)).toEqual([expect.stringMatching(/^msg_[0-9a-f-]{36}$/), 'msg_recent']);
    expect((await deliveries(ann, other.id)).map((a) => a.messageId)).toEqual(['msg_other_old']);
  });

  it('when the transaction that wrote the change rolls back, then nothing is delivered', async () => {
    const r = await receiver();
    await endpoint(ann, r.url, ['entry.created']);
    const recorder = changeRecorder(t);
    await expect(t.orm.em.fork().transactional(async (tx) => {
      await recorder.inTransaction(tx, [entryChange(ann, 'created')]);
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(r.received).toHaveLength(0);
  });

  it('when a change concerns other users or other event types, then an endpoint gets only its own', async () => {
    const bob = await registerUser(t.app);
    const r = await receiver();
    await endpoint(ann, r.url, ['invitation.received', 'participant.responded']);
    const invitation = (kind: InvitationChange['kind'], userId: string, hostId: string): InvitationChange => ({ type: 'invitation', kind, eventId: crypto.randomUUID(), hostId, userId, role: 'required', response: kind === 'responded' ? 'accepted' : 'needs_action' });
    await publishChanges(t, [
      entryChange(ann, 'created'), // event type not subscribed
      invitation('invited', bob.id, ann.id), // bob's invitation, not ann's
      invitation('invited', ann.id, bob.id), // ann invited: yes
      invitation('responded', bob.id, ann.id), // bob answered ann: yes
      invitation('responded', ann.id, bob.id), // ann answered bob: bob's business
    ]);
    const got = await r.waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(r.received.map((x) => JSON.parse(x.body).type).sort()).toEqual(['invitation.received', 'participant.responded']);
    expect(new Set(got.map((x) => x.headers['webhook-id'])).size).toBe(2);
  });

  it('when the target does not answer in time, then the attempt fails as a timeout', async () => {
    const r = await receiver((i) => (i === 0 ? 'hang' : 204));
    const { id } = await endpoint(ann, r.url, ['entry.created']);
    await publishChanges(t, [entryChange(ann, 'created')]);
    await r.waitFor(2);
    const listed = await eventually(async () => {
      const items = await deliveries(ann, id);
      return items.length === 2 ? items : undefined;
    });
    expect(listed.map((d) => [d.status, d.error])).toEqual([['succeeded', null], ['failed', 'timeout after 2000 ms']]);
  });
});

// After the in-process app above has closed: this file is the only one whose apps or processes run
// delivery workers, so nothing but the restarted process below can deliver.
const unavailable = processTestsUnavailable();
(unavailable ? describe.skip : describe)('webhook delivery across a crash', () => {
  const receivers: WebhookReceiver[] = [];
  const processes: ApiProcess[] = [];
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop(1000)));
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('when the service is killed between the commit and the delivery, then the restarted service still delivers it, signed', async () => {
    const r = await startReceiver();
    receivers.push(r);
    // Process A commits changes but delivers nothing (WEBHOOK_CONCURRENCY=0), then dies with SIGKILL.
    const a = await startApi({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_CONCURRENCY: '0' }, 90_000);
    processes.push(a);
    const call = (base: string, path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
      fetch(`${base}${path}`, { method: init.method ?? 'GET', headers: { ...(init.body !== undefined && { 'content-type': 'application/json' }), ...(init.token && { authorization: `Bearer ${init.token}` }) }, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    const reg = await (await call(a.base, '/auth/register', { method: 'POST', body: { name: 'Crash', email: `crash-${crypto.randomUUID()}@example.com`, password: 'correct horse' } })).json() as { accessToken: string };
    const token = reg.accessToken;
    const hook = await (await call(a.base, '/webhooks', { method: 'POST', token, body: { url: r.url, events: ['entry.created'] } })).json() as { id: string; secret: string };
    const calendars = await (await call(a.base, '/calendars', { token })).json() as { items: { id: string }[] };
    const created = await call(a.base, `/calendars/${calendars.items[0]!.id}/entries`, { method: 'POST', token, body: { title: 'Survives', start: '2031-07-01T09:00:00Z', duration: 'PT1H' } });
    expect(created.status).toBe(201);
    const entry = await created.json() as { id: string };
    a.child.kill('SIGKILL');
    await a.exited;
    expect(r.received).toHaveLength(0);

    // Process B starts on the same database with delivery workers: the committed message goes out.
    const b = await startApi({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_CONCURRENCY: '2' }, 90_000);
    processes.push(b);
    const [got] = await r.waitFor(1, 30_000);
    const message = new Webhook(hook.secret).verify(got!.body, got!.headers as Record<string, string>) as { type: string; data: { entryId: string } };
    expect(message).toMatchObject({ type: 'entry.created', data: { entryId: entry.id } });
    const deliveries = await eventually(async () => {
      const page = await (await call(b.base, `/webhooks/${hook.id}/deliveries`, { token })).json() as { items: { status: string }[] };
      return page.items.length > 0 ? page.items : undefined;
    });
    expect(deliveries).toEqual([expect.objectContaining({ status: 'succeeded', attempt: 1, messageId: got!.headers['webhook-id'] })]);
  }, 300_000);
});
