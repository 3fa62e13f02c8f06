import autocannon from 'autocannon';
import http from 'node:http';

/** One side of a comparison: where and what to request, and the status every answer must have. */
export interface Target {
  name: string;
  base: string;
  method?: 'GET' | 'POST';
  /** A fixed path, or a function called for every request (e.g. a new range each time). */
  path: string | (() => string);
  headers?: Record<string, string>;
  body?: string;
  /** Default 200. */
  expectStatus?: number;
}

/** One timed run of one target. Latencies in ms. */
export interface RunStats {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Answers with another status than expected. */
  unexpected: number;
}

export interface LoadOptions {
  connections: number;
  rounds: number;
  seconds: number;
  /** Discarded run per target before the rounds (JIT, pools, caches). */
  warmupSeconds: number;
}

/** The runs of each target of one scenario; `anchor` names the target the ratios divide by. */
export interface Comparison {
  scenario: string;
  connections: number;
  anchor: string;
  runs: Map<string, RunStats[]>;
  /** The service's own timing of its requests in this comparison, where read ({@link timedInside}). */
  timedInside?: TimedInside;
}

/** Requests a service timed itself (onRequest to onResponse), and how many of them took over 1 s. */
export interface TimedInside {
  requests: number;
  overOneSecond: number;
}

/** Runs autocannon once against `target` for `seconds`. */
export async function runOnce(target: Target, connections: number, seconds: number): Promise<RunStats> {
  const dynamic = typeof target.path === 'function' ? target.path : undefined;
  const result = await autocannon({
    url: target.base,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [{
      method: target.method ?? 'GET',
      path: typeof target.path === 'string' ? target.path : '/',
      headers: { ...(target.body && { 'content-type': 'application/json' }), ...target.headers },
      ...(target.body && { body: target.body }),
      ...(dynamic && { setupRequest: (req: any) => ({ ...req, path: dynamic() }) }),
    }],
  });
  const byStatus: Record<string, { count?: number }> = result.statusCodeStats ?? {};
  const expected = byStatus[String(target.expectStatus ?? 200)]?.count ?? 0;
  const answered = Object.values(byStatus).reduce((sum, s) => sum + (s.count ?? 0), 0);
  return {
    requestsPerSecond: answered / Math.max(result.duration, 1e-9),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.timeouts,
    unexpected: answered - expected,
  };
}

/** The tail of a closed loop ({@link closedLoop}); latencies in ms. */
export interface Tail {
  requests: number;
  p99: number;
  max: number;
}

/**
 * A closed loop of `connections` keep-alive `node:http` connections against `target`: each sends its
 * next request once it has read the whole previous answer. Requests of the first `warmupSeconds`
 * (connection set-up, the first wave) are not counted; then `seconds` are.
 *
 * The bench's clock for the tail under steady load. Autocannon counts every request from the
 * first, so its maxima at 50 connections are those of the first wave of each run (a packet capture
 * of an 8-s run: the first request of each connection up to 2.74 s, every other one at most 0.92 s);
 * this loop leaves the first wave out by design, so the two measure different things.
 * @throws Error when an answer has another status than expected.
 */
export async function closedLoop(target: Target, connections: number, seconds: number, warmupSeconds: number): Promise<Tail> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const started = performance.now();
  const countFrom = started + warmupSeconds * 1000;
  const until = countFrom + seconds * 1000;
  const latencies: number[] = [];
  const once = () => new Promise<number>((resolve, reject) => {
    const url = new URL(typeof target.path === 'string' ? target.path : target.path(), target.base);
    const request = http.request(url, { method: target.method ?? 'GET', agent, headers: { ...(target.body && { 'content-type': 'application/json' }), ...target.headers } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(target.body);
  });
  try {
    await Promise.all(Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const sent = performance.now();
        const status = await once();
        if (status !== (target.expectStatus ?? 200)) throw new Error(`${target.name}: status ${status}`);
        if (sent >= countFrom) latencies.push(performance.now() - sent);
      }
    }));
  } finally {
    agent.destroy();
  }
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, p99: Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? Number.NaN), max: Math.round(latencies.at(-1) ?? Number.NaN) };
}

/**
 * Waits, after a run, about as long as the target takes to answer `connections` requests at the
 * run's rate (at most 5 s). Autocannon ends a run by closing its connections with their last requests
 * unanswered, and the server still answers them: without the wait the next run started behind that
 * backlog. A packet capture showed it: the first request of each connection of an 8-s run on the
 * GraphQL page waited up to 2.74 s while the run's other requests took at most 0.92 s.
 */
function drained(stats: RunStats, connections: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(5000, (1000 * connections) / Math.max(stats.requestsPerSecond, 1))));
}

/**
 * Loads each target in turn for `rounds` rounds, alternating the order every round (ABBA…), so drift
 * of a shared machine falls on every target alike, after one warm-up run each.
 */
export async function compare(scenario: string, targets: Target[], anchor: string, opts: LoadOptions): Promise<Comparison> {
  const runs = new Map<string, RunStats[]>(targets.map((t) => [t.name, []]));
  for (const t of targets) if (opts.warmupSeconds > 0) await drained(await runOnce(t, opts.connections, opts.warmupSeconds), opts.connections);
  for (let round = 0; round < opts.rounds; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const t of order) {
      const stats = await runOnce(t, opts.connections, opts.seconds);
      runs.get(t.name)!.push(stats);
      await drained(stats, opts.connections);
    }
  }
  const comparison = { scenario, connections: opts.connections, anchor, runs };
  process.stderr.write(`${formatRows([comparison]).join('\n')}\n`);
  return comparison;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Markdown header of {@link formatRows}. */
export const TABLE_HEADER = ['| scenario | conn. | target | req/s (median) | ratio to anchor | p99 ms (median) | max ms | errors |', '|---|---:|---|---:|---:|---:|---:|---:|'];

/** Markdown rows: per target, the median throughput, its ratio to the anchor's median, latencies, faults. */
export function formatRows(comparisons: Comparison[]): string[] {
  const rows: string[] = [];
  for (const c of comparisons) {
    const anchorRps = median(c.runs.get(c.anchor)!.map((r) => r.requestsPerSecond));
    for (const [name, runs] of c.runs) {
      const rps = median(runs.map((r) => r.requestsPerSecond));
      const faults = runs.reduce((n, r) => n + r.errors + r.unexpected, 0);
      const ratio = name === c.anchor ? 'anchor' : anchorRps > 0 ? `**${(rps / anchorRps).toFixed(2)}×**` : 'n/a';
      rows.push(`| ${c.scenario} | ${c.connections} | ${name} | ${Math.round(rps)} | ${ratio} | ${median(runs.map((r) => r.p99)).toFixed(0)} | ${Math.max(...runs.map((r) => r.max)).toFixed(0)} | ${faults} |`);
    }
  }
  return rows;
}
