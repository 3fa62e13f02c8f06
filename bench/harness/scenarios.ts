import { performance } from 'node:perf_hooks';
import { closedLoop, type Comparison, compare, type LoadOptions, median, type Tail, type Target, type TimedInside } from './load';
import type { BenchData } from './seed';

/** The processes a scenario may load. */
export interface Servers {
  /** The service with CACHE_URL=none. */
  service: string;
  /** The service with the shared cache (Redis when REDIS_URL is set). */
  cachedService: string;
  bare: string;
  postgraphile: string;
}

export const WINDOWS = {
  week: { start: '2027-06-07T00:00:00Z', end: '2027-06-14T00:00:00Z' },
  month: { start: '2027-06-01T00:00:00Z', end: '2027-07-01T00:00:00Z' },
};

/** The listing URL the service and the bare handler both answer (first page, up to 500 items). */
export function entriesPath(calendarId: string, window: { start: string; end: string }): string {
  return `/calendars/${calendarId}/entries?start=${window.start}&end=${window.end}&limit=500`;
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Fails unless the service and the bare handler send byte-identical bodies for each of `paths`.
 * @throws Error showing where the bodies part.
 */
export async function assertSameBodies(s: Pick<Servers, 'service' | 'bare'>, paths: string[], token: string): Promise<void> {
  for (const p of paths) {
    const [ours, bare] = await Promise.all([s.service, s.bare].map(async (base) => (await fetch(`${base}${p}`, { headers: auth(token) })).text())) as [string, string];
    if (ours !== bare) {
      const at = [...ours].findIndex((ch, i) => ch !== bare[i]);
      throw new Error(`${p}: the bare handler's body differs from the service's at ${at}:\n service: …${ours.slice(Math.max(0, at - 80), at + 80)}\n bare:    …${bare.slice(Math.max(0, at - 80), at + 80)}`);
    }
  }
}

/** Goal 1: REST week and month, singles and with series, at 10 and 50 connections, against the bare handler. */
export async function restScenarios(s: Servers, data: BenchData, load: Omit<LoadOptions, 'connections'>): Promise<Comparison[]> {
  const out: Comparison[] = [];
  for (const connections of [10, 50]) {
    for (const [calendar, calendarId] of [['singles', data.singlesCalendarId], ['with 50 series', data.seriesCalendarId]] as const) {
      for (const window of ['week', 'month'] as const) {
        const path = entriesPath(calendarId, WINDOWS[window]);
        const headers = auth(data.owner.token);
        out.push(await compareTimed(s.service, '/calendars/:calendarId/entries', () => compare(`REST ${window}, ${calendar}`, [
          { name: 'service', base: s.service, path, headers },
          { name: 'bare Fastify + pg', base: s.bare, path, headers },
        ], 'bare Fastify + pg', { ...load, connections })));
      }
    }
  }
  return out;
}

/** The front end's page: 100 events with participants, their users' names, and pageInfo. */
export const SERVICE_QUERY = 'query Page { events(first: 100, filter: { role: host }) { nodes { id title start end participants { role response isHost user { name } } } pageInfo { hasNextPage endCursor } } }';
/** The same page without pageInfo (what ran before the cost limit let pageInfo through). */
export const SERVICE_QUERY_NO_PAGEINFO = SERVICE_QUERY.replace(' pageInfo { hasNextPage endCursor }', '');
/** The same page from PostGraphile's generated schema, in the same order. */
export const POSTGRAPHILE_QUERY = 'query Page($host: UUID!) { allEvents(first: 100, condition: { hostId: $host }, orderBy: [START_AT_ASC, ID_ASC]) { nodes { id title startAt endAt participantsByEventId { nodes { role response isHost userByUserId { name } } } } pageInfo { hasNextPage endCursor } } }';

async function post(base: string, body: unknown, headers: Record<string, string> = {}): Promise<any> {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return res.json();
}

/**
 * Checks that both GraphQL servers answer the same page (same event titles in the same order, 5
 * participants each) and picks the service's query: with pageInfo when its cost limit lets it run.
 * @throws Error when the answers differ.
 */
export async function graphqlQueries(s: Pick<Servers, 'service' | 'postgraphile'>, data: BenchData): Promise<{ service: string; note: string }> {
  const theirs = await post(s.postgraphile, { query: POSTGRAPHILE_QUERY, variables: { host: data.graphqlHost.id } });
  const theirTitles = (theirs.data?.allEvents.nodes ?? []).map((n: { title: string }) => n.title);
  let note = 'with pageInfo';
  let ours = await post(s.service, { query: SERVICE_QUERY }, auth(data.graphqlHost.token));
  if (ours.errors) {
    note = `without pageInfo: the service refuses it (${ours.errors[0].message})`;
    ours = await post(s.service, { query: SERVICE_QUERY_NO_PAGEINFO }, auth(data.graphqlHost.token));
  }
  const nodes = ours.data?.events.nodes ?? [];
  const ourTitles = nodes.map((n: { title: string }) => n.title);
  if (ours.errors || theirs.errors || ourTitles.length !== 100 || JSON.stringify(ourTitles) !== JSON.stringify(theirTitles) || nodes.some((n: { participants: unknown[] }) => n.participants.length !== 5)) {
    throw new Error(`the GraphQL answers differ:\nservice: ${JSON.stringify(ours).slice(0, 500)}\npostgraphile: ${JSON.stringify(theirs).slice(0, 500)}`);
  }
  return { service: note === 'with pageInfo' ? SERVICE_QUERY : SERVICE_QUERY_NO_PAGEINFO, note };
}

/** The service's request for the GraphQL page (`serviceQuery`), as its host. */
function servicePage(data: BenchData, serviceQuery: string): Omit<Target, 'name' | 'base'> {
  return { method: 'POST', path: '/graphql', headers: auth(data.graphqlHost.token), body: JSON.stringify({ query: serviceQuery }) };
}

/** The GraphQL page as the service (`serviceQuery`) and PostGraphile ask for it. */
function graphqlTargets(s: Servers, data: BenchData, serviceQuery: string): Target[] {
  return [
    { name: 'service', base: s.service, ...servicePage(data, serviceQuery) },
    { name: 'PostGraphile 4', base: s.postgraphile, method: 'POST', path: '/graphql', body: JSON.stringify({ query: POSTGRAPHILE_QUERY, variables: { host: data.graphqlHost.id } }) },
  ];
}

/** Goal 2: the GraphQL page against PostGraphile at 10 and 50 connections. */
export async function graphqlScenarios(s: Servers, data: BenchData, serviceQuery: string, load: Omit<LoadOptions, 'connections'>): Promise<Comparison[]> {
  const out: Comparison[] = [];
  for (const connections of [10, 50]) {
    out.push(await compareTimed(s.service, '/graphql', () => compare('GraphQL 100 events + participants + names', graphqlTargets(s, data, serviceQuery), 'PostGraphile 4', { ...load, connections })));
  }
  return out;
}

/** One target's tail at 50 connections, measured by {@link closedLoop}. */
export interface TailRow extends Tail {
  scenario: string;
  target: string;
}

/**
 * Goal 2's "no request over 1 s at 50 connections", measured by a closed loop ({@link closedLoop}),
 * target after target: the GraphQL page (service, PostGraphile) and the month of singles (service,
 * bare handler).
 */
export async function tailScenarios(s: Servers, data: BenchData, serviceQuery: string, load: Omit<LoadOptions, 'connections'>): Promise<TailRow[]> {
  const month = entriesPath(data.singlesCalendarId, WINDOWS.month);
  const groups: [string, Target[]][] = [
    ['GraphQL 100 events + participants + names', graphqlTargets(s, data, serviceQuery)],
    ['REST month, singles', [
      { name: 'service', base: s.service, path: month, headers: auth(data.owner.token) },
      { name: 'bare Fastify + pg', base: s.bare, path: month, headers: auth(data.owner.token) },
    ]],
  ];
  const rows: TailRow[] = [];
  for (const [scenario, targets] of groups) {
    for (const t of targets) rows.push({ scenario, target: t.name, ...(await closedLoop(t, 50, load.seconds * 2, Math.max(load.warmupSeconds, 1))) });
  }
  return rows;
}

/**
 * How many requests of `route` the service at `base` has timed itself, and how many took over 1 s:
 * its `http_request_duration_seconds` histogram (onRequest to onResponse, src/app.ts), all methods
 * and statuses. It does not see the time a request waits in the service's socket before Fastify
 * reads it, which the load generator's latencies include (a packet capture showed the first wave of
 * a run waiting there for seconds).
 */
export async function timedInside(base: string, route: string): Promise<TimedInside> {
  const text = await (await fetch(`${base}/metrics`)).text();
  let requests = 0;
  let withinOneSecond = 0;
  for (const line of text.split('\n')) {
    if (!line.includes(`route="${route}"`)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith('http_request_duration_seconds_count')) requests += value;
    else if (line.startsWith('http_request_duration_seconds_bucket') && line.includes('le="1"')) withinOneSecond += value;
  }
  return { requests, overOneSecond: requests - withinOneSecond };
}

/** {@link compare}, with the service's own timing of `route` over it ({@link timedInside}). */
async function compareTimed(service: string, route: string, run: () => Promise<Comparison>): Promise<Comparison> {
  const before = await timedInside(service, route);
  const comparison = await run();
  const after = await timedInside(service, route);
  return { ...comparison, timedInside: { requests: after.requests - before.requests, overOneSecond: after.overOneSecond - before.overOneSecond } };
}

/** Cache counters of a service's /metrics. */
export async function cacheCounters(base: string): Promise<{ hits: number; misses: number; errors: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { hits: read('cache_hits_total'), misses: read('cache_misses_total'), errors: read('cache_errors_total') };
}

/**
 * Goal 3: the month view (singles) without a cache, with the shared cache warm (one range) and cold
 * (a new range every request), and a matching conditional GET (304).
 */
export async function cacheScenarios(s: Servers, data: BenchData, load: LoadOptions): Promise<Comparison[]> {
  const path = entriesPath(data.singlesCalendarId, WINDOWS.month);
  const headers = auth(data.owner.token);
  const first = await fetch(`${s.cachedService}${path}`, { headers });
  const etag = first.headers.get('etag');
  if (first.status !== 200 || !etag) throw new Error(`month view: ${first.status}, ETag ${etag}`);
  let n = 0;
  const coldPath = () => entriesPath(data.singlesCalendarId, { start: WINDOWS.month.start, end: new Date(Date.parse(WINDOWS.month.end) + 1000 * (++n % 86_400)).toISOString() });
  return [await compare('month view, cache', [
    { name: 'service, CACHE_URL=none', base: s.service, path, headers },
    { name: 'service, cache warm', base: s.cachedService, path, headers },
    { name: 'service, cache cold (new range each)', base: s.cachedService, path: coldPath, headers },
    { name: 'service, If-None-Match → 304', base: s.cachedService, path, headers: { ...headers, 'if-none-match': etag }, expectStatus: 304 },
  ], 'service, CACHE_URL=none', load)];
}

/**
 * The V8 heap a replica gets in a container, emulated by flags so that it runs anywhere: Node sizes
 * the heap from the cgroup memory limit (`ConfigureDefaults` of the available memory), and under the
 * 512 MiB of k8s/base that is an old generation of 256 MB with 1-MiB semi-spaces (`heap_size_limit`
 * 259 MB in a 512 MiB memory cgroup, the same as with these flags). V8 then also grows the old
 * generation by at most 1.3x a full collection (4x on a host with 8 GB or more).
 */
export const REPLICA_HEAP = {
  /** What the image ran before it set `--max-semi-space-size=16` in NODE_OPTIONS. */
  plain: ['--max-old-space-size=256', '--max-semi-space-size=1'],
  /** With the image's NODE_OPTIONS (Dockerfile). */
  image: ['--max-old-space-size=256', '--max-semi-space-size=16'],
};

/** Where the uncached service runs with {@link REPLICA_HEAP}'s two heaps. */
export interface ReplicaServers {
  plain: string;
  image: string;
}

/**
 * The uncached service in a 512 MiB replica's heap, as the image ran before and as it runs now,
 * against the same build without a memory limit (the anchor), at 50 connections: the month listing
 * of singles and the GraphQL page.
 */
export async function replicaScenarios(s: Servers, replicas: ReplicaServers, data: BenchData, serviceQuery: string, load: Omit<LoadOptions, 'connections'>): Promise<Comparison[]> {
  const month = { path: entriesPath(data.singlesCalendarId, WINDOWS.month), headers: auth(data.owner.token) };
  const targets = (request: Omit<Target, 'name' | 'base'>): Target[] => [
    { name: 'service, no memory limit', base: s.service, ...request },
    { name: 'service, 512 MiB replica heap (1-MiB semi-spaces)', base: replicas.plain, ...request },
    { name: 'service, 512 MiB replica heap + the image\'s NODE_OPTIONS', base: replicas.image, ...request },
  ];
  return [
    await compare('replica heap: REST month, singles', targets(month), 'service, no memory limit', { ...load, connections: 50 }),
    await compare('replica heap: GraphQL page', targets(servicePage(data, serviceQuery)), 'service, no memory limit', { ...load, connections: 50 }),
  ];
}

/** Latencies (ms) of the overlap-checked insert per calendar size. */
export interface InsertStats {
  entries: number;
  medianMs: number;
  p90Ms: number;
}

/**
 * Goal 4: `probes` checked inserts (no `force`) per calendar, one at a time, interleaving the sizes,
 * each into a free 10-minute slot between 21:00Z and 24:00Z of a day the seed filled with 28 entries.
 */
export async function insertScenario(s: Servers, data: BenchData, probes: number): Promise<InsertStats[]> {
  const latencies = new Map<number, number[]>(data.insertCalendars.map((c) => [c.entries, []]));
  for (let p = 0; p < probes; p++) {
    const day = new Date(Date.UTC(2022, 0, 1 + (p % 36), 21, 10 * Math.floor(p / 36)));
    for (const c of data.insertCalendars) {
      const began = performance.now();
      const res = await fetch(`${s.service}/calendars/${c.calendarId}/entries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth(data.owner.token) },
        body: JSON.stringify({ title: `Probe ${p}`, start: day.toISOString(), duration: 'PT10M' }),
      });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`checked insert into ${c.entries}: ${res.status}`);
      latencies.get(c.entries)!.push(performance.now() - began);
    }
  }
  return [...latencies].map(([entries, ms]) => ({ entries, medianMs: median(ms), p90Ms: [...ms].sort((a, b) => a - b)[Math.floor(ms.length * 0.9)] ?? Number.NaN }));
}
