import { createTestApp, registerUser, type TestApp, type TestUser } from '../../helpers/app';

describe('calendars', () => {
  let t: TestApp;
  let ann: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    ann = await registerUser(t.app, { name: 'Ann', timeZone: 'Europe/Paris' });
    bob = await registerUser(t.app, { name: 'Bob' });
  });
  afterAll(() => t.close());

  const create = (u: TestUser, payload: Record<string, unknown>) => u.request({ method: 'POST', url: '/calendars', payload });

  it('when a user registers, then it has one primary calendar in its time zone', async () => {
    const res = await ann.request({ method: 'GET', url: '/calendars' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [expect.objectContaining({ ownerId: ann.id, isPrimary: true, timeZone: 'Europe/Paris', name: 'Ann' })], nextCursor: null });
  });

  it('when a calendar is created, then it is 201 and readable by its owner only (others get 404)', async () => {
    const res = await create(ann, { name: 'Work', description: 'Office hours' });
    expect(res.statusCode).toBe(201);
    const cal = res.json();
    expect(cal).toMatchObject({ name: 'Work', description: 'Office hours', timeZone: 'Europe/Paris', isPrimary: false, ownerId: ann.id });
    expect((await ann.request({ method: 'GET', url: `/calendars/${cal.id}` })).json()).toEqual(cal);
    const other = await bob.request({ method: 'GET', url: `/calendars/${cal.id}` });
    expect(other.statusCode).toBe(404);
    expect(other.headers['content-type']).toMatch(/problem\+json/);
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const r = await bob.request({ method, url: `/calendars/${cal.id}`, payload: method === 'DELETE' ? undefined : { name: 'Hijack' } });
      expect(r.statusCode).toBe(404);
    }
  });

  it('when PATCH changes one field, then only it changes; PUT replaces (description cleared)', async () => {
    const cal = (await create(ann, { name: 'Gym', description: 'Leg day', timeZone: 'America/New_York' })).json();
    const patched = await ann.request({ method: 'PATCH', url: `/calendars/${cal.id}`, payload: { name: 'Sport' } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Sport', description: 'Leg day', timeZone: 'America/New_York' });
    const put = await ann.request({ method: 'PUT', url: `/calendars/${cal.id}`, payload: { name: 'Sport 2' } });
    expect(put.json()).toMatchObject({ name: 'Sport 2', description: null });
  });

  it.each([
    ['a 201-character name', { name: 'x'.repeat(201) }, '/name'],
    ['a 5001-character description', { name: 'ok', description: 'd'.repeat(5001) }, '/description'],
    ['an unknown time zone', { name: 'ok', timeZone: 'Europe/Atlantis' }, '/timeZone'],
    ['an offset as time zone', { name: 'ok', timeZone: '+01:00' }, '/timeZone'],
    ['an unknown field', { name: 'ok', owner: 'me' }, '/owner'],
    ['an array for a string', { name: ['array'] }, '/name'],
    ['a number for a string', { name: 42 }, '/name'],
    ['no name', {}, '/name'],
  ])('when the body has %s, then it is a 400 naming the field', async (_case, payload, path) => {
    const res = await create(ann, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  });

  it('when the path id is not a UUID, then it is a 400', async () => {
    const res = await ann.request({ method: 'GET', url: '/calendars/not-a-uuid' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('/params/calendarId');
  });

  it('when the body is not JSON, too large or malformed, then it is 415, 413 or 400 — never 5xx', async () => {
    const text = await ann.request({ method: 'POST', url: '/calendars', headers: { 'content-type': 'text/plain' }, payload: 'name=x' });
    expect(text.statusCode).toBe(415);
    const big = await ann.request({ method: 'POST', url: '/calendars', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x', description: 'y'.repeat(1_100_000) }) });
    expect(big.statusCode).toBe(413);
    const broken = await ann.request({ method: 'POST', url: '/calendars', headers: { 'content-type': 'application/json' }, payload: '{"name":' });
    expect(broken.statusCode).toBe(400);
    for (const r of [text, big, broken]) expect(r.headers['content-type']).toMatch(/problem\+json/);
  });

  it('when the primary calendar is deleted, then it is a 409 and it stays', async () => {
    const res = await ann.request({ method: 'DELETE', url: `/calendars/${ann.primaryCalendarId}` });
    expect(res.statusCode).toBe(409);
    expect((await ann.request({ method: 'GET', url: `/calendars/${ann.primaryCalendarId}` })).statusCode).toBe(200);
  });

  it('when a calendar is deleted, then it is 204 and its entries are gone', async () => {
    const cal = (await create(ann, { name: 'Temp' })).json();
    const entry = (await ann.request({ method: 'POST', url: `/calendars/${cal.id}/entries`, payload: { title: 'x', start: '2026-05-01T10:00:00Z', duration: 'PT1H' } })).json();
    expect((await ann.request({ method: 'DELETE', url: `/calendars/${cal.id}` })).statusCode).toBe(204);
    expect((await ann.request({ method: 'GET', url: `/calendars/${cal.id}` })).statusCode).toBe(404);
    const count = await t.orm.em.fork().getConnection().execute('select count(*)::int as n from events where id = ?', [entry.id]);
    expect(count[0].n).toBe(0);
  });

  it('when listing with a limit, then pages follow the cursor; a forged cursor, limit 0 or 501 is a 400', async () => {
    const u = await registerUser(t.app);
    for (const name of ['A', 'B', 'C']) await create(u, { name });
    const first = (await u.request({ method: 'GET', url: '/calendars?limit=2' })).json();
    expect(first.items).toHaveLength(2);
    expect(first.items[0].isPrimary).toBe(true);
    const second = (await u.request({ method: 'GET', url: `/calendars?limit=2&cursor=${first.nextCursor}` })).json();
    expect(second.items.map((c: { name: string }) => c.name)).toEqual(['B', 'C']);
    expect(second.nextCursor).toBeNull();
    const forged = first.nextCursor.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A'));
    for (const query of [`cursor=${forged}`, 'cursor=abc', 'limit=0', 'limit=501', 'limit=-1', 'limit=ten']) {
      expect((await u.request({ method: 'GET', url: `/calendars?${query}` })).statusCode).toBe(400);
    }
    // a cursor of another list is refused too
    expect((await bob.request({ method: 'GET', url: `/users?cursor=${first.nextCursor}` })).statusCode).toBe(400);
  });

  it('when a GET is repeated with If-None-Match, then it is a 304; a write with a stale If-Match is a 412', async () => {
    const cal = (await create(ann, { name: 'Etag' })).json();
    const got = await ann.request({ method: 'GET', url: `/calendars/${cal.id}` });
    const etag = got.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await ann.request({ method: 'GET', url: `/calendars/${cal.id}`, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    const ok = await ann.request({ method: 'PATCH', url: `/calendars/${cal.id}`, headers: { 'if-match': etag }, payload: { name: 'Etag 2' } });
    expect(ok.statusCode).toBe(200);
    const stale = await ann.request({ method: 'PATCH', url: `/calendars/${cal.id}`, headers: { 'if-match': etag }, payload: { name: 'Etag 3' } });
    expect(stale.statusCode).toBe(412);
    expect((await ann.request({ method: 'GET', url: `/calendars/${cal.id}` })).json().name).toBe('Etag 2');
    expect((await ann.request({ method: 'GET', url: `/calendars/${cal.id}`, headers: { 'if-none-match': etag } })).statusCode).toBe(200);
    expect((await ann.request({ method: 'DELETE', url: `/calendars/${cal.id}`, headers: { 'if-match': etag } })).statusCode).toBe(412);
  });
});
