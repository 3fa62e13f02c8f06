import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { App } from '../../../src/app';
import { registerUser, type TestUser } from '../../helpers/app';

/** A user created by an admin with a chosen sign-up date, logged in. */
export interface Member {
  id: string;
  token: string;
  primaryCalendarId: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

/** A unique suffix so rule names (unique in the database) do not collide across files and runs. */
export const RUN = randomUUID().slice(0, 8);

/** Registers the admin of a test file: `email` must be in the app's ADMIN_EMAILS. */
export async function registerAdmin(app: App, email: string): Promise<TestUser> {
  return registerUser(app, { email, name: 'Admin' });
}

export async function createMember(app: App, admin: TestUser, fields: { signedUpAt: string; timeZone?: string; name?: string }): Promise<Member> {
  const email = `member-${randomUUID()}@example.com`;
  const created = await admin.request({ method: 'POST', url: '/users', payload: { name: fields.name ?? 'Member', email, password: 'correct horse', timeZone: fields.timeZone ?? 'UTC', signedUpAt: fields.signedUpAt } });
  if (created.statusCode !== 201) throw new Error(`create user failed: ${created.statusCode} ${created.body}`);
  const login = await app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: 'correct horse' } });
  const token = login.json().accessToken as string;
  const request = (opts: InjectOptions) => app.inject({ ...opts, headers: { authorization: `Bearer ${token}`, ...opts.headers } });
  const calendars = (await request({ method: 'GET', url: '/calendars' })).json();
  return { id: created.json().id, token, primaryCalendarId: calendars.items[0].id, request };
}

/** Creates a rule as `admin` (name made unique with {@link RUN}) and returns its id. */
export async function createRule(admin: TestUser, rule: { name: string; eventType: string; offsetDays: number; repeat?: 'none' | 'yearly' }): Promise<string> {
  const res = await admin.request({ method: 'POST', url: '/event-rules', payload: { ...rule, name: `${rule.name} ${RUN}` } });
  if (res.statusCode !== 201) throw new Error(`create rule failed: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

export async function link(admin: TestUser, userId: string, ruleId: string): Promise<void> {
  const res = await admin.request({ method: 'PUT', url: `/users/${userId}/event-rules/${ruleId}` });
  if (res.statusCode !== 200) throw new Error(`link failed: ${res.statusCode} ${res.body}`);
}

export async function subscribe(admin: TestUser, userId: string, sub: { offer?: string; startsAt: string; endsAt?: string | null }): Promise<string> {
  const res = await admin.request({ method: 'POST', url: `/users/${userId}/subscriptions`, payload: { offer: 'Premium', ...sub } });
  if (res.statusCode !== 201) throw new Error(`subscribe failed: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

/** An entry the member hosts in its primary calendar. */
export async function meeting(member: Member, start: string, duration = 'PT1H'): Promise<string> {
  const res = await member.request({ method: 'POST', url: `/calendars/${member.primaryCalendarId}/entries?force=true`, payload: { title: 'Meeting', start, duration } });
  if (res.statusCode !== 201) throw new Error(`meeting failed: ${res.statusCode} ${res.body}`);
  return res.json().id;
}
