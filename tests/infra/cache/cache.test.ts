import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Keyv from 'keyv';
import { type Cache, KeyvCache } from '../../../src/infra/cache';
import { createCache, textSerializer } from '../../../src/infra/cache-stores';
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

  run('when a representation is read twice, then the second read is a hit with the same ETag', async (c) => {
    const k = key();
    let loads = 0;
    const load = async () => (loads++, '{"items":[]}');
    const first = await c.representation(k, ['r'], 60, load);
    const second = await c.representation(k, ['r'], 60, load);
    expect(loads).toBe(1);
    expect(second.etag).toBe(first.etag);
    // Bytes from a store that keeps them (Redis: sent to the socket as read), text from the others.
    expect(name === 'redis' ? Buffer.isBuffer(second.body) : typeof second.body === 'string').toBe(true);
    expect(second.body!.toString()).toBe('{"items":[]}');
    expect(first.etag).toMatch(/^"[\w-]{27}"$/);
  });

  run('when the client holds the current ETag, then neither the body nor the loader is read', async (c) => {
    const k = key();
    let loads = 0;
    const load = async () => (loads++, `body ${loads}`);
    const { etag } = await c.representation(k, ['r2'], 60, load);
    const seen: string[] = [];
    const again = await c.representation(k, ['r2'], 60, load, (e) => (seen.push(e), e === etag));
    expect(again).toEqual({ etag });
    expect(seen).toEqual([etag]);
    expect(loads).toBe(1);
  });

  run('when a tag of a representation is invalidated, then its ETag changes and it is loaded again', async (c) => {
    const k = key();
    let loads = 0;
    const load = async () => `body ${++loads}`;
    const first = await c.representation(k, ['r3', 'other'], 60, load);
    await c.invalidate(['r3']);
    const held = (e: string) => e === first.etag;
    const second = await c.representation(k, ['r3', 'other'], 60, load, held);
    expect(second.etag).not.toBe(first.etag);
    expect(second.body).toBe('body 2');
    expect(await c.representation(k, ['r3', 'other'], 60, load, (e) => e === second.etag)).toEqual({ etag: second.etag });
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

  it('when the event loop is busy while Redis answers, then the answer is taken, not counted as a timeout', async () => {
    if (!(await portOpen(Number(new URL(SHARED.redis).port)))) return console.info('redis is not running; skipped (CI starts it)');
    const metrics = new Metrics();
    const c = createCache(SHARED.redis, { metrics, logger: quiet, ttlSeconds: 60, timeoutMs: 50 });
    try {
      const k = `busy-${Math.random()}`;
      let loads = 0;
      const load = async () => ++loads;
      await c.cached(k, ['busy'], 60, load);
      for (let i = 0; i < 5; i++) {
        const read = c.cached(k, ['busy'], 60, load);
        // The request is on the wire; the process then computes for 4 times the timeout before it
        // looks at its sockets again, as under load. Redis has answered long before.
        setImmediate(() => {
          const until = Date.now() + 200;
          while (Date.now() < until);
        });
        expect(await read).toBe(1);
      }
      expect(loads).toBe(1);
      expect((await metrics.cacheErrors.get()).values[0]?.value ?? 0).toBe(0);
    } finally {
      await c.close();
    }
  });

  it('when the event loop is saturated in turns too short to make a timer late, then a store that answers is not timed out', async () => {
    const { store, read, errors } = slowCache();
    expect(await read()).toBe(1);
    store.readDelayMs = 120; // over twice the timeout, as if the answer waited behind the turns below
    const busy = saturate(300, 5);
    expect(await read()).toBe(1); // from the store, not loaded again
    await busy;
    expect(await errors()).toBe(0);
  });

  it('when the store never answers, then a read falls back to the database after the timeout, and after at most four while the loop is saturated', async () => {
    const { store, read, errors } = slowCache();
    expect(await read()).toBe(1);
    store.readDelayMs = Infinity;
    let started = performance.now();
    expect(await read()).toBe(2);
    const idleWait = performance.now() - started;
    const busy = saturate(600, 5);
    started = performance.now();
    expect(await read()).toBe(3);
    const saturatedWait = performance.now() - started;
    await busy;
    expect(idleWait).toBeGreaterThanOrEqual(40); // (a timer counts from the start of its turn)
    expect(saturatedWait).toBeGreaterThanOrEqual(4 * 40); // extended three times
    expect(saturatedWait).toBeLessThan(550); // but not without end (the loop stays busy until 600)
    expect(await errors()).toBe(2);
  });

  it('when an invalidation is slow but lands, then the cache is bypassed only until it lands, not for the TTL', async () => {
    const store = new SlowStore();
    const c = new KeyvCache(new Keyv({ store }), { metrics: new Metrics(), logger: quiet, timeoutMs: 50, maxTtlSeconds: 300 });
    let loads = 0;
    const load = async () => ++loads;
    await c.cached('k', ['t'], 60, load);
    store.delayMs = 300;
    await c.invalidate(['t']); // answers after the 50 ms timeout; the write is still on its way
    store.delayMs = 0;
    expect(await c.cached('k', ['t'], 60, load)).toBe(2); // bypassed: the new generation is not stored yet
    expect(await c.cached('k', ['t'], 60, load)).toBe(3);
    await new Promise((r) => setTimeout(r, 400));
    expect(await c.cached('k', ['t'], 60, load)).toBe(4); // the new generation landed: stale 1 is not served
    expect(await c.cached('k', ['t'], 60, load)).toBe(4); // and caching is back
  });

  it('when a write takes longer than the read timeout but lands, then it is no fault and the value is read back', async () => {
    const store = new SlowStore();
    const metrics = new Metrics();
    const c = new KeyvCache(new Keyv({ store }), { metrics, logger: quiet, timeoutMs: 50, maxTtlSeconds: 300 });
    let loads = 0;
    const load = async () => ++loads;
    store.delayMs = 150; // 3 times the timeout: a read would have given up, a write waits
    expect(await c.cached('k', ['t'], 60, load)).toBe(1);
    store.delayMs = 0;
    expect(await c.cached('k', ['t'], 60, load)).toBe(1);
    expect((await metrics.cacheErrors.get()).values[0]?.value ?? 0).toBe(0);
  });

  it('when an invalidation fails, then the cache stays bypassed (values may be stale)', async () => {
    const store = new SlowStore();
    const c = new KeyvCache(new Keyv({ store, throwOnErrors: true }), { metrics: new Metrics(), logger: quiet, timeoutMs: 50, maxTtlSeconds: 300 });
    let loads = 0;
    const load = async () => ++loads;
    await c.cached('k', ['t'], 60, load);
    store.failing = true;
    await c.invalidate(['t']);
    store.failing = false;
    expect(await c.cached('k', ['t'], 60, load)).toBe(2);
    expect(await c.cached('k', ['t'], 60, load)).toBe(3);
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

describe('how values are stored (textSerializer)', () => {
  it('when a response is stored, then it is kept as is, not escaped as JSON, and read back the same', () => {
    const value = 'sig {"title":"a \\"quoted\\" one\nline",":x":1}';
    const stored = textSerializer.serialize({ value, expires: 1_700_000_000_000 });
    expect(stored).toBe(`\u00011700000000000\n${value}`);
    expect(textSerializer.deserialize(stored)).toEqual({ value, expires: 1_700_000_000_000 });
    expect(textSerializer.deserialize(textSerializer.serialize({ value: ':leading colon' }))).toEqual({ value: ':leading colon' });
  });

  it("when a value was stored by Keyv's default JSON serializer, then it is still read", () => {
    expect(textSerializer.deserialize(JSON.stringify({ value: 'g-token', expires: 5 }))).toEqual({ value: 'g-token', expires: 5 });
    expect(textSerializer.deserialize(textSerializer.serialize({ value: 7 }))).toEqual({ value: 7 });
  });
});

/**
 * A KeyvCache over a {@link SlowStore} with a 50 ms timeout; `read` reads key `k` (tag `t`) through
 * it, loading the count of loads so far plus one; `errors` is its cache_errors_total.
 */
function slowCache() {
  const store = new SlowStore();
  const metrics = new Metrics();
  const c = new KeyvCache(new Keyv({ store }), { metrics, logger: quiet, timeoutMs: 50, maxTtlSeconds: 300 });
  let loads = 0;
  return {
    store,
    read: () => c.cached('k', ['t'], 60, async () => ++loads),
    errors: async () => (await metrics.cacheErrors.get()).values[0]?.value ?? 0,
  };
}

/**
 * Keeps the event loop running callbacks for `totalMs`, in turns of `sliceMs` (each a `setImmediate`
 * that computes), so it never waits for I/O but no timer fires later than one slice. Resolves at the end.
 */
function saturate(totalMs: number, sliceMs: number): Promise<void> {
  const end = performance.now() + totalMs;
  return new Promise((resolve) => {
    const slice = () => {
      const until = Math.min(end, performance.now() + sliceMs);
      while (performance.now() < until);
      if (performance.now() < end) setImmediate(slice);
      else resolve();
    };
    setImmediate(slice);
  });
}

/** An in-memory Keyv store whose reads and writes can be made slow or failing. */
class SlowStore extends Map<string, unknown> {
  delayMs = 0;
  /** Reads answer after this many ms; Infinity: never. */
  readDelayMs = 0;
  failing = false;

  // Keyv awaits an async get; Map's is synchronous.
  override async get(key: string): Promise<unknown> {
    if (this.readDelayMs === Infinity) await new Promise(() => undefined);
    if (this.readDelayMs > 0) await new Promise((r) => setTimeout(r, this.readDelayMs));
    return super.get(key);
  }

  // @ts-expect-error Keyv awaits an async set; Map's is synchronous.
  override async set(key: string, value: unknown): Promise<boolean> {
    if (this.failing) throw new Error('write refused');
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    super.set(key, value);
    return true;
  }
}
