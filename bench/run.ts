/**
 * `npm run bench`: the service against anchors on the same PostgreSQL and data, in one process tree.
 *
 *   npm run bench                          # everything, about 8 minutes
 *   npm run bench -- --quick               # smoke run: one short round per scenario
 *   npm run bench -- --only=rest,graphql   # some of rest, graphql, cache, insert, replica
 *   npm run bench -- --only=rest --profile # also `node --cpu-prof` the uncached service, then summarise
 *
 * Environment: BENCH_DATABASE_URL (default: DATABASE_URL's server, database `<name>_bench`; it is
 * emptied and seeded every run), BENCH_CACHE_URL (default REDIS_URL, else memory://), BENCH_ROUNDS
 * (3), BENCH_SECONDS (4).
 *
 * Processes (each its own event loop; the load generator, autocannon, runs in this one): the built
 * service twice (NODE_ENV=production, CACHE_URL=none and the shared cache), the bare Fastify + pg
 * handler of bench/anchors/bare-entries.ts, PostGraphile 4, and for `replica` the uncached service
 * twice more in a 512 MiB container's V8 heap (REPLICA_HEAP). Targets alternate round by round and
 * the table gives ratios of medians to each scenario's anchor, so the numbers compare only within one
 * run on one machine.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { type Comparison, formatRows, type LoadOptions, TABLE_HEADER } from './harness/load';
import { answers, distRoot, memoryOf, runToEnd, type ServerProcess, startServer } from './harness/processes';
import { formatProfile } from './harness/profile';
import { assertSameBodies, cacheCounters, cacheScenarios, entriesPath, graphqlQueries, graphqlScenarios, insertScenario, REPLICA_HEAP, replicaScenarios, restScenarios, type Servers, tailScenarios, WINDOWS } from './harness/scenarios';
import { FULL_SIZES, httpApi, resetBenchDatabase, seed, type SeedSizes } from './harness/seed';

const SCENARIOS = ['rest', 'graphql', 'cache', 'insert', 'replica'] as const;
/** How long the processes idle before their RSS is read again (V8 shrinks its heap after about 30 s idle). */
const SETTLE_MS = 40_000;

interface Options {
  quick: boolean;
  only: Set<(typeof SCENARIOS)[number]>;
  profile: boolean;
}

function parseOptions(argv: string[]): Options {
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',') ?? [...SCENARIOS];
  const unknown = [...only.filter((o) => !(SCENARIOS as readonly string[]).includes(o)), ...argv.filter((a) => !/^--(quick|profile|only=.*)$/.test(a))];
  if (unknown.length) throw new Error(`unknown option(s) ${unknown.join(' ')}; use --quick, --profile, --only=${SCENARIOS.join(',')}`);
  return { quick: argv.includes('--quick'), only: new Set(only as (typeof SCENARIOS)[number][]), profile: argv.includes('--profile') };
}

/** BENCH_DATABASE_URL, or DATABASE_URL's server with the database `<name>_bench`. */
function benchDatabaseUrl(): string {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL (its server hosts the bench database) or BENCH_DATABASE_URL');
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `${url.pathname.replace(/\/$/, '')}_bench`;
  return url.toString();
}

