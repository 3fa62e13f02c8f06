import { etagOfBody } from './etag';

/**
 * A serialized HTTP representation read through the cache: its strong ETag, and its bytes unless the
 * client already holds them (then `body` is undefined and nothing else was read or loaded).
 */
export interface Representation {
  etag: string;
  /** UTF-8 JSON: a string when just made, bytes when read from a store that keeps them (Redis). */
  body?: string | Buffer;
}

/**
 * How a transport turns a cached value into bytes and recognises an ETag its client holds: a REST
 * route serializes with its response schema and compares with `If-None-Match`.
 */
export interface Representer<T> {
  serialize(value: T): string;
  notModified(etag: string): boolean;
}

/**
 * The one cache abstraction: read-through caching of expensive reads with tag-based revalidation.
 *
 * Revalidation uses generation counters kept in the same store (no key scans, so it works across API
 * replicas that share Redis or memcached): each tag has a generation token; a value is stored with a
 * signature of its key and the generations of its tags at the time it was read; `invalidate(tags)`
 * replaces those tokens, so every value tagged with one of them no longer matches and is loaded again.
 * A read is ONE store round trip (the value and its tags' generations in one multi-get).
 *
 * Faults never fail a request: every cache operation is bounded by a timeout (measured on the store's
 * answer, not on this process's event loop, see `KeyvCache` in cache.ts); on error or timeout the value is
 * loaded from the database, the error is counted (`cache_errors_total`) and logged at most once per
 * `ERROR_LOG_INTERVAL_MS` (cache.ts). While an invalidation is not confirmed by the store, this process
 * bypasses the cache (other replicas may serve values up to one TTL old; see README).
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
  /**
   * The serialized response of `key` and its strong ETag (RFC 9110 §8.8.3), cached together: a hit is
   * one store read. The ETag is an HMAC of the key and its tags' generations, so it is known before
   * the body is: when `notModified(etag)` (the client's `If-None-Match` matches), only the generations
   * are read, and neither the body nor the database. Without a store (or when it fails) the ETag is
   * the hash of the loaded body.
   * @param load - the representation's bytes (e.g. JSON serialized by the route's response schema).
   */
  representation(key: string, tags: string[], ttlSeconds: number, load: () => Promise<string>, notModified?: (etag: string) => boolean): Promise<Representation>;
  /** Makes every value tagged with one of `tags` stale, here and on every replica sharing the store. */
  invalidate(tags: string[]): Promise<void>;
  close(): Promise<void>;
}

/** Cache that caches nothing (`CACHE_URL=none`). */
export class NoCache implements Cache {
  cached<T>(_key: string, _tags: string[], _ttl: number, load: () => Promise<T>): Promise<T> {
    return load();
  }

  async cachedMany<T>(entries: { key: string; tags: string[] }[], _ttl: number, load: (misses: number[]) => Promise<T[]>): Promise<T[]> {
    return load(entries.map((_, i) => i));
  }

  async representation(_key: string, _tags: string[], _ttl: number, load: () => Promise<string>): Promise<Representation> {
    const body = await load();
    return { etag: etagOfBody(body), body };
  }

  async invalidate(): Promise<void> {}

  async close(): Promise<void> {}
}
