import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import KeyvRedis from '@keyv/redis';
import KeyvMemcache from '@keyv/memcache';
import Keyv from 'keyv';
import { KeyvFile } from 'keyv-file';
import type { Metrics } from './metrics';

/**
 * The one cache abstraction: read-through caching of expensive reads with tag-based revalidation.
 *
 * Revalidation uses generation counters kept in the same store (no key scans, so it works across API
 * replicas that share Redis or memcached): each tag has a generation token; a cached value's key
 * includes the generations of its tags at the time it was read; `invalidate(tags)` replaces those
 * tokens, so every value tagged with one of them is never read again and expires by its TTL.
 *
 * Faults never fail a request: every cache operation is bounded by a timeout; on error or timeout the
 * value is loaded from the database, the error is counted (`cache_errors_total`) and logged at most
 * once per {@link ERROR_LOG_INTERVAL_MS}. If an invalidation cannot be written, this process bypasses
 * the cache for one TTL (other replicas may serve values up to one TTL old; see README).
 */
export interface Cache {
  /**
   * The value of `key`, loaded with `load` and stored for `ttlSeconds` when absent, stale (a tag was
   * invalidated since) or refused by `accept`.
   * @param tags - names of what the value was read from, e.g. `calendar:<id>`; each module names its
   *   own (e.g. src/modules/events/event-tags.ts).
   */
  cached<T>(key: string, tags: string[], ttlSeconds: number, load: () => Promise<T>, opts?: { accept?: (value: T) => boolean }): Promise<T>;
  /**
   * Batched {@link cached}: one store round trip for all keys; `load` receives the indexes of the
   * misses and returns their values in that order.
   */
  cachedMany<T>(entries: { key: string; tags: string[] }[], ttlSeconds: number, load: (misses: number[]) => Promise<T[]>, opts?: { accept?: (value: T) => boolean }): Promise<T[]>;
  /** Makes every value tagged with one of `tags` stale, here and on every replica sharing the store. */
  invalidate(tags: string[]): Promise<void>;
  close(): Promise<void>;
}

/** Default 100 ms: how long a cache operation may take before the request goes to the database. */
export const DEFAULT_TIMEOUT_MS = 100;
/** Errors are logged at most this often (they are all counted in metrics). */
export const ERROR_LOG_INTERVAL_MS = 30_000;

/** Cache that caches nothing (`CACHE_URL=none`). */
export class NoCache implements Cache {
  cached<T>(_key: string, _tags: string[], _ttl: number, load: () => Promise<T>): Promise<T> {
    return load();
  }

  async cachedMany<T>(entries: { key: string; tags: string[] }[], _ttl: number, load: (misses: number[]) => Promise<T[]>): Promise<T[]> {
    return load(entries.map((_, i) => i));
  }

  async invalidate(): Promise<void> {}

  async close(): Promise<void> {}
}

/** Logger subset the cache needs (pino's). */
export interface CacheLogger {
  error(obj: object, msg: string): void;
}

/** A cache over any Keyv store. */
export class KeyvCache implements Cache {
  private lastErrorLog = 0;
  private bypassUntil = 0;

  constructor(
    private readonly keyv: Keyv,
    private readonly opts: { metrics: Metrics; logger: CacheLogger; timeoutMs?: number; maxTtlSeconds?: number; onClose?: () => Promise<void> },
  ) {
    keyv.on('error', (err: unknown) => this.fault(err));
  }

  async cached<T>(key: string, tags: string[], ttlSeconds: number, load: () => Promise<T>, opts: { accept?: (value: T) => boolean } = {}): Promise<T> {
    const [value] = await this.cachedMany<T>([{ key, tags }], ttlSeconds, async () => [await load()], opts);
    return value as T;
  }

  async cachedMany<T>(entries: { key: string; tags: string[] }[], ttlSeconds: number, load: (misses: number[]) => Promise<T[]>, opts: { accept?: (value: T) => boolean } = {}): Promise<T[]> {
    if (entries.length === 0) return [];
    if (Date.now() < this.bypassUntil) return load(entries.map((_, i) => i));
    const tags = [...new Set(entries.flatMap((e) => e.tags))];
    const generations = await this.guard(() => this.keyv.getMany<string>(tags.map(generationKey)));
    if (!generations) return load(entries.map((_, i) => i));
    const generationOf = new Map(tags.map((t, i) => [t, generations[i] ?? '0']));
    const storeKeys = entries.map((e) => valueKey(e.key, e.tags.map((t) => `${t}=${generationOf.get(t)}`)));
    const stored = (await this.guard(() => this.keyv.getMany<string>(storeKeys))) ?? [];
    const values: (T | undefined)[] = entries.map((_, i) => {
      const raw = stored[i];
      if (typeof raw !== 'string') return undefined;
      const value = decode<T>(raw);
      return opts.accept && !opts.accept(value) ? undefined : value;
    });
    const misses = values.flatMap((v, i) => (v === undefined ? [i] : []));
    this.opts.metrics.cacheHits.inc(entries.length - misses.length);
    if (misses.length === 0) return values as T[];
    this.opts.metrics.cacheMisses.inc(misses.length);
    const loaded = await load(misses);
    misses.forEach((entryIndex, j) => (values[entryIndex] = loaded[j]));
    await this.guard(() => this.keyv.setMany(misses.map((i) => ({ key: storeKeys[i]!, value: encode(values[i]), ttl: ttlSeconds * 1000 }))));
    return values as T[];
  }

