import { createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../../helpers/app';

describe('scheduling: events, participants and responses', () => {
  let t: TestApp;
  let host: TestUser;
  let guest: TestUser;
  let outsider: TestUser;
  let admin: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ ADMIN_EMAILS: 'sched-admin@example.com' });
    host = await registerUser(t.app, { name: 'Host', timeZone: 'Europe/Paris' });
    guest = await registerUser(t.app, { name: 'Guest' });
    outsider = await registerUser(t.app, { name: 'Outsider' });
    admin = await registerUser(t.app, { name: 'Admin', email: 'sched-admin@example.com' });
  });
  afterAll(() => t.close());

  const meeting = (payload: Record<string, unknown>, u = host, query = '') => u.request({ method: 'POST', url: `/events${query}`, payload: { title: 'Meeting', duration: 'PT1H', ...payload } });

  it('when a host books a meeting inviting a guest as optional, then both are participants and the guest can accept', async () => {
    const res = await meeting({ start: '2026-12-08T10:00:00+01:00', participants: [{ userId: guest.id, role: 'optional' }] });
    expect(res.statusCode).toBe(201);
    const ev = res.json();
    expect(ev).toMatchObject({ hostId: host.id, calendarId: host.primaryCalendarId, timeZone: 'Europe/Paris' });
    expect(ev.participants).toEqual([
      { userId: host.id, role: 'required', response: 'accepted', isHost: true },
      { userId: guest.id, role: 'optional', response: 'needs_action', isHost: false },
    ]);
    const accepted = await guest.request({ method: 'PATCH', url: `/events/${ev.id}/participants/${guest.id}`, payload: { response: 'accepted' } });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toEqual({ userId: guest.id, role: 'optional', response: 'accepted', isHost: false });
    const seen = (await guest.request({ method: 'GET', url: `/events/${ev.id}` })).json();
    expect(seen.participants[1].response).toBe('accepted');

    const inRange = '&from=2026-12-08T00:00:00Z&to=2026-12-09T00:00:00Z';
    const ids = async (u: TestUser, role: string) => (await u.request({ method: 'GET', url: `/events?role=${role}${inRange}` })).json().items.map((e: { id: string }) => e.id);
    expect(await ids(host, 'host')).toEqual([ev.id]);
    expect(await ids(host, 'participant')).toEqual([]);
    expect(await ids(guest, 'participant')).toEqual([ev.id]);
    expect(await ids(guest, 'host')).toEqual([]);
    expect(await ids(guest, 'any')).toEqual([ev.id]);
    expect(await ids(outsider, 'any')).toEqual([]);
  });

  it('when someone other than the participant sets a response, then it is 403; an outsider gets 404', async () => {
    const ev = (await meeting({ start: '2026-12-09T10:00:00Z', participants: [{ userId: guest.id }] })).json();
    expect((await host.request({ method: 'PATCH', url: `/events/${ev.id}/participants/${guest.id}`, payload: { response: 'declined' } })).statusCode).toBe(403);
    expect((await outsider.request({ method: 'PATCH', url: `/events/${ev.id}/participants/${guest.id}`, payload: { response: 'declined' } })).statusCode).toBe(404);
    expect((await outsider.request({ method: 'GET', url: `/events/${ev.id}` })).statusCode).toBe(404);
    expect((await guest.request({ method: 'PATCH', url: `/events/${ev.id}/participants/${guest.id}`, payload: { role: 'optional' } })).statusCode).toBe(403);
    const role = await host.request({ method: 'PATCH', url: `/events/${ev.id}/participants/${guest.id}`, payload: { role: 'optional' } });
    expect(role.json()).toMatchObject({ role: 'optional', response: 'needs_action' });
    const bad = await guest.request({ method: 'PATCH', url: `/events/${ev.id}/participants/${guest.id}`, payload: { response: 'maybe' } });
    expect(bad.statusCode).toBe(400);
  });

  it('when the host manages participants, then unknown users are 404, duplicates 409, and the host cannot be removed', async () => {
    const ev = (await meeting({ start: '2026-12-10T10:00:00Z' })).json();
    const url = `/events/${ev.id}/participants`;
    const added = await host.request({ method: 'POST', url, payload: { userId: guest.id, role: 'required' } });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toEqual({ userId: guest.id, role: 'required', response: 'needs_action', isHost: false });
    expect((await host.request({ method: 'POST', url, payload: { userId: guest.id } })).statusCode).toBe(409);
    expect((await host.request({ method: 'POST', url, payload: { userId: host.id } })).statusCode).toBe(409);
    expect((await host.request({ method: 'POST', url, payload: { userId: '00000000-0000-4000-8000-000000000000' } })).statusCode).toBe(404);
    expect((await guest.request({ method: 'POST', url, payload: { userId: outsider.id } })).statusCode).toBe(403);
    expect((await outsider.request({ method: 'POST', url, payload: { userId: outsider.id } })).statusCode).toBe(404);
    expect((await host.request({ method: 'DELETE', url: `${url}/${host.id}` })).statusCode).toBe(409);
    expect((await host.request({ method: 'DELETE', url: `${url}/${guest.id}` })).statusCode).toBe(204);
    expect((await guest.request({ method: 'GET', url: `/events/${ev.id}` })).statusCode).toBe(404);
  });

  it('when creating with invitees, then an unknown or repeated invitee fails the whole create', async () => {
    const unknown = await meeting({ start: '2026-12-11T10:00:00Z', participants: [{ userId: '00000000-0000-4000-8000-000000000001' }] });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().errors[0].path).toBe('/participants/0/userId');
    const twice = await meeting({ start: '2026-12-11T10:00:00Z', participants: [{ userId: guest.id }, { userId: guest.id }] });
    expect(twice.statusCode).toBe(409);
    const listed = (await host.request({ method: 'GET', url: '/events?from=2026-12-11T00:00:00Z&to=2026-12-12T00:00:00Z' })).json();
    expect(listed.items).toEqual([]);
  });

  it('when a participant tries to change or delete the event, then it is 403; the host can', async () => {
    const ev = (await meeting({ start: '2026-12-12T10:00:00Z', participants: [{ userId: guest.id }] })).json();
    expect((await guest.request({ method: 'PATCH', url: `/events/${ev.id}`, payload: { title: 'Mine' } })).statusCode).toBe(403);
    expect((await guest.request({ method: 'DELETE', url: `/events/${ev.id}` })).statusCode).toBe(403);
    const moved = await host.request({ method: 'PATCH', url: `/events/${ev.id}`, payload: { start: '2026-12-12T14:00:00Z' } });
    expect(moved.json()).toMatchObject({ start: '2026-12-12T14:00:00.000Z', end: '2026-12-12T15:00:00.000Z', participants: [expect.anything(), expect.anything()] });
    expect((await host.request({ method: 'DELETE', url: `/events/${ev.id}` })).statusCode).toBe(204);
    expect((await guest.request({ method: 'GET', url: `/events/${ev.id}` })).statusCode).toBe(404);
  });

  it('when events overlap in the host calendar, then /events gives 409 unless force, as entries do', async () => {
    await meeting({ start: '2026-12-14T10:00:00Z' });
    const clash = await meeting({ start: '2026-12-14T10:30:00Z' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().conflicts).toHaveLength(1);
    expect((await meeting({ start: '2026-12-14T10:30:00Z' }, host, '?force=true')).statusCode).toBe(201);
  });

  it('when listing without a date bound, with include=participants and by calendar, then the filters apply', async () => {
    const u = await registerUser(t.app);
    const side = (await u.request({ method: 'POST', url: '/calendars', payload: { name: 'Side' } })).json().id;
    await meeting({ start: '2027-01-05T10:00:00Z', participants: [{ userId: guest.id }] }, u);
    await meeting({ start: '2027-01-04T10:00:00Z', calendarId: side }, u);
    const all = (await u.request({ method: 'GET', url: '/events' })).json();
    expect(all.items.map((e: { start: string }) => e.start)).toEqual(['2027-01-04T10:00:00.000Z', '2027-01-05T10:00:00.000Z']);
    expect(all.items[0].participants).toBeUndefined();
    const withP = (await u.request({ method: 'GET', url: '/events?include=participants' })).json();
    expect(withP.items[1].participants.map((p: { userId: string }) => p.userId)).toEqual([u.id, guest.id]);
    const bySide = (await u.request({ method: 'GET', url: `/events?calendarId=${side}` })).json();
    expect(bySide.items).toHaveLength(1);
    const paged = (await u.request({ method: 'GET', url: '/events?limit=1' })).json();
    const next = (await u.request({ method: 'GET', url: `/events?limit=1&cursor=${paged.nextCursor}` })).json();
    expect([paged.items[0].start, next.items[0].start]).toEqual(['2027-01-04T10:00:00.000Z', '2027-01-05T10:00:00.000Z']);
    expect((await u.request({ method: 'GET', url: '/events?from=2027-01-01T00:00:00Z' })).statusCode).toBe(400);
    expect((await u.request({ method: 'GET', url: '/events?role=owner' })).statusCode).toBe(400);
  });

  it("when another user's events are listed, then only an admin may", async () => {
    expect((await outsider.request({ method: 'GET', url: `/events?userId=${host.id}` })).statusCode).toBe(403);
    const byAdmin = await admin.request({ method: 'GET', url: `/events?userId=${host.id}&role=host&from=2026-12-08T00:00:00Z&to=2026-12-09T00:00:00Z` });
    expect(byAdmin.statusCode).toBe(200);
    expect(byAdmin.json().items).toHaveLength(1);
  });

  it('when the same meeting is booked through GraphQL, then one query returns participants with their users', async () => {
    const created = await graphql(t.app, `mutation($i: CreateEventInput!) { createEvent(input: $i) { id participants { user { name } role response isHost } } }`,
      { i: { title: 'GQL', start: '2026-12-16T10:00:00Z', duration: 'PT1H', participants: [{ userId: guest.id, role: 'optional' }] } }, host);
    expect(created.body.data?.createEvent.participants).toEqual([
      { user: { name: 'Host' }, role: 'required', response: 'accepted', isHost: true },
      { user: { name: 'Guest' }, role: 'optional', response: 'needs_action', isHost: false },
    ]);
    const id = created.body.data?.createEvent.id;
    const accept = await graphql(t.app, `mutation { updateParticipant(eventId: "${id}", userId: "${guest.id}", input: { response: accepted }) { response } }`, {}, guest);
    expect(accept.body.data?.updateParticipant.response).toBe('accepted');
    const forbidden = await graphql(t.app, `mutation { updateParticipant(eventId: "${id}", userId: "${guest.id}", input: { response: declined }) { response } }`, {}, host);
    expect(forbidden.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const q = await graphql(t.app, `{ events(filter: { role: participant, from: "2026-12-16T00:00:00Z", to: "2026-12-17T00:00:00Z" }) { nodes { title host { name } calendar { id } participants { response user { name email } } } } }`, {}, guest);
    expect(q.body.data?.events.nodes).toEqual([{ title: 'GQL', host: { name: 'Host' }, calendar: null, participants: [{ response: 'accepted', user: expect.objectContaining({ name: 'Host' }) }, { response: 'accepted', user: expect.objectContaining({ name: 'Guest' }) }] }]);
    const mine = await graphql(t.app, `{ me { events(filter: { role: host, from: "2026-12-16T00:00:00Z", to: "2026-12-17T00:00:00Z" }) { nodes { title } } } }`, {}, host);
    expect(mine.body.data?.me.events.nodes).toEqual([{ title: 'GQL' }]);
    const removeHost = await graphql(t.app, `mutation { removeParticipant(eventId: "${id}", userId: "${host.id}") }`, {}, host);
    expect(removeHost.body.errors?.[0].extensions.code).toBe('CONFLICT');
    const others = await graphql(t.app, `{ user(id: "${host.id}") { events { nodes { id } } } }`, {}, outsider);
    expect(others.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('when User.events is read for several users in one query, then each gets its own events, page and authorisation', async () => {
    const day = { from: '2027-01-12T00:00:00Z', to: '2027-01-13T00:00:00Z' };
    for (const hour of ['09', '11']) expect((await meeting({ start: `2027-01-12T${hour}:00:00Z`, participants: [{ userId: guest.id, role: 'required' }] })).statusCode).toBe(201);
    expect((await meeting({ title: 'Own', start: '2027-01-12T14:00:00Z' }, guest)).statusCode).toBe(201);
    const usersEvents = `query($host: UUID!, $guest: UUID!, $role: EventRole!, $first: Int!) {
      host: user(id: $host) { events(filter: { role: $role, from: "${day.from}", to: "${day.to}" }, first: $first) { nodes { title start } pageInfo { hasNextPage endCursor } } }
      guest: user(id: $guest) { events(filter: { role: $role, from: "${day.from}", to: "${day.to}" }, first: $first) { nodes { title start } pageInfo { hasNextPage endCursor } } } }`;

    const byAdmin = await graphql(t.app, usersEvents, { host: host.id, guest: guest.id, role: 'any', first: 2 }, admin);
    expect(byAdmin.body.errors).toBeUndefined();
    expect(byAdmin.body.data?.host.events.nodes.map((e: { start: string }) => e.start)).toEqual(['2027-01-12T09:00:00.000Z', '2027-01-12T11:00:00.000Z']);
    expect(byAdmin.body.data?.host.events.pageInfo.hasNextPage).toBe(false);
    expect(byAdmin.body.data?.guest.events.nodes.map((e: { start: string }) => e.start)).toEqual(['2027-01-12T09:00:00.000Z', '2027-01-12T11:00:00.000Z']);
    expect(byAdmin.body.data?.guest.events.pageInfo.hasNextPage).toBe(true);

    // The guest's next page continues its own list; its cursor is refused for the host's list.
    const cursor = byAdmin.body.data?.guest.events.pageInfo.endCursor;
    const next = `query($id: UUID!, $after: String!) { user(id: $id) { events(filter: { from: "${day.from}", to: "${day.to}" }, after: $after) { nodes { title } } } }`;
    expect((await graphql(t.app, next, { id: guest.id, after: cursor }, admin)).body.data?.user.events.nodes).toEqual([{ title: 'Own' }]);
    expect((await graphql(t.app, next, { id: host.id, after: cursor }, admin)).body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');

    // Roles are applied per user: the guest is invited to the host's two meetings and hosts its own.
    const invited = await graphql(t.app, usersEvents, { host: host.id, guest: guest.id, role: 'participant', first: 10 }, admin);
    expect(invited.body.data?.host.events.nodes).toEqual([]);
    expect(invited.body.data?.guest.events.nodes.map((e: { title: string }) => e.title)).toEqual(['Meeting', 'Meeting']);

    // A non-admin reads its own events; asking for another user's in the same query is FORBIDDEN there.
    const own = await graphql(t.app, `{ user(id: "${guest.id}") { events(filter: { from: "${day.from}", to: "${day.to}" }) { nodes { title } } } }`, {}, guest);
    expect(own.body.data?.user.events.nodes).toEqual([{ title: 'Meeting' }, { title: 'Meeting' }, { title: 'Own' }]);
    const byGuest = await graphql(t.app, usersEvents, { host: host.id, guest: guest.id, role: 'host', first: 10 }, guest);
    expect(byGuest.body.errors).toEqual([expect.objectContaining({ path: ['host', 'events'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
  });

  it('when a query nests beyond the depth limit, then it is rejected before it runs', async () => {
    const deep = '{ me { events { nodes { participants { user { events { nodes { participants { user { events { nodes { title } } } } } } } } } } } }';
    const res = await graphql(t.app, deep, {}, host);
    expect(res.body.errors?.[0].message).toMatch(/depth/i);
    expect(res.body.data).toBeUndefined();
  });
});
