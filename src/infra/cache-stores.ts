import path from 'node:path';
import KeyvRedis from '@keyv/redis';
import { createClient, RESP_TYPES } from '@redis/client';
import KeyvMemcache from '@keyv/memcache';
import Keyv from 'keyv';
import { KeyvFile } from 'keyv-file';
import { type Cache, type CacheLogger, KeyvCache, NoCache } from './cache';
import type { Metrics } from './metrics';

/** First character of a value stored by {@link textSerializer} (the JSON Keyv wrote before starts with `{`). */
const TEXT_MARK = '\u0001';

/**
 * How Keyv stores the cache's values, all strings (`<signature> <payload>`, tag generations):
 * `\u0001<expires ms or nothing>\n<value>`, the value as is. Keyv's default wraps it in JSON
 * (`{"value":"…","expires":…}`, still used for a value that is not a string), which escapes every
 * quote of a cached response on the way in and unescapes it, through a reviver, on the way out: 30 %
 * of the CPU of a warm month view (260 KB) in the profile of `npm run bench`. Values Keyv's default wrote earlier are still read (a replica of the
 * previous version reading this format fails to parse it and serves from the database).
 */
export const textSerializer = {
  serialize: <Value>(data: { value?: Value; expires?: number }): string => {
    if (typeof data.value !== 'string') return JSON.stringify(data);
    return `${TEXT_MARK}${data.expires ?? ''}\n${data.value}`;
  },
  deserialize: <Value>(raw: string | Buffer): { value?: Value; expires?: number } | undefined => {
    // memjs hands @keyv/memcache a Buffer, which deserializes it itself with this function (the value
    // becomes a string there; Redis keeps bytes, see ByteRedisStore).
    const text = typeof raw === 'string' ? raw : raw.toString('utf8');
    return isFramed(text) ? (unframe(text) as { value?: Value; expires?: number } | undefined) : (JSON.parse(text) as { value?: Value; expires?: number });
  },
};

/** Whether a stored value is in {@link textSerializer}'s form (else it is Keyv's JSON). */
function isFramed(raw: string | Buffer): boolean {
  return typeof raw === 'string' ? raw.startsWith(TEXT_MARK) : raw[0] === TEXT_MARK.charCodeAt(0);
}

/**
 * `{ value, expires }` of a value in {@link textSerializer}'s form, the value of the type it came in
 * (a slice of the text, or of the bytes: not copied); undefined when the header has no end.
 */
function unframe<S extends string | Buffer>(raw: S): { value: S; expires?: number } | undefined {
  const newline = raw.indexOf('\n');
  if (newline < 0) return undefined;
  const expires = typeof raw === 'string' ? raw.slice(1, newline) : raw.toString('latin1', 1, newline);
  const value = (typeof raw === 'string' ? raw.slice(newline + 1) : raw.subarray(newline + 1)) as S;
  return { value, ...(expires && { expires: Number(expires) }) };
}

/** A value the Redis client answered (bytes), as Keyv's `{ value, expires }`, the value still bytes. */
function fromBytes(raw: unknown): unknown {
  if (raw === undefined || raw === null) return undefined;
  return Buffer.isBuffer(raw) && isFramed(raw) ? unframe(raw) : textSerializer.deserialize(raw as string | Buffer);
}

/**
 * @keyv/redis over a node-redis client that answers values as bytes (`Buffer`), which it hands Keyv
 * already deserialized ({@link fromBytes}). A cached response then goes from the Redis reply to the
 * socket as the same bytes: no 260 KB string decoded from UTF-8 and encoded again per hit (warm month
 * view 2.4 times as many requests a second in `npm run bench`).
 */
class ByteRedisStore extends KeyvRedis<string> {
  constructor(url: string) {
    super(createClient({ url, commandOptions: { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } } }) as never, { throwOnConnectError: false, throwOnErrors: true });
  }

  override async get<U = string>(key: string): Promise<U | undefined> {
    return fromBytes(await super.get<unknown>(key)) as U | undefined;
  }

  override async getMany<U = string>(keys: string[]): Promise<Array<U | undefined>> {
    return (await super.getMany<unknown>(keys)).map((raw) => fromBytes(raw) as U | undefined);
  }
}

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
    const store = new ByteRedisStore(url);
    // Forced disconnect: a graceful QUIT waits for queued commands, forever while the server is down.
    return new KeyvCache(new Keyv({ store, namespace: 'cal', throwOnErrors: true, ...textSerializer }), { ...common, onClose: () => store.disconnect(true) });
  }
  if (url.startsWith('memcached://')) {
    const store = new KeyvMemcache(url.slice('memcached://'.length), { deserialize: textSerializer.deserialize, retries: 0, timeout: deps.timeoutMs / 1000, conntimeout: deps.timeoutMs / 1000 });
    // @keyv/memcache has no disconnect: quit the memjs client or the process never exits.
    return new KeyvCache(new Keyv({ store, namespace: 'cal', throwOnErrors: true, ...textSerializer }), { ...common, onClose: async () => store.client.quit() });
  }
  if (url.startsWith('file://')) {
    const store = new KeyvFile({ filename: path.resolve(url.slice('file://'.length)), writeDelay: 10 });
    return new KeyvCache(new Keyv({ store: store as never, namespace: 'cal', ...textSerializer }), common);
  }
  throw new Error(`CACHE_URL: unknown scheme in ${url} (memory://, redis://, memcached://, file://, none)`);
}
