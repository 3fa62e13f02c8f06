import { countQueries, createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../../helpers/app';

/**
 * No n+1 in free/busy and meeting suggestions: the statements of one request do not grow with the
 * number of attendees or of their entries (single entries, series and overrides).
 */
describe('SQL statements of free/busy and meeting suggestions', () => {
  let t: TestApp;
  let users: TestUser[];
  const window = { timeMin: '2027-06-07T00:00:00Z', timeMax: '2027-06-12T00:00:00Z' };

  beforeAll(async () => {
    t = await createTestApp();
    users = [];
    for (let i = 0; i < 6; i++) users.push(await registerUser(t.app, { timeZone: i % 2 ? 'Europe/Paris' : 'America/New_York' }));
    // The first two users have one entry and a series each; the other four many entries too, and an override.
    for (const [i, u] of users.entries()) {
      const entries = i < 2 ? 1 : 12;
      for (let k = 0; k < entries; k++) {
        const day = String(7 + (k % 5)).padStart(2, '0');
        const hour = String(6 + Math.floor(k / 5) * 2).padStart(2, '0');
        const res = await u.request({ method: 'POST', url: '/events', payload: { title: `e${k}`, start: `2027-06-${day}T${hour}:00:00Z`, duration: 'PT30M', participants: [{ userId: users[(i + 1) % users.length]!.id, role: 'optional' }] } });
        if (res.statusCode !== 201) throw new Error(res.body);
      }
      const series = await u.request({ method: 'POST', url: '/events', payload: { title: 'daily', start: '2027-06-07T20:00:00Z', duration: 'PT30M', timeZone: 'UTC', recurrence: { frequency: 'daily' } } });
      if (i >= 2) {
        const moved = await u.request({ method: 'PATCH', url: `/events/${series.json().id}_20270608T200000Z`, payload: { start: '2027-06-08T21:00:00Z' } });
        if (moved.statusCode !== 200) throw new Error(moved.body);
      }
    }
  }, 120_000);
  afterAll(() => t.close());

  async function count(url: string, payload: Record<string, unknown>) {
    const { result, count } = await countQueries(t.orm, () => users[0]!.request({ method: 'POST', url, payload }));
    expect(result.statusCode).toBe(200);
    return { count, body: result.json() };
  }

  it('when free/busy asks for 2 users with one entry or 6 users with many, then it sends the same statements', async () => {
    const few = await count('/freeBusy', { ...window, items: users.slice(0, 2).map((u) => ({ userId: u.id })) });
    const many = await count('/freeBusy', { ...window, items: users.map((u) => ({ userId: u.id })) });
    expect(many.body.items[5].busy.length).toBeGreaterThan(10);
    expect(many.count).toBe(few.count);
    expect(few.count).toBeLessThanOrEqual(4); // users, busy singles, series, overrides
  });

  it('when free/busy asks for one calendar or for all six, then it sends the same statements', async () => {
    const calendars = await users[0]!.request({ method: 'POST', url: '/calendars', payload: { name: 'Second' } });
    const one = await count('/freeBusy', { ...window, items: [{ calendarId: users[0]!.primaryCalendarId }] });
    const six = await count('/freeBusy', { ...window, items: [...users.map((u) => ({ calendarId: u.primaryCalendarId })), { calendarId: calendars.json().id }] });
    expect(one.body.items[0].busy.length).toBeGreaterThan(5);
    expect(six.body.items.filter((i: { errors?: unknown }) => i.errors)).toHaveLength(5);
    expect(six.count).toBe(one.count);
  });

  it('when suggestions are asked for 2 or 6 attendees, then they send the same statements', async () => {
    const ask = (attendees: TestUser[]) => count('/meetingSuggestions', { ...window, duration: 'PT30M', workingHours: { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '00:00', endTime: '24:00' }, attendees: attendees.map((u, i) => ({ userId: u.id, optional: i > 0 })) });
    const [few, many] = [await ask(users.slice(0, 2)), await ask(users)];
    expect(many.body.suggestions.length).toBeGreaterThan(0);
    expect(many.count).toBe(few.count);
    const own = await count('/meetingSuggestions', { ...window, duration: 'PT30M', attendees: users.map((u) => ({ userId: u.id, optional: true })).map((a, i) => ({ ...a, optional: i > 0 })) });
    expect(own.count).toBe(few.count + 1); // their working hours
  });

  it('when GraphQL reads User.workingHours for 2 or 6 users, then it sends the same statements', async () => {
    await users[3]!.request({ method: 'PUT', url: '/me/working-hours', payload: { daysOfWeek: ['sunday'], startTime: '07:00', endTime: '08:00' } });
    const read = (first: number) => countQueries(t.orm, () => graphql(t.app, `query($first: Int!) { users(first: $first) { nodes { id workingHours { startTime isDefault timeZone } } } }`, { first }, users[0]));
    const [two, six] = [await read(2), await read(6)];
    expect(six.result.body.errors).toBeUndefined();
    expect(six.result.body.data?.users.nodes).toHaveLength(6);
    expect(six.count).toBe(two.count);
    const me = await graphql(t.app, '{ me { workingHours { startTime daysOfWeek isDefault } } }', {}, users[3]);
    expect(me.body.data?.me.workingHours).toEqual({ startTime: '07:00', daysOfWeek: ['sunday'], isDefault: false });
  });
});