  async invalidate(tags: string[]): Promise<void> {
    if (tags.length === 0) return;
    const token = randomUUID();
    const ok = await this.guard(() => this.keyv.setMany([...new Set(tags)].map((t) => ({ key: generationKey(t), value: token }))));
    if (ok === undefined) {
      // The new generation did not reach the store: stop trusting it here for the longest TTL.
      this.bypassUntil = Date.now() + (this.opts.maxTtlSeconds ?? 300) * 1000;
    }
  }

  /** Closes the store's connection; bounded, so a server that is down cannot hold up shutdown. */
  async close(): Promise<void> {
    await this.guard(async () => this.opts.onClose?.());
  }

  /** Runs a store operation within the timeout; undefined on error or timeout (counted and logged). */
  private async guard<R>(op: () => Promise<R>): Promise<R | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        op().then((r) => (r === undefined ? (null as R) : r)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`cache operation took more than ${this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`)), this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
        }),
      ]);
    } catch (err) {
      this.fault(err);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private fault(err: unknown): void {
    this.opts.metrics.cacheErrors.inc();
    const now = Date.now();
    if (now - this.lastErrorLog >= ERROR_LOG_INTERVAL_MS) {
      this.lastErrorLog = now;
      this.opts.logger.error({ err }, 'cache unavailable: serving from the database');
    }
  }
}

/**
 * Builds the cache named by `CACHE_URL`: `memory://` (this process only), `redis://host:port`,
 * `memcached://host:port`, `file://path` (JSON file; `file://./data/cache.json`), or `none`.
 * @throws Error for another scheme (configuration validation rejects it earlier).
 */
export function createCache(url: string, deps: { metrics: Metrics; logger: CacheLogger; ttlSeconds: number; timeoutMs: number }): Cache {
  const common = { metrics: deps.metrics, logger: deps.logger, timeoutMs: deps.timeoutMs, maxTtlSeconds: deps.ttlSeconds };
  if (url === 'none') return new NoCache();
  if (url.startsWith('memory://')) return new KeyvCache(new Keyv({ namespace: 'cal' }), common);
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    // Errors surface (throwOnErrors) so a down server costs one timeout, not a hung request;
    // the client reconnects by itself.
    const store = new KeyvRedis(url, { throwOnConnectError: false, throwOnErrors: true });
    // Forced disconnect: a graceful QUIT waits for queued commands, forever while the server is down.
    return new KeyvCache(new Keyv({ store, namespace: 'cal', throwOnErrors: true }), { ...common, onClose: () => store.disconnect(true) });
  }
  if (url.startsWith('memcached://')) {
    const store = new KeyvMemcache(url.slice('memcached://'.length), { retries: 0, timeout: deps.timeoutMs / 1000, conntimeout: deps.timeoutMs / 1000 });
    // @keyv/memcache has no disconnect: quit the memjs client or the process never exits.
    return new KeyvCache(new Keyv({ store, namespace: 'cal', throwOnErrors: true }), { ...common, onClose: async () => store.client.quit() });
  }
  if (url.startsWith('file://')) {
    const store = new KeyvFile({ filename: path.resolve(url.slice('file://'.length)), writeDelay: 10 });
    return new KeyvCache(new Keyv({ store: store as never, namespace: 'cal' }), common);
  }
  throw new Error(`CACHE_URL: unknown scheme in ${url} (memory://, redis://, memcached://, file://, none)`);
}

function generationKey(tag: string): string {
  return `g:${hash(tag)}`;
}

/** Store keys are hashed: memcached allows at most 250 characters and no spaces. */
function valueKey(key: string, generations: string[]): string {
  return `v:${hash(`${key}\n${generations.join('\n')}`)}`;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** JSON that keeps Dates: `{ "$date": iso }` (a key no view uses). */
function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.toISOString() } : v;
  });
}

function decode<T>(text: string): T {
  return JSON.parse(text, (_key, v) => (v && typeof v === 'object' && typeof v.$date === 'string' && Object.keys(v).length === 1 ? new Date(v.$date) : v)) as T;
}
