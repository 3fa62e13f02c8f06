import { createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../../helpers/app';

describe('webhook endpoints', () => {
  let t: TestApp;
  let ann: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    ann = await registerUser(t.app);
    bob = await registerUser(t.app);
  });
  afterAll(() => t.close());

  const create = (u: TestUser, payload: Record<string, unknown>) => u.request({ method: 'POST', url: '/webhooks', payload });

  it('when an endpoint is registered, then it is 201 with a whsec_ secret shown once, and listed without it', async () => {
    const res = await create(ann, { url: 'http://127.0.0.1:9/ann', events: ['entry.created', 'invitation.received'] });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ url: 'http://127.0.0.1:9/ann', events: ['entry.created', 'invitation.received'], enabled: true, disabledAt: null, disabledReason: null });
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(res.headers.location).toBe(`/webhooks/${body.id}`);
    const list = (await ann.request({ method: 'GET', url: '/webhooks' })).json();
    expect(list.items).toEqual([expect.objectContaining({ id: body.id })]);
    expect(list.items[0].secret).toBeUndefined();
    const one = (await ann.request({ method: 'GET', url: `/webhooks/${body.id}` })).json();
    expect(one.secret).toBeUndefined();
  });

  it("when another user reads, changes or deletes someone's endpoint, then it is 404", async () => {
    const { id } = (await create(ann, { url: 'http://127.0.0.1:9/private', events: ['entry.deleted'] })).json();
    for (const [method, url] of [['GET', `/webhooks/${id}`], ['PATCH', `/webhooks/${id}`], ['DELETE', `/webhooks/${id}`], ['GET', `/webhooks/${id}/deliveries`]] as const) {
      const res = await bob.request({ method, url, payload: method === 'PATCH' ? { enabled: false } : undefined });
      expect(res.statusCode).toBe(404);
    }
    expect((await bob.request({ method: 'GET', url: '/webhooks' })).json().items).toEqual([]);
  });

  it('when an endpoint is changed, disabled, enabled and deleted, then each shows; deleted it is 404', async () => {
    const { id } = (await create(ann, { url: 'http://127.0.0.1:9/x', events: ['entry.created'] })).json();
    const patched = await ann.request({ method: 'PATCH', url: `/webhooks/${id}`, payload: { events: ['entry.updated', 'entry.deleted'], enabled: false } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ events: ['entry.updated', 'entry.deleted'], enabled: false, disabledReason: 'disabled by its owner' });
    expect((await ann.request({ method: 'PATCH', url: `/webhooks/${id}`, payload: { enabled: true } })).json()).toMatchObject({ enabled: true, disabledAt: null, disabledReason: null });
    expect((await ann.request({ method: 'DELETE', url: `/webhooks/${id}` })).statusCode).toBe(204);
    expect((await ann.request({ method: 'GET', url: `/webhooks/${id}` })).statusCode).toBe(404);
  });

  it('when there were no deliveries yet, then the list is empty', async () => {
    const { id } = (await create(ann, { url: 'http://127.0.0.1:9/y', events: ['entry.created'] })).json();
    expect((await ann.request({ method: 'GET', url: `/webhooks/${id}/deliveries` })).json()).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    ['no url', { events: ['entry.created'] }, '/url'],
    ['a relative url', { url: '/hooks', events: ['entry.created'] }, '/url'],
    ['credentials in the url', { url: 'https://user:pw@127.0.0.1/h', events: ['entry.created'] }, '/url'],
    ['an ftp url', { url: 'ftp://127.0.0.1/h', events: ['entry.created'] }, '/url'],
    ['no events', { url: 'https://127.0.0.1/h', events: [] }, '/events'],
    ['an unknown event type', { url: 'https://127.0.0.1/h', events: ['entry.exploded'] }, '/events/0'],
    ['a repeated event type', { url: 'https://127.0.0.1/h', events: ['entry.created', 'entry.created'] }, '/events'],
    ['an unknown field', { url: 'https://127.0.0.1/h', events: ['entry.created'], secret: 'mine' }, '/secret'],
  ])('when the body has %s, then it is a 400 naming the field', async (_case, payload, path) => {
    const res = await create(ann, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(new RegExp(`^${path}`)) })]));
  });

  it('when a user already has 20 endpoints, then the 21st is a 409', async () => {
    const carl = await registerUser(t.app);
    for (let i = 0; i < 20; i++) expect((await create(carl, { url: `http://127.0.0.1:9/${i}`, events: ['entry.created'] })).statusCode).toBe(201);
    expect((await create(carl, { url: 'http://127.0.0.1:9/21', events: ['entry.created'] })).statusCode).toBe(409);
  });

  it('when the same is done in GraphQL, then it behaves the same', async () => {
    const created = await graphql(t.app, 'mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id url events enabled } } }', { input: { url: 'http://127.0.0.1:9/gql', events: ['ENTRY_CREATED', 'PARTICIPANT_RESPONDED'] } }, ann);
    expect(created.body.errors).toBeUndefined();
    const { secret, webhook } = created.body.data!.createWebhook;
    expect(secret).toMatch(/^whsec_/);
    expect(webhook).toMatchObject({ url: 'http://127.0.0.1:9/gql', events: ['ENTRY_CREATED', 'PARTICIPANT_RESPONDED'], enabled: true });
    const read = await graphql(t.app, 'query($id: UUID!) { webhook(id: $id) { id deliveries(first: 5) { nodes { id } pageInfo { hasNextPage } } } webhooks { id } }', { id: webhook.id }, ann);
    expect(read.body.data!.webhook).toEqual({ id: webhook.id, deliveries: { nodes: [], pageInfo: { hasNextPage: false } } });
    expect(read.body.data!.webhooks.map((w: { id: string }) => w.id)).toContain(webhook.id);
    const foreign = await graphql(t.app, 'query($id: UUID!) { webhook(id: $id) { id } }', { id: webhook.id }, bob);
    expect(foreign.body.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    const updated = await graphql(t.app, 'mutation($id: UUID!) { updateWebhook(id: $id, input: { enabled: false }) { enabled disabledReason } }', { id: webhook.id }, ann);
    expect(updated.body.data!.updateWebhook).toEqual({ enabled: false, disabledReason: 'disabled by its owner' });
    const deleted = await graphql(t.app, 'mutation($id: UUID!) { deleteWebhook(id: $id) }', { id: webhook.id }, ann);
    expect(deleted.body.data!.deleteWebhook).toBe(true);
    const bad = await graphql(t.app, 'mutation { createWebhook(input: { url: "ftp://x", events: [ENTRY_CREATED] }) { secret } }', {}, ann);
    expect(bad.body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('webhook endpoints without WEBHOOK_ALLOW_PRIVATE', () => {
  let t: TestApp;
  let ann: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    ann = await registerUser(t.app);
  });
  afterAll(() => t.close());

  it.each([
    ['loopback', 'https://127.0.0.1/h'],
    ['localhost', 'https://localhost:8443/h'],
    ['a private address', 'https://10.0.0.8/h'],
    ['link-local (cloud metadata)', 'https://169.254.169.254/latest/meta-data'],
    ['IPv6 loopback', 'https://[::1]/h'],
    ['plain http', 'http://93.184.215.14/h'],
  ])('when the target is %s, then it is a 400 at /url', async (_case, url) => {
    const res = await ann.request({ method: 'POST', url: '/webhooks', payload: { url, events: ['entry.created'] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ path: '/url' })]);
  });
});
