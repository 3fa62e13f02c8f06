/**
 * `npm run bench:suggestions`: free/busy and meeting suggestions for 10 attendees with 5,000 entries
 * each over a two-week window (issue 15), against an anchor in the same run: the bare SQL statement
 * that reads those entries (start and end of every entry the 10 users attend in the window), sent by
 * this process over its own connection. The service runs as its own process (built, production, no
 * cache) on a database of its own, `<DATABASE_URL's name>_bench_slots` (emptied every run).
 *
 *   npm run bench:suggestions              # 3 warm-up and 15 timed rounds, about 2 minutes
 *   npm run bench:suggestions -- --quick   # 1 warm-up and 3 timed rounds
 *
 * Requests are sequential (one at a time), so the figure is the latency of one request on an idle
 * service; the ratio to the anchor is what compares across machines.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { median } from './harness/load';
import { answers, distRoot, runToEnd, startServer } from './harness/processes';
import { type ApiCall, httpApi, resetBenchDatabase } from './harness/seed';

const ATTENDEES = 10;
const ENTRIES_PER_ATTENDEE = 5_000;
const DAYS = 14;
const WINDOW = { timeMin: '2027-03-01T00:00:00Z', timeMax: '2027-03-15T00:00:00Z' };
/** Attendees' zones: their 09:00–17:00 overlap 18:00–22:00Z, the part of the day the seed leaves free. */
const ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles'];
/** The last attendees are optional, and each has a daily series in the common free time. */
const OPTIONAL = 3;

function databaseUrl(): string {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL: its server hosts the bench database');
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `${url.pathname.replace(/\/$/, '')}_bench_slots`;
  return url.toString();
}

