import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/**
 * The bench's data. Everything a user could create goes through the service's API (users, calendars,
 * series, one template entry per bulk); the bulks are then cloned from their template in SQL
 * (`jsonb_populate_record` over the template row, in a LATERAL join so it runs once a row, so columns added later keep the service's own
 * values), because 120,000 POSTs would take longer than the whole benchmark.
 */
export interface SeedSizes {
  /** Single entries of each listing calendar (spread over 2027, about 27 a day, 30 minutes each). */
  singles: number;
  /** Endless series in the second listing calendar (even: daily, odd: weekly; Europe/Paris). */
  series: number;
  /** Single entries of each calendar the overlap-checked insert is timed in (28 a day, densest first). */
  insert: number[];
  /** Events hosted by the GraphQL user, each with the host and 4 of the guests as participants. */
  graphqlEvents: number;
  /** Users the GraphQL events invite, a multiple of 4 (4 each, rotating). */
  guests: number;
}

/** The sizes of issue 13. */
export const FULL_SIZES: SeedSizes = { singles: 10_000, series: 50, insert: [1_000, 10_000, 100_000], graphqlEvents: 1_000, guests: 20 };

const SLOTS_PER_DAY = 28;

export interface BenchUser {
  id: string;
  token: string;
}

export interface BenchData {
  /** Owns every calendar below. */
  owner: BenchUser;
  /** 10,000 singles. */
  singlesCalendarId: string;
  /** The same singles plus the endless series. */
  seriesCalendarId: string;
  /** Calendars of 1k, 10k, 100k singles for the overlap-checked insert. */
  insertCalendars: { entries: number; calendarId: string }[];
  /** Hosts the GraphQL events. */
  graphqlHost: BenchUser;
}

/** One HTTP call to the service: over the network in the bench, `app.inject` in the smoke test. */
export type ApiCall = (method: string, url: string, body?: unknown, token?: string) => Promise<{ status: number; body: any }>;

