/**
 * Benchmark of the calendar range query (GET /calendars/:id/entries?start=&end=) with the cache off,
 * cold (every request a new range: all misses) and warm (one range: hits), on loopback.
 *
 *   npm run bench                       # DATABASE_URL (and CACHE_URL for the cached runs) from the env
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=10 npm run bench
 *
 * Each scenario starts the built service (dist/src/main.js) as its own process, so the load generator
 * (autocannon, in this process) does not share its event loop. The calendar holds 200 single entries
 * and 5 weekly series in the month queried. Bounded: BENCH_SECONDS per scenario, loopback only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const DATABASE_URL = process.env.DATABASE_URL;
const CACHED_URL = process.env.BENCH_CACHE_URL ?? process.env.CACHE_URL ?? 'memory://';
const JWT_SECRET = process.env.JWT_SECRET ?? 'bench-secret-0123456789-0123456789-0123';

interface Result {
  scenario: string;
  cache: string;
  requestsPerSecond: number;
  p99Ms: number;
  hitRatio: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** Starts the service quietly (warnings only, so request logs do not weigh on it) and waits for /healthz. */
async function startServer(cacheUrl: string): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', CACHE_URL: cacheUrl, JWT_SECRET, LOG_LEVEL: 'warn', RATE_LIMIT_AUTH: '0' };
  if (DATABASE_URL) env.DATABASE_URL = DATABASE_URL;
  const child = spawn(process.execPath, [path.join(__dirname, '../src/main.js')], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return { base, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('server did not answer /healthz within 60 s');
}

async function json(base: string, method: string, url: string, body?: unknown, token?: string) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(token && { authorization: `Bearer ${token}` }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<any>;
}

/** A user with a calendar of 200 entries and 5 weekly series in June 2027; returns the token and URL base. */
async function seed(base: string): Promise<{ token: string; calendarId: string }> {
  const { accessToken: token } = await json(base, 'POST', '/auth/register', { name: 'Bench', email: `bench-${Date.now()}-${Math.random()}@example.com`, password: 'correct horse' });
  const { id: calendarId } = await json(base, 'POST', '/calendars', { name: 'Bench', timeZone: 'Europe/Paris' }, token);
  for (let i = 0; i < 200; i++) {
    const day = String(1 + (i % 30)).padStart(2, '0');
    const hour = String(8 + Math.floor(i / 30)).padStart(2, '0');
    await json(base, 'POST', `/calendars/${calendarId}/entries?force=true`, { title: `Entry ${i}`, start: `2027-06-${day}T${hour}:00:00Z`, duration: 'PT30M' }, token);
  }
  for (let s = 0; s < 5; s++) {
    await json(base, 'POST', `/calendars/${calendarId}/entries?force=true`, { title: `Series ${s}`, start: `2027-05-0${s + 3}T18:00:00+02:00`, duration: 'PT1H', recurrence: { frequency: 'weekly' } }, token);
  }
  return { token, calendarId };
}

async function cacheCounters(base: string): Promise<{ hits: number; misses: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { hits: read('cache_hits_total'), misses: read('cache_misses_total') };
}

async function run(scenario: string, cacheUrl: string, distinctRanges: boolean): Promise<Result> {
  const { base, child } = await startServer(cacheUrl);
  try {
    const { token, calendarId } = await seed(base);
    const before = await cacheCounters(base);
    let n = 0;
    const path_ = (end: number) => `/calendars/${calendarId}/entries?start=2027-06-01T00:00:00Z&end=2027-07-01T00:${String(Math.floor(end / 60) % 60).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}Z&limit=500`;
    const result = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: SECONDS,
      headers: { authorization: `Bearer ${token}` },
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: distinctRanges ? path_(n++ % 3600) : path_(0) }) }],
    });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${scenario}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    const after = await cacheCounters(base);
    const hits = after.hits - before.hits;
    const misses = after.misses - before.misses;
    return {
      scenario,
      cache: cacheUrl,
      requestsPerSecond: Math.round(result.requests.average),
      p99Ms: result.latency.p99,
      hitRatio: hits + misses === 0 ? 'n/a' : `${((100 * hits) / (hits + misses)).toFixed(1)}%`,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function main(): Promise<void> {
  const results = [
    await run('cache off', 'none', false),
    await run('cold (every range new)', CACHED_URL, true),
    await run('warm (one range)', CACHED_URL, false),
  ];
  console.log(`\nGET entries for one month (200 entries + 5 weekly series), ${CONNECTIONS} connections, ${SECONDS} s each, database ${DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite'}\n`);
  console.log('| scenario | CACHE_URL | requests/s | p99 latency (ms) | cache hit ratio |');
  console.log('|---|---|---|---|---|');
  for (const r of results) console.log(`| ${r.scenario} | \`${r.cache}\` | ${r.requestsPerSecond} | ${r.p99Ms} | ${r.hitRatio} |`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
