import { createTestApp, graphql, registerUser, type TestApp, type TestUser } from '../../helpers/app';

/**
 * POST /meetingSuggestions and GraphQL `meetingSuggestions`: slots where every required attendee is
 * free inside its own working hours, in its own time zone, ranked by optional attendees free.
 * Paris is UTC+1 and New York UTC-5 until 14 March 2027 (US DST), UTC-4 after; Paris changes on 28 March.
 */
describe('meeting suggestions', () => {
  let t: TestApp;
  let paris: TestUser;
  let newYork: TestUser;
  let london: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ ADMIN_EMAILS: 'slots-admin@example.com' });
    paris = await registerUser(t.app, { name: 'Paris', timeZone: 'Europe/Paris' });
    newYork = await registerUser(t.app, { name: 'New York', timeZone: 'America/New_York' });
    london = await registerUser(t.app, { name: 'London', timeZone: 'UTC' });
    admin = await registerUser(t.app, { name: 'Admin', email: 'slots-admin@example.com' });
    const busy = async (u: TestUser, start: string, end: string) => {
      const res = await u.request({ method: 'POST', url: '/events', payload: { title: 'Busy', start, end } });
      if (res.statusCode !== 201) throw new Error(res.body);
    };
    await busy(paris, '2027-03-01T14:00:00Z', '2027-03-01T15:00:00Z');
    await busy(london, '2027-03-02T14:00:00Z', '2027-03-02T15:30:00Z');
  }, 60_000);
  afterAll(() => t.close());

  const suggest = (u: TestUser, payload: Record<string, unknown>) => u.request({ method: 'POST', url: '/meetingSuggestions', payload: { duration: 'PT1H', ...payload } });
  const slot = (start: string, end: string, optional: string[] = []) => ({ start: `2027-03-${start}:00.000Z`, end: `2027-03-${end}:00.000Z`, availableOptionalAttendees: optional });

  it('when two zones overlap two hours a day and one attendee is optional, then slots come from the overlap, the optional one\'s first', async () => {
    // Paris works 08:00–16:00Z, New York 14:00–22:00Z: 14:00–16:00Z in common; Paris is busy Monday 14:00–15:00Z.
    const res = await suggest(london, {
      attendees: [{ userId: paris.id }, { userId: newYork.id }, { userId: london.id, optional: true }],
      timeMin: '2027-03-01T00:00:00Z',
      timeMax: '2027-03-03T00:00:00Z',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      suggestions: [slot('01T15:00', '01T16:00', [london.id]), slot('02T14:00', '02T15:00'), slot('02T14:30', '02T15:30'), slot('02T15:00', '02T16:00')],
    });
  });

  it('when New York moves to summer time and Paris does not, then its 09:00 is an hour earlier in UTC', async () => {
    // Friday 12 March: 14:00–16:00Z in common; Monday 15 March: New York starts 13:00Z.
    const res = await suggest(paris, { attendees: [{ userId: paris.id }, { userId: newYork.id }], duration: 'PT3H', timeMin: '2027-03-12T00:00:00Z', timeMax: '2027-03-16T00:00:00Z' });
    expect(res.json()).toEqual({ suggestions: [slot('15T13:00', '15T16:00')] });
  });

  it('when a user sets its working hours, then suggestions follow them, and a request may override everyone\'s', async () => {
    const set = await newYork.request({ method: 'PUT', url: '/me/working-hours', payload: { daysOfWeek: ['tuesday'], startTime: '06:00', endTime: '11:00' } });
    expect(set.statusCode).toBe(200);
    // New York: Tuesday 11:00–16:00Z; Paris 08:00–16:00Z.
    const own = await suggest(paris, { attendees: [{ userId: paris.id }, { userId: newYork.id }], duration: 'PT4H30M', timeMin: '2027-03-01T00:00:00Z', timeMax: '2027-03-08T00:00:00Z', limit: 5 });
    expect(own.json()).toEqual({ suggestions: [slot('02T11:00', '02T15:30'), slot('02T11:30', '02T16:00')] });
    const anyTime = await suggest(paris, {
      attendees: [{ userId: paris.id }, { userId: newYork.id }],
      duration: 'PT12H',
      timeMin: '2027-03-06T00:00:00Z',
      timeMax: '2027-03-07T00:00:00Z',
      workingHours: { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'], startTime: '00:00', endTime: '24:00' },
      limit: 1,
    });
    expect(anyTime.json()).toEqual({ suggestions: [slot('06T00:00', '06T12:00')] });
    expect((await newYork.request({ method: 'DELETE', url: '/me/working-hours' })).statusCode).toBe(204);
  });

  it('when GraphQL asks the same, then it answers the same', async () => {
    const input = { attendees: [{ userId: paris.id }, { userId: newYork.id }, { userId: london.id, optional: true }], duration: 'PT1H', timeMin: '2027-03-01T00:00:00Z', timeMax: '2027-03-03T00:00:00Z', limit: 2 };
    const { body } = await graphql(t.app, `query($input: MeetingSuggestionsInput!) { meetingSuggestions(input: $input) { start end availableOptionalAttendees } }`, { input }, london);
    expect(body.errors).toBeUndefined();
    expect(body.data?.meetingSuggestions).toEqual([slot('01T15:00', '01T16:00', [london.id]), slot('02T14:00', '02T15:00')]);
  });

  it('when an attendee does not exist, then it is a 404 naming it', async () => {
    const res = await suggest(paris, { attendees: [{ userId: paris.id }, { userId: '00000000-0000-4000-8000-000000000000' }], timeMin: '2027-03-01T00:00:00Z', timeMax: '2027-03-02T00:00:00Z' });
    expect(res.statusCode).toBe(404);
    expect(res.json().errors).toEqual([{ path: '/attendees/1/userId', message: 'no such user' }]);
  });

  it.each([
    ['only optional attendees', { attendees: [{ userId: 'P', optional: true }] }, '/attendees'],
    ['an attendee twice', { attendees: [{ userId: 'P' }, { userId: 'P', optional: true }] }, '/attendees/1/userId'],
    ['a duration in days', { duration: 'P1D' }, '/duration'],
    ['a duration over a day', { duration: 'PT25H' }, '/duration'],
    ['a malformed duration', { duration: 'an hour' }, '/duration'],
    ['a window of 63 days', { timeMax: '2027-05-03T00:00:00Z' }, '/timeMax'],
    ['working hours ending before they start', { workingHours: { daysOfWeek: ['monday'], startTime: '17:00', endTime: '09:00' } }, '/workingHours/endTime'],
    ['a limit of 101', { limit: 101 }, '/limit'],
    ['an unknown field', { organizer: 'me' }, ''],
  ])('when the request has %s, then it is a 400 naming the field', async (_, payload, path) => {
    const fixed = JSON.parse(JSON.stringify({ attendees: [{ userId: paris.id }], timeMin: '2027-03-01T00:00:00Z', timeMax: '2027-03-02T00:00:00Z', ...payload }).replaceAll('"P"', `"${paris.id}"`));
    const res = await suggest(paris, fixed);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((res.json().errors ?? []).map((e: { path: string }) => e.path).join(' ')).toContain(path);
  });

  describe('working hours', () => {
    it('when a user has not set any, then anyone reads the default in the user\'s time zone', async () => {
      const res = await london.request({ method: 'GET', url: `/users/${paris.id}/working-hours` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ userId: paris.id, timeZone: 'Europe/Paris', daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '09:00', endTime: '17:00', isDefault: true });
    });

    it('when someone else sets a user\'s hours, then it is a 404, unless an admin', async () => {
      const hours = { daysOfWeek: ['saturday'], startTime: '10:00', endTime: '12:00' };
      expect((await london.request({ method: 'PUT', url: `/users/${paris.id}/working-hours`, payload: hours })).statusCode).toBe(404);
      const byAdmin = await admin.request({ method: 'PUT', url: `/users/${paris.id}/working-hours`, payload: hours });
      expect(byAdmin.statusCode).toBe(200);
      expect(byAdmin.json()).toMatchObject({ ...hours, isDefault: false });
      expect((await paris.request({ method: 'GET', url: '/me/working-hours' })).json()).toMatchObject({ ...hours, isDefault: false });
      expect((await paris.request({ method: 'DELETE', url: `/users/${paris.id}/working-hours` })).statusCode).toBe(204);
      expect((await paris.request({ method: 'GET', url: '/me/working-hours' })).json()).toMatchObject({ isDefault: true, startTime: '09:00' });
    });

    it.each([
      [{ daysOfWeek: ['monday'], startTime: '17:00', endTime: '09:00' }, '/endTime'],
      [{ daysOfWeek: ['funday'], startTime: '09:00', endTime: '17:00' }, '/daysOfWeek/0'],
      [{ daysOfWeek: ['monday'], startTime: '9:00', endTime: '17:00' }, '/startTime'],
      [{ daysOfWeek: ['monday'], startTime: '24:00', endTime: '24:00' }, '/startTime'],
    ])('when working hours are invalid (%j), then it is a 400', async (payload, path) => {
      const res = await paris.request({ method: 'PUT', url: '/me/working-hours', payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { path: string }) => e.path).join(' ')).toContain(path);
    });

    it('when GraphQL sets and reads working hours, then they are the REST ones', async () => {
      const set = await graphql(t.app, `mutation { setWorkingHours(input: { daysOfWeek: [monday, friday], startTime: "08:30", endTime: "24:00" }) { daysOfWeek startTime endTime isDefault timeZone } }`, {}, london);
      expect(set.body.data?.setWorkingHours).toEqual({ daysOfWeek: ['monday', 'friday'], startTime: '08:30', endTime: '24:00', isDefault: false, timeZone: 'UTC' });
      expect((await paris.request({ method: 'GET', url: `/users/${london.id}/working-hours` })).json()).toMatchObject({ daysOfWeek: ['monday', 'friday'], startTime: '08:30' });
      const read = await graphql(t.app, `query($id: UUID) { workingHours(userId: $id) { startTime } }`, { id: london.id }, paris);
      expect(read.body.data?.workingHours).toEqual({ startTime: '08:30' });
      const other = await graphql(t.app, `mutation($id: UUID) { setWorkingHours(userId: $id, input: { daysOfWeek: [], startTime: "08:00", endTime: "09:00" }) { isDefault } }`, { id: london.id }, paris);
      expect(other.body.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
      const bad = await graphql(t.app, `mutation { setWorkingHours(input: { daysOfWeek: [], startTime: "10:00", endTime: "09:00" }) { isDefault } }`, {}, london);
      expect(bad.body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
      expect((await graphql(t.app, `mutation { resetWorkingHours { isDefault } }`, {}, london)).body.data?.resetWorkingHours).toEqual({ isDefault: true });
    });
  });
});