async function serverInfo(dbUrl: string): Promise<string> {
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  const { rows } = await db.query<{ server_version: string }>('show server_version');
  await db.end();
  return `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}, PostgreSQL ${rows[0]!.server_version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const load: Omit<LoadOptions, 'connections'> = opts.quick
    ? { rounds: 1, seconds: 2, warmupSeconds: 0.5 }
    : { rounds: Number(process.env.BENCH_ROUNDS ?? 3), seconds: Number(process.env.BENCH_SECONDS ?? 4), warmupSeconds: 1 };
  const sizes: SeedSizes = FULL_SIZES;
  const dbUrl = benchDatabaseUrl();
  const cacheUrl = process.env.BENCH_CACHE_URL ?? process.env.REDIS_URL ?? 'memory://';
  const jwtSecret = randomBytes(32).toString('base64url');
  const profileDir = path.join(distRoot, '..', 'bench-profiles', new Date().toISOString().replace(/[:.]/g, '-'));
  const common = { DATABASE_URL: dbUrl, JWT_SECRET: jwtSecret, NODE_ENV: 'production' };
  const serviceEnv = { ...common, LOG_LEVEL: 'warn', RATE_LIMIT_AUTH: '0', MIGRATE_ON_START: 'false', SHUTDOWN_GRACE_MS: '2000' };
  const mainJs = path.join(distRoot, 'src/main.js');
  const started: ServerProcess[] = [];

  try {
    process.stderr.write(`bench database ${new URL(dbUrl).pathname.slice(1)}: resetting, migrating, seeding…\n`);
    await resetBenchDatabase(dbUrl);
    await runToEnd(path.join(distRoot, 'src/migrate.js'), common);
    if (opts.profile) mkdirSync(profileDir, { recursive: true });
    const seeder = await startServer({ name: 'seeder', script: mainJs, env: { ...serviceEnv, CACHE_URL: 'none' }, ready: answers('/healthz') });
    const seededAt = Date.now();
    const data = await seed(httpApi(seeder.base), dbUrl, sizes, (step) => process.stderr.write(`  seed ${step}\n`)).finally(() => seeder.stop());
    process.stderr.write(`seeded in ${((Date.now() - seededAt) / 1000).toFixed(0)} s\n`);
    // Started after seeding, so a profile holds only the load of the scenarios.
    const service = await startServer({ name: 'service', script: mainJs, env: { ...serviceEnv, CACHE_URL: 'none' }, nodeArgs: opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [], ready: answers('/healthz') });
    started.push(service);
    const cached = await startServer({ name: 'service-cached', script: mainJs, env: { ...serviceEnv, CACHE_URL: cacheUrl }, ready: answers('/healthz') });
    const bare = await startServer({ name: 'bare', script: path.join(distRoot, 'bench/anchors/bare-server.js'), env: common, ready: answers('/healthz') });
    const postgraphile = await startServer({
      name: 'postgraphile',
      script: path.join(distRoot, 'bench/anchors/postgraphile-server.js'),
      env: common,
      ready: async (base) => (await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' })).ok,
    });
    started.push(cached, bare, postgraphile);
    // The uncached service again in the heap of a 512 MiB replica, as the image ran before and now.
    const replicas = opts.only.has('replica')
      ? await Promise.all((['plain', 'image'] as const).map((heap) => startServer({ name: `service-replica-${heap}`, script: mainJs, env: { ...serviceEnv, CACHE_URL: 'none' }, nodeArgs: REPLICA_HEAP[heap], ready: answers('/healthz') })))
      : [];
    started.push(...replicas);
    const servers: Servers = { service: service.base, cachedService: cached.base, bare: bare.base, postgraphile: postgraphile.base };

    const listings = [data.singlesCalendarId, data.seriesCalendarId].flatMap((id) => [entriesPath(id, WINDOWS.week), entriesPath(id, WINDOWS.month)]);
    await assertSameBodies(servers, listings, data.owner.token);
    const gql = await graphqlQueries(servers, data);
    const idle = started.map((p) => [p.name, p.rssMb()] as const);

    const comparisons: Comparison[] = [];
    if (opts.only.has('rest')) comparisons.push(...(await restScenarios(servers, data, load)));
    if (opts.only.has('graphql')) comparisons.push(...(await graphqlScenarios(servers, data, gql.service, load)));
    const tails = opts.only.has('graphql') && opts.only.has('rest') ? await tailScenarios(servers, data, gql.service, load) : [];
    let cacheLine = '';
    if (opts.only.has('cache')) {
      const before = await cacheCounters(cached.base);
      comparisons.push(...(await cacheScenarios(servers, data, { ...load, connections: 10 })));
      const after = await cacheCounters(cached.base);
      cacheLine = `Cache (${cacheUrl.replace(/\/\/.*@/, '//')}) during the cache scenarios: ${after.hits - before.hits} hits, ${after.misses - before.misses} misses, ${after.errors - before.errors} errors or timeouts.`;
    }
    if (replicas.length) comparisons.push(...(await replicaScenarios(servers, { plain: replicas[0]!.base, image: replicas[1]!.base }, data, gql.service, load)));
    const inserts = opts.only.has('insert') ? await insertScenario(servers, data, opts.quick ? 10 : 60) : [];
    const after = started.map((p) => [p.name, p.rssMb()] as const);
    const breakdown = new Map(await Promise.all(started.map(async (p) => [p.name, await memoryOf(p.base)] as const)));
    // V8 keeps the heap it grew under load until it has been idle a while (its memory reducer), so
    // RSS is read again once the processes have settled: what stays is what the process holds.
    if (!opts.quick) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const rss = started.map((p) => [p.name, idle.find(([n]) => n === p.name)?.[1] ?? Number.NaN, after.find(([n]) => n === p.name)![1], p.rssMb()] as const);

    const out = [
      '',
      `## Benchmark ${new Date().toISOString()}${opts.quick ? ' (--quick: one short round, not for comparison)' : ''}`,
      '',
      `${await serverInfo(dbUrl)}. ${load.rounds} round(s) of ${load.seconds} s per target, alternating; ratios are of medians.`,
      `Data: ${sizes.singles} singles per listing calendar (+${sizes.series} endless series in the second), GraphQL host with ${sizes.graphqlEvents} events × 5 participants.`,
      `GraphQL query of the service: ${gql.note}.`,
      '',
      ...TABLE_HEADER,
      ...formatRows(comparisons),
      '',
      'Timed inside the service (its `http_request_duration_seconds`, onRequest to onResponse) during each comparison, warm-up included: requests over 1 s / requests.',
      '',
      ...comparisons.filter((c) => c.timedInside).map((c) => `- ${c.scenario}, ${c.connections} connections: ${c.timedInside!.overOneSecond} / ${c.timedInside!.requests}`),
      '',
      ...(tails.length ? [
        `At 50 connections by a closed loop of keep-alive node:http connections (${load.seconds * 2} s after a warm-up; each sends its next request when it has read the last answer):`,
        '',
        '| scenario | target | requests | p99 ms | max ms |',
        '|---|---|---:|---:|---:|',
        ...tails.map((t) => `| ${t.scenario} | ${t.target} | ${t.requests} | ${t.p99} | ${t.max} |`),
        '',
      ] : []),
      ...(cacheLine ? [cacheLine, ''] : []),
      ...(inserts.length ? ['| overlap-checked insert | median ms | p90 ms | median / first size |', '|---|---:|---:|---:|', ...inserts.map((i) => `| ${i.entries} entries | ${i.medianMs.toFixed(1)} | ${i.p90Ms.toFixed(1)} | ${(i.medianMs / inserts[0]!.medianMs).toFixed(2)} |`), ''] : []),
      `| process | RSS idle (MB) | RSS after the run (MB) | of which V8 heap total / used, external (MB) | RSS ${SETTLE_MS / 1000} s later (MB) |`,
      '|---|---:|---:|---:|---:|',
      ...rss.map(([name, before, loaded, settled]) => {
        const m = breakdown.get(name);
        return `| ${name} | ${before} | ${loaded} | ${m ? `${m.heapTotal} / ${m.heapUsed}, ${m.external}` : '–'} | ${settled} |`;
      }),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    for (const p of started.reverse()) await p.stop();
  }
  if (opts.profile) {
    for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) process.stdout.write(`\n${formatProfile(path.join(profileDir, file)).join('\n')}\n`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