async function must(api: ApiCall, method: string, url: string, body?: unknown, token?: string): Promise<any> {
  const res = await api(method, url, body, token);
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Seeds `ENTRIES_PER_ATTENDEE` entries for the user by cloning one template entry (made through the
 * API, with its participant row) in SQL: entry `i` is on day `i % DAYS`, at 00:00Z + 3 minutes ×
 * `floor(i / DAYS)` + `shift` minutes, for 2 minutes, so each day is busy in many small pieces from
 * midnight to about 18:00Z and free after.
 */
async function seedEntries(db: Client, api: ApiCall, user: { token: string; calendarId: string }, shift: number): Promise<void> {
  const template = await must(api, 'POST', `/calendars/${user.calendarId}/entries?force=true`, { title: 'Template', start: '2027-03-01T00:00:00Z', duration: 'PT2M' }, user.token);
  await db.query(
    `with src as (
       select gen_random_uuid() as id, $3::timestamptz + (i % $4) * interval '1 day' + ((i / $4) * 3 + $5) * interval '1 minute' as start_at
       from generate_series(0, $2::int - 1) i
     ), ins as (
       insert into events
       select r.* from events t cross join src
       cross join lateral jsonb_populate_record(null::events, to_jsonb(t) || jsonb_build_object('id', src.id, 'title', 'Entry', 'start_at', src.start_at, 'end_at', src.start_at + interval '2 minutes')) r
       where t.id = $1
     )
     insert into participants
     select r.* from src cross join participants p
     cross join lateral jsonb_populate_record(null::participants, to_jsonb(p) || jsonb_build_object('event_id', src.id)) r
     where p.event_id = $1`,
    [template.id, ENTRIES_PER_ATTENDEE, WINDOW.timeMin, DAYS, shift],
  );
  await db.query('delete from events where id = $1', [template.id]);
}

/** Median and 90th percentile of `samples` in ms. */
function stats(samples: number[]): { median: number; p90: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: median(samples), p90: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))]! };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const [warmup, rounds] = quick ? [1, 3] : [3, 15];
  const dbUrl = databaseUrl();
  const common = { DATABASE_URL: dbUrl, JWT_SECRET: randomBytes(32).toString('base64url'), NODE_ENV: 'production' };
  process.stderr.write(`bench database ${new URL(dbUrl).pathname.slice(1)}: resetting, migrating, seeding…\n`);
  await resetBenchDatabase(dbUrl);
  await runToEnd(path.join(distRoot, 'src/migrate.js'), common);
  const service = await startServer({
    name: 'service',
    script: path.join(distRoot, 'src/main.js'),
    env: { ...common, CACHE_URL: 'none', LOG_LEVEL: 'warn', RATE_LIMIT_AUTH: '0', MIGRATE_ON_START: 'false', SHUTDOWN_GRACE_MS: '2000' },
    ready: answers('/healthz'),
  });
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  try {
    const api = httpApi(service.base);
    const users: { id: string; token: string; calendarId: string }[] = [];
    for (let i = 0; i < ATTENDEES + 1; i++) {
      const { user, accessToken } = await must(api, 'POST', '/auth/register', { name: `Attendee ${i}`, email: `bench-${randomUUID()}@example.com`, password: 'correct horse battery', timeZone: ZONES[i % ZONES.length] });
      const calendars = await must(api, 'GET', '/calendars', undefined, accessToken);
      users.push({ id: user.id, token: accessToken, calendarId: calendars.items[0].id });
    }
    const [caller, ...attendees] = users as [(typeof users)[number], ...typeof users];
    for (const [i, u] of attendees.entries()) {
      await seedEntries(db, api, u, i % 3);
      if (i >= ATTENDEES - OPTIONAL) await must(api, 'POST', `/calendars/${u.calendarId}/entries?force=true`, { title: 'Daily', start: `2027-03-01T${18 + (i % 3)}:00:00Z`, duration: 'PT1H', timeZone: 'UTC', recurrence: { frequency: 'daily' } }, u.token);
    }
    await db.query('analyze');

    const suggestionBody = { ...WINDOW, duration: 'PT1H', limit: 10, attendees: attendees.map((u, i) => ({ userId: u.id, optional: i >= ATTENDEES - OPTIONAL })) };
    const freeBusyBody = { ...WINDOW, items: attendees.map((u) => ({ userId: u.id })) };
    const ids = attendees.map((u) => u.id);
    const targets: [string, () => Promise<number>][] = [
      ['anchor: bare SQL read of the entries', async () => (await db.query(ANCHOR_SQL, [ids, WINDOW.timeMin, WINDOW.timeMax])).rowCount ?? 0],
      ['POST /meetingSuggestions', async () => (await must(api, 'POST', '/meetingSuggestions', suggestionBody, caller.token)).suggestions.length],
      ['POST /freeBusy', async () => (await must(api, 'POST', '/freeBusy', freeBusyBody, caller.token)).items.reduce((n: number, i: { busy: unknown[] }) => n + i.busy.length, 0)],
    ];
    const samples = new Map<string, number[]>(targets.map(([name]) => [name, []]));
    const sizes = new Map<string, number>();
    for (let round = 0; round < warmup + rounds; round++) {
      for (const [name, run] of targets) {
        const started = performance.now();
        sizes.set(name, await run());
        if (round >= warmup) samples.get(name)!.push(performance.now() - started);
      }
    }
    const anchor = stats(samples.get(targets[0]![0])!).median;
    const out = [
      '',
      `## Meeting suggestions benchmark ${new Date().toISOString()}${quick ? ' (--quick)' : ''}`,
      '',
      `${ATTENDEES} attendees (${OPTIONAL} optional, each with a daily series) × ${ENTRIES_PER_ATTENDEE} entries over ${DAYS} days; ${rounds} sequential rounds after ${warmup} warm-up.`,
      '',
      '| target | result size | median ms | p90 ms | ratio to anchor (median) |',
      '|---|---:|---:|---:|---:|',
      ...targets.map(([name]) => {
        const s = stats(samples.get(name)!);
        return `| ${name} | ${sizes.get(name)} | ${s.median.toFixed(1)} | ${s.p90.toFixed(1)} | ${(s.median / anchor).toFixed(2)} |`;
      }),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await db.end();
    await service.stop();
  }
}

/** The anchor: every entry the users attend and have not declined that intersects the window. */
const ANCHOR_SQL = `select e.start_at, e.end_at from participants p join events e on e.id = p.event_id
  where p.user_id = any($1::uuid[]) and p.response <> 'declined' and e.start_at < $3 and e.end_at > $2 and e.status <> 'cancelled' and e.transparency <> 'transparent'`;

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
