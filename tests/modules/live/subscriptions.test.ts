import type { AddressInfo } from 'node:net';
import { createTestApp, registerUser, TEST_SECRET, type TestApp, type TestUser } from '../../helpers/app';
import { publishChanges } from '../../helpers/live';
import { rawSocket, subscribe, wsClient, wsUrl } from '../../helpers/graphql-ws';
import { SignJWT } from 'jose';

const CALENDAR_CHANGES = 'subscription($id: UUID!) { calendarChanges(calendarId: $id) { kind calendarId entryId seriesId originalStart entry { id title host { id } participants { userId } } } }';
const MY_INVITATIONS = 'subscription { myInvitations { kind eventId hostId userId role response event { id title } } }';

describe('GraphQL subscriptions over graphql-ws', () => {
  let t: TestApp;
  let url: string;
  let ann: TestUser;
  let bob: TestUser;
  const clients: { dispose(): unknown }[] = [];
  beforeAll(async () => {
    t = await createTestApp({ LIVE_MAX_CONNECTIONS_PER_USER: '3', LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: '2' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = wsUrl(`http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`);
    ann = await registerUser(t.app, { name: 'Ann' });
    bob = await registerUser(t.app, { name: 'Bob' });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  afterAll(() => t.close());

  const connect = (u: TestUser) => {
    const c = wsClient(url, u.token);
    clients.push(c.client);
    return c;
  };
  async function createEntry(u: TestUser, title: string): Promise<string> {
    const res = await u.request({ method: 'POST', url: `/calendars/${u.primaryCalendarId}/entries`, payload: { title, start: '2031-05-01T09:00:00Z', duration: 'PT1H' } });
    expect(res.statusCode).toBe(201);
    return res.json().id;
  }

  it('when connection_init has no token, then the socket closes with 4401', async () => {
    expect((await rawSocket(url).closed).code).toBe(4401);
  });

  it('when the token is forged or expired, then the socket closes with 4401', async () => {
    expect((await rawSocket(url, { authorization: 'Bearer not.a.jwt' }).closed).code).toBe(4401);
    const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(ann.id).setIssuedAt(1).setExpirationTime(2).sign(new TextEncoder().encode(TEST_SECRET));
    expect((await rawSocket(url, { authorization: `Bearer ${expired}` }).closed).code).toBe(4401);
  });

  it('when sockets open and close, then /metrics counts the open connections', async () => {
    const gauge = async () => Number((await t.app.inject({ method: 'GET', url: '/metrics' })).body.split('\n').find((l) => l.startsWith('live_connections '))?.split(' ')[1]);
    const before = await gauge(); // first test with a socket that opens: nothing is closing now
    const cy = await registerUser(t.app, { name: 'Cy' });
    const s = rawSocket(url, { authorization: `Bearer ${cy.token}` });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(s.messages).toEqual([{ type: 'connection_ack' }]);
      expect(await gauge()).toBe(before + 1);
    } finally {
      s.socket.close();
      await s.closed;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await gauge()).toBe(before);
  });

  it('when a user opens more connections than the cap, then the extra one closes with 4403', async () => {
    const open = [rawSocket(url, { authorization: `Bearer ${bob.token}` }), rawSocket(url, { authorization: `Bearer ${bob.token}` }), rawSocket(url, { authorization: `Bearer ${bob.token}` })];
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const s of open) expect(s.messages).toEqual([{ type: 'connection_ack' }]);
    const extra = rawSocket(url, { authorization: `Bearer ${bob.token}` });
    expect(await extra.closed).toEqual({ code: 4403, reason: expect.stringMatching(/at most 3 connections/) });
    open[0]!.socket.close();
    await open[0]!.closed;
    const again = rawSocket(url, { authorization: `Bearer ${bob.token}` });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(again.messages).toEqual([{ type: 'connection_ack' }]);
    for (const s of [...open, again]) s.socket.close();
  });

  it('when an entry of the calendar is created, changed and deleted, then the subscriber gets each, with the entry as it is then', async () => {
    const { client } = connect(ann);
    const sub = await subscribe(client, CALENDAR_CHANGES, { id: ann.primaryCalendarId });
    const id = await createEntry(ann, 'Standup');
    expect((await ann.request({ method: 'PATCH', url: `/calendars/${ann.primaryCalendarId}/entries/${id}`, payload: { title: 'Daily standup' } })).statusCode).toBe(200);
    expect((await ann.request({ method: 'DELETE', url: `/calendars/${ann.primaryCalendarId}/entries/${id}` })).statusCode).toBe(204);
    const [created, updated, deleted] = await sub.waitFor(3);
    expect(created).toEqual({ data: { calendarChanges: { kind: 'created', calendarId: ann.primaryCalendarId, entryId: id, seriesId: null, originalStart: null, entry: { id, title: 'Standup', host: { id: ann.id }, participants: [{ userId: ann.id }] } } } });
    // The entry is read when the change is sent: by then it may have changed again (here: deleted).
    expect(updated!.data!.calendarChanges).toMatchObject({ kind: 'updated', entryId: id });
    expect(deleted!.data!.calendarChanges).toMatchObject({ kind: 'deleted', entryId: id, entry: null });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sub.results).toHaveLength(3);
  });

  it('when one occurrence of a series is moved or cancelled, then the change names the occurrence and its series', async () => {
    const { client } = connect(ann);
    const series = (await ann.request({ method: 'POST', url: `/calendars/${ann.primaryCalendarId}/entries`, payload: { title: 'Weekly', start: '2031-01-06T09:00:00Z', duration: 'PT1H', recurrence: { frequency: 'weekly', count: 4 } } })).json();
    const sub = await subscribe(client, CALENDAR_CHANGES, { id: ann.primaryCalendarId });
    const second = `${series.id}_20310113T090000Z`;
    expect((await ann.request({ method: 'PATCH', url: `/calendars/${ann.primaryCalendarId}/entries/${second}`, payload: { title: 'Moved once', start: '2031-01-13T10:00:00Z' } })).statusCode).toBe(200);
    expect((await ann.request({ method: 'DELETE', url: `/calendars/${ann.primaryCalendarId}/entries/${series.id}_20310120T090000Z` })).statusCode).toBe(204);
    const [moved, cancelled] = await sub.waitFor(2);
    expect(moved!.data!.calendarChanges).toEqual({ kind: 'updated', calendarId: ann.primaryCalendarId, entryId: second, seriesId: series.id, originalStart: '2031-01-13T09:00:00.000Z', entry: expect.objectContaining({ id: second, title: 'Moved once' }) });
    expect(cancelled!.data!.calendarChanges).toEqual({ kind: 'deleted', calendarId: ann.primaryCalendarId, entryId: `${series.id}_20310120T090000Z`, seriesId: series.id, originalStart: '2031-01-20T09:00:00.000Z', entry: null });
  });

  it("when a change is in another calendar, then this calendar's subscriber does not get it", async () => {
    const { client } = connect(ann);
    const sub = await subscribe(client, CALENDAR_CHANGES, { id: ann.primaryCalendarId });
    await createEntry(bob, 'Bob alone');
    const id = await createEntry(ann, 'Ann alone');
    const results = await sub.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(results).toHaveLength(1);
    expect(results[0]!.data!.calendarChanges).toMatchObject({ kind: 'created', calendarId: ann.primaryCalendarId, entryId: id });
  });

  it("when someone subscribes to another user's calendar, then it is NOT_FOUND, as for a query", async () => {
    const { client } = connect(bob);
    const sub = await subscribe(client, CALENDAR_CHANGES, { id: ann.primaryCalendarId });
    await sub.ended;
    expect(sub.results[0]!.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });

  it('when someone is invited and responds, then the guest hears of the invitation and the host of the response', async () => {
    const carl = await registerUser(t.app, { name: 'Carl' });
    const asGuest = await subscribe(connect(carl).client, MY_INVITATIONS);
    const asHost = await subscribe(connect(bob).client, MY_INVITATIONS);
    const created = await bob.request({ method: 'POST', url: '/events', payload: { title: 'Review', start: '2031-06-01T10:00:00Z', duration: 'PT30M', participants: [{ userId: carl.id, role: 'optional' }] } });
    expect(created.statusCode).toBe(201);
    const event = created.json();
    const [invited] = await asGuest.waitFor(1);
    expect(invited!.data!.myInvitations).toEqual({ kind: 'invited', eventId: event.id, hostId: bob.id, userId: carl.id, role: 'optional', response: 'needs_action', event: { id: event.id, title: 'Review' } });
    expect((await carl.request({ method: 'PATCH', url: `/events/${event.id}/participants/${carl.id}`, payload: { response: 'accepted' } })).statusCode).toBe(200);
    const [responded] = await asHost.waitFor(1);
    expect(responded!.data!.myInvitations).toMatchObject({ kind: 'responded', eventId: event.id, hostId: bob.id, userId: carl.id, response: 'accepted' });
    expect((await bob.request({ method: 'DELETE', url: `/events/${event.id}/participants/${carl.id}` })).statusCode).toBe(204);
    const [, removed] = await asGuest.waitFor(2);
    expect(removed!.data!.myInvitations).toMatchObject({ kind: 'removed', eventId: event.id, userId: carl.id, event: null });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(asGuest.results).toHaveLength(2);
    expect(asHost.results).toHaveLength(1);
  });

  it('when the host deletes a meeting, then each invitee hears its invitation was removed, and the host hears nothing of its own', async () => {
    const dee = await registerUser(t.app, { name: 'Dee' });
    const eve = await registerUser(t.app, { name: 'Eve' });
    const asDee = await subscribe(connect(dee).client, MY_INVITATIONS);
    const asEve = await subscribe(connect(eve).client, MY_INVITATIONS);
    const asHost = await subscribe(connect(bob).client, MY_INVITATIONS);
    const event = (await bob.request({ method: 'POST', url: '/events', payload: { title: 'Planning', start: '2031-07-01T10:00:00Z', duration: 'PT30M', participants: [{ userId: dee.id }, { userId: eve.id, role: 'optional' }] } })).json();
    await Promise.all([asDee.waitFor(1), asEve.waitFor(1)]);
    expect((await bob.request({ method: 'DELETE', url: `/events/${event.id}` })).statusCode).toBe(204);
    const [, deeRemoved] = await asDee.waitFor(2);
    const [, eveRemoved] = await asEve.waitFor(2);
    expect(deeRemoved!.data!.myInvitations).toEqual({ kind: 'removed', eventId: event.id, hostId: bob.id, userId: dee.id, role: 'required', response: 'needs_action', event: null });
    expect(eveRemoved!.data!.myInvitations).toMatchObject({ kind: 'removed', eventId: event.id, userId: eve.id, role: 'optional' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(asHost.results).toHaveLength(0);
  });

  it('when a connection exceeds its subscriptions, then the extra one gets TOO_MANY_REQUESTS and the others keep running', async () => {
    const { client } = connect(ann);
    const first = await subscribe(client, MY_INVITATIONS);
    await subscribe(client, MY_INVITATIONS);
    const third = await subscribe(client, MY_INVITATIONS);
    await third.ended;
    expect(third.results[0]!.errors?.[0]).toMatchObject({ extensions: { code: 'TOO_MANY_REQUESTS' } });
    await publishChanges(t, [{ type: 'invitation', kind: 'removed', eventId: crypto.randomUUID(), hostId: bob.id, userId: ann.id, role: 'required', response: 'needs_action' }]);
    expect((await first.waitFor(1))[0]!.data!.myInvitations).toMatchObject({ kind: 'removed', event: null });
  });

  it('when a query, a malformed or a too deep document is sent over the socket, then it is an error with the HTTP codes', async () => {
    const { client } = connect(ann);
    const query = await subscribe(client, '{ me { id } }');
    await query.ended;
    expect(query.results[0]!.errors?.[0]?.message).toMatch(/only subscriptions/);
    const broken = await subscribe(client, 'subscription {');
    await broken.ended;
    expect(broken.results[0]!.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    const deep = await subscribe(client, `subscription { myInvitations { event { host { events { nodes { host { events { nodes { host { events { nodes { id } } } } } } } } } } } }`);
    await deep.ended;
    expect(deep.results[0]!.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('when a subscription is sent over HTTP, then it is refused', async () => {
    const res = await ann.request({ method: 'POST', url: '/graphql', payload: { query: MY_INVITATIONS } });
    expect(res.json().errors?.[0]?.message).toBeDefined();
    expect(res.statusCode).toBeLessThan(500);
  });
});

describe('graphql-ws at shutdown', () => {
  it('when the app closes, then open sockets close with 1001 (going away) and the close completes', async () => {
    const t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = wsUrl(`http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`);
    const ann = await registerUser(t.app);
    const { client, closed } = wsClient(url, ann.token);
    await subscribe(client, MY_INVITATIONS);
    const closing = t.close();
    expect((await closed).code).toBe(1001);
    await closing;
    await client.dispose();
  });
});