/** {@link ApiCall} over HTTP to `base`. */
export function httpApi(base: string): ApiCall {
  return async (method, url, body, token) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(token && { authorization: `Bearer ${token}` }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

/** Calls the API and insists on a 2xx. */
async function must(api: ApiCall, method: string, url: string, body?: unknown, token?: string): Promise<any> {
  const res = await api(method, url, body, token);
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function register(api: ApiCall, name: string): Promise<BenchUser> {
  const { user, accessToken } = await must(api, 'POST', '/auth/register', { name, email: `bench-${randomUUID()}@example.com`, password: 'correct horse battery' });
  return { id: user.id, token: accessToken };
}

/**
 * Creates the database of `url` when it does not exist and empties its `public` schema. Refuses a
 * database whose name does not contain `bench`, so a mistyped URL cannot wipe real data.
 */
export async function resetBenchDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/bench/.test(name)) throw new Error(`refusing to reset database "${name}": the bench database's name must contain "bench"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const server = new Client({ connectionString: admin.toString() });
  await server.connect();
  try {
    const exists = await server.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await server.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await server.end();
  }
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    await db.query('drop schema if exists public cascade; create schema public;');
  } finally {
    await db.end();
  }
}

/**
 * Clones the entry `templateId` (created through the API, with its participant rows) `n` times in its
 * calendar, then deletes the template: entry `i` is `Entry i`, on day `i % days` after `firstDay`,
 * starting 07:00Z plus 30 minutes per `floor(i / days)`, for 30 minutes. One statement.
 */
async function cloneSingles(db: Client, templateId: string, n: number, firstDay: string, days: number): Promise<void> {
  if (Math.ceil(n / days) > SLOTS_PER_DAY) throw new Error(`${n} entries do not fit ${days} days`);
  await db.query(
    `with src as (
       select i, gen_random_uuid() as id, $3::timestamptz + (i % $4) * interval '1 day' + (i / $4) * interval '30 minutes' as start_at
       from generate_series(0, $2::int - 1) i
     ), ins as (
       insert into events
       select r.* from events t cross join src
       cross join lateral jsonb_populate_record(null::events, to_jsonb(t) || jsonb_build_object(
         'id', src.id, 'title', 'Entry ' || src.i, 'start_at', src.start_at, 'end_at', src.start_at + interval '30 minutes')) r
       where t.id = $1
     )
     insert into participants
     select r.* from src cross join participants p
     cross join lateral jsonb_populate_record(null::participants, to_jsonb(p) || jsonb_build_object('event_id', src.id)) r
     where p.event_id = $1`,
    [templateId, n, `${firstDay}T07:00:00Z`, days],
  );
  await db.query('delete from events where id = $1', [templateId]);
}

/**
 * Clones the event `templateId` (host plus 4 guests) `n` times: event `i` starts on day `i % 200`
 * after 1 March 2027 at 08:00Z plus one hour per `floor(i / 200)`, and invites the guests
 * `i + k * guests / 4 (mod guests)` for k = 0…3. One statement, then the template goes.
 */
async function cloneMeetings(db: Client, templateId: string, n: number, guestIds: string[]): Promise<void> {
  if (guestIds.length < 4 || guestIds.length % 4) throw new Error('the guests must be a multiple of 4');
  await db.query(
    `with src as (
       select i, gen_random_uuid() as id, timestamptz '2027-03-01T08:00:00Z' + (i % 200) * interval '1 day' + (i / 200) * interval '1 hour' as start_at
       from generate_series(0, $2::int - 1) i
     ), ins as (
       insert into events
       select r.* from events t cross join src
       cross join lateral jsonb_populate_record(null::events, to_jsonb(t) || jsonb_build_object(
         'id', src.id, 'title', 'Meeting ' || src.i, 'start_at', src.start_at, 'end_at', src.start_at + interval '30 minutes')) r
       where t.id = $1
     ), template as (
       select p.*, case when p.is_host then null else row_number() over (partition by p.is_host order by p.user_id) - 1 end as rn
       from participants p where p.event_id = $1
     )
     insert into participants
     select r.* from src cross join template p
     cross join lateral jsonb_populate_record(null::participants, to_jsonb(p) || jsonb_build_object('event_id', src.id)
       || case when p.is_host then '{}'::jsonb else jsonb_build_object('user_id', ($3::uuid[])[((src.i + $4::int * p.rn) % $5::int) + 1]) end) r`,
    [templateId, n, guestIds, guestIds.length / 4, guestIds.length],
  );
  await db.query('delete from events where id = $1', [templateId]);
}

/** A calendar of the owner with `n` singles from `firstDay` over `days` days. */
async function calendarOfSingles(api: ApiCall, db: Client, owner: BenchUser, name: string, n: number, firstDay: string, days: number): Promise<string> {
  const { id } = await must(api, 'POST', '/calendars', { name, timeZone: 'UTC' }, owner.token);
  const template = await must(api, 'POST', `/calendars/${id}/entries?force=true`, { title: 'Template', start: `${firstDay}T07:00:00Z`, duration: 'PT30M' }, owner.token);
  await cloneSingles(db, template.id, n, firstDay, days);
  return id;
}

/**
 * Seeds a migrated, empty (or shared: nothing is deleted but the templates) database through the
 * service at `api` and the SQL connection `dbUrl`. Takes about 20 s at {@link FULL_SIZES}.
 */
export async function seed(api: ApiCall, dbUrl: string, sizes: SeedSizes, log: (step: string) => void = () => {}): Promise<BenchData> {
  const began = Date.now();
  const step = (name: string) => log(`${((Date.now() - began) / 1000).toFixed(1)} s: ${name}`);
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  try {
    const owner = await register(api, 'Bench Owner');
    const singlesCalendarId = await calendarOfSingles(api, db, owner, 'Singles', sizes.singles, '2027-01-01', 365);
    const seriesCalendarId = await calendarOfSingles(api, db, owner, 'Singles and series', sizes.singles, '2027-01-01', 365);
    step('listing calendars');
    for (let k = 0; k < sizes.series; k++) {
      const minutes = 6 * 60 + 13 * k; // 06:00 to 16:37 local: never in a DST gap or overlap
      const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      await must(api, 'POST', `/calendars/${seriesCalendarId}/entries?force=true`, {
        title: `Series ${k}`,
        start: `2026-01-${String(5 + (k % 7)).padStart(2, '0')}T${time}:00+01:00`,
        duration: 'PT45M',
        timeZone: 'Europe/Paris',
        recurrence: { frequency: k % 2 === 0 ? 'daily' : 'weekly' },
      }, owner.token);
    }
    step('series');
    const insertCalendars = [];
    for (const entries of sizes.insert) {
      const calendarId = await calendarOfSingles(api, db, owner, `Insert ${entries}`, entries, '2022-01-01', Math.ceil(entries / SLOTS_PER_DAY));
      insertCalendars.push({ entries, calendarId });
    }

    step('insert calendars');
    const graphqlHost = await register(api, 'GraphQL Host');
    const guests: BenchUser[] = [];
    for (let g = 0; g < sizes.guests; g++) guests.push(await register(api, `Guest ${g}`));
    const template = await must(api, 'POST', '/events', {
      title: 'Template',
      start: '2027-03-01T08:00:00Z',
      duration: 'PT30M',
      participants: guests.slice(0, 4).map((g) => ({ userId: g.id, role: 'optional' })),
    }, graphqlHost.token);
    step('GraphQL users');
    await cloneMeetings(db, template.id, sizes.graphqlEvents, guests.map((g) => g.id));
    await db.query('analyze');
    step('GraphQL events');
    return { owner, singlesCalendarId, seriesCalendarId, insertCalendars, graphqlHost };
  } finally {
    await db.end();
  }
}
