import path from 'node:path';
import KeyvRedis from '@keyv/redis';
import KeyvMemcache from '@keyv/memcache';
import Keyv from 'keyv';
import { KeyvFile } from 'keyv-file';
import { type Cache, type CacheLogger, KeyvCache, NoCache } from './cache';
import type { Metrics } from './metrics';

/**
 * Builds the cache named by `CACHE_URL`: `memory://` (this process only), `redis://host:port`,
 * `memcached://host:port`, `file://path` (JSON file; `file://./data/cache.json`), or `none`.
 * `etagSecret` keys the ETags of cached representations; replicas that share a store must share it.
 * @throws Error for another scheme (configuration validation rejects it earlier).
 */
export function createCache(url: string, deps: { metrics: Metrics; logger: CacheLogger; ttlSeconds: number; timeoutMs: number; etagSecret?: string }): Cache {
  const common = { metrics: deps.metrics, logger: deps.logger, timeoutMs: deps.timeoutMs, maxTtlSeconds: deps.ttlSeconds, etagSecret: deps.etagSecret };
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
