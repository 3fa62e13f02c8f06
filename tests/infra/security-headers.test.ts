// Helmet's default security headers are on every response: a public route, an authenticated one, an
// error and GraphQL (src/app.ts builds Helmet's middleware once and runs it on each request).
import { createTestApp, registerUser, type TestApp } from '../helpers/app';

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('when any route answers, then it carries Helmet\'s defaults (CSP, HSTS, nosniff, frame options)', async () => {
    const u = await registerUser(t.app);
    const responses = [
      await t.app.inject({ method: 'GET', url: '/healthz' }),
      await u.request({ method: 'GET', url: `/calendars/${u.primaryCalendarId}/entries?start=2027-01-01T00:00:00Z&end=2027-01-08T00:00:00Z` }),
      await t.app.inject({ method: 'GET', url: '/calendars' }),
      await u.request({ method: 'POST', url: '/graphql', payload: { query: '{ __typename }' } }),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 401, 200]);
    for (const r of responses) {
      expect(r.headers['content-security-policy']).toContain("default-src 'self'");
      expect(r.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
    }
  });
});
