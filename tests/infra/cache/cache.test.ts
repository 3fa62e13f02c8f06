import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Cache, createCache } from '../../../src/infra/cache';
import { Metrics } from '../../../src/infra/metrics';
import { hasBinary, OwnServer, portOpen } from '../../helpers/services';

const quiet = { error: () => undefined };

/** The shared services CI starts (.ci/run); a provider whose server is not reachable is skipped, saying so. */
const SHARED = { redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', memcached: process.env.MEMCACHED_URL ?? 'memcached://127.0.0.1:11211' };

async function providers(): Promise<[string, string][]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cache-file-'));
  const list: [string, string][] = [['memory', 'memory://'], ['file', `file://${dir}/cache.json`]];
  for (const [name, url] of Object.entries(SHARED)) {
    if (await portOpen(Number(new URL(url).port))) list.push([name, url]);
    else console.info(`cache tests: ${name} is not running at ${url}; skipped (CI starts it)`);
  }
  return list;
}

describe.each([['memory'], ['file'], ['redis'], ['memcached']])('the %s cache provider', (name) => {
  let cache: Cache | undefined;
  let metrics: Metrics;
  beforeAll(async () => {
    const url = (await providers()).find(([n]) => n === name)?.[1];
    metrics = new Metrics();
    if (url) cache = createCache(url, { metrics, logger: quiet, ttlSeconds: 60, timeoutMs: 500 });
  });
  afterAll(() => cache?.close());

  const run = (title: string, fn: (c: Cache) => Promise<void>) => it(title, async () => (cache ? fn(cache) : undefined));
  const key = () => `k-${Math.random()}`;

  run('when a value is read twice, then the second read is a hit and Dates survive', async (c) => {
    const k = key();
    let loads = 0;
    const load = async () => (loads++, { at: new Date('2026-01-02T03:04:05.006Z'), n: 1, nested: [{ d: new Date(0) }] });
    const first = await c.cached(k, ['t1'], 60, load);
    const second = await c.cached(k, ['t1'], 60, load);
    expect(loads).toBe(1);
    expect(second).toEqual(first);
    expect(second.at).toBeInstanceOf(Date);
    expect(second.nested[0]!.d).toBeInstanceOf(Date);
  });

  run('when a tag is invalidated, then values with it reload and others stay', async (c) => {
    const [a, b] = [key(), key()];
    let loads = 0;
    const load = async () => ++loads;
    await c.cached(a, ['x', 'shared'], 60, load);
    await c.cached(b, ['y'], 60, load);
    await c.invalidate(['shared']);
    expect(await c.cached(a, ['x', 'shared'], 60, load)).toBe(3);
    expect(await c.cached(b, ['y'], 60, load)).toBe(2);
  });

  run('when many keys are read at once, then only the misses are loaded, in order', async (c) => {
    const keys = [key(), key(), key()];
    await c.cached(keys[1]!, ['m'], 60, async () => 'cached');
    const got = await c.cachedMany(keys.map((k) => ({ key: k, tags: ['m'] })), 60, async (misses) => misses.map((i) => `loaded ${i}`));
    expect(got).toEqual(['loaded 0', 'cached', 'loaded 2']);
  });

  run('when accept refuses a cached value, then it is loaded again', async (c) => {
    const k = key();
    await c.cached(k, [], 60, async () => 1);
    expect(await c.cached(k, [], 60, async () => 2, { accept: (v) => v > 1 })).toBe(2);
  });
});

describe('cache faults', () => {
  it('when CACHE_URL is none, then every read loads', async () => {
    const c = createCache('none', { metrics: new Metrics(), logger: quiet, ttlSeconds: 60, timeoutMs: 100 });
    let n = 0;
    await c.cached('a', [], 60, async () => ++n);
    expect(await c.cached('a', [], 60, async () => ++n)).toBe(2);
  });

  it('when the scheme is unknown, then creating the cache fails with a clear message', () => {
    expect(() => createCache('mongodb://x', { metrics: new Metrics(), logger: quiet, ttlSeconds: 60, timeoutMs: 100 })).toThrow(/CACHE_URL/);
  });

  describe.each([['redis'], ['memcached']] as const)('when the %s server stops and comes back', (kind) => {
    const binary = kind === 'redis' ? 'redis-server' : 'memcached';
    (hasBinary(binary) ? it : it.skip)('then reads fall back to the loader, errors are counted and logged once, and caching resumes', async () => {
      const server = await OwnServer.create(kind);
      await server.start();
      const metrics = new Metrics();
      const logged: unknown[] = [];
      const c = createCache(server.url, { metrics, logger: { error: (o) => logged.push(o) }, ttlSeconds: 60, timeoutMs: 200 });
      try {
        let loads = 0;
        const load = async () => ++loads;
        await c.cached('k', ['t'], 60, load);
        expect(await c.cached('k', ['t'], 60, load)).toBe(1);

        await server.stop();
        for (let i = 0; i < 5; i++) expect(await c.cached('k', ['t'], 60, load)).toBeGreaterThan(1);
        expect((await metrics.cacheErrors.get()).values[0]!.value).toBeGreaterThan(0);
        expect(logged.length).toBe(1); // once per interval, not once per failure

        await server.start();
        // Resumed when a fresh key is loaded once and then read back from the store. Each attempt needs
        // its own key: a pair that straddles the reconnect may store its key without showing a hit.
        let resumed = false;
        for (let i = 0; i < 60 && !resumed; i++) {
          const before = loads;
          await c.cached(`after-restart-${i}`, [], 60, load);
          await c.cached(`after-restart-${i}`, [], 60, load);
          resumed = loads === before + 1;
          if (!resumed) await new Promise((r) => setTimeout(r, 250));
        }
        expect(resumed).toBe(true);
      } finally {
        await c.close();
        await server.stop();
      }
    }, 40_000);
  });
});
