import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type Keyv from 'keyv';
import type { Cache, Representation } from './cache-contract';
import { etagOfBody } from './etag';
import type { Metrics } from './metrics';

export { type Cache, NoCache, type Representation, type Representer } from './cache-contract';

/** Default 100 ms: how long the store may take to answer before the request goes to the database. */
export const DEFAULT_TIMEOUT_MS = 100;
/**
 * A write may take this many times the timeout. Nothing waits on a write but the response it
 * follows: a read that times out has the database to fall back to, a write has nothing better to do
 * than land. In the cold-cache scenario of `npm run bench` (a new 260 KB page written per request,
 * Redis sharing 2 busy cores) writes were the cache's only timeouts, with Redis healthy.
 */
export const WRITE_TIMEOUT_FACTOR = 10;
/** Errors are logged at most this often (they are all counted in metrics). */
export const ERROR_LOG_INTERVAL_MS = 30_000;

/** Logger subset the cache needs (pino's). */
export interface CacheLogger {
  error(obj: object, msg: string): void;
}

/** Outcome of a store operation run by {@link KeyvCache.guard}. */
type Guarded<R> = { ok: true; value: R } | { ok: false; pending?: Promise<R> };

/** Times a deadline may be pushed back because this process, not the store, was late. */
const MAX_DEADLINE_EXTENSIONS = 3;
/** Event-loop utilization (0–1) over a deadline's window above which this process counts as the late one. */
const SATURATED_LOOP = 0.9;

/**
 * Resolves when the store has had `timeoutMs` to answer. Three corrections keep a busy event loop
 * from counting as a slow store: the decision waits for the next I/O poll (`setImmediate` runs after
 * it), so an answer already received is taken first; and when the timer itself fired late by more
 * than half the timeout (the loop was blocked), or the loop ran callbacks for over
 * {@link SATURATED_LOOP} of the window (`performance.eventLoopUtilization`: saturated, in turns too
 * short to make the timer late), the request may have left late or its answer waited unread
 * (node-redis writes in a `setImmediate`, which waits a whole turn when set from the check phase), so
 * the store gets another `timeoutMs`, at most {@link MAX_DEADLINE_EXTENSIONS} times. Measured on the
 * cold-cache scenario of `npm run bench` (a 260 KB page built and written per request): every
 * timeout left came with a utilization of 1.00 over its window and an answer 1–47 ms after it.
 */
function storeDeadline(timeoutMs: number, onTimer: (timer: NodeJS.Timeout) => void): Promise<void> {
  return new Promise((resolve) => {
    let extensions = 0;
    const arm = () => {
      const due = Date.now() + timeoutMs;
      const loopBefore = performance.eventLoopUtilization();
      onTimer(setTimeout(() => {
        const late = Date.now() - due > timeoutMs / 2;
        const saturated = performance.eventLoopUtilization(loopBefore).utilization > SATURATED_LOOP;
        if ((late || saturated) && extensions++ < MAX_DEADLINE_EXTENSIONS) return arm();
        setImmediate(resolve);
      }, timeoutMs));
    };
    arm();
  });
}

/**
 * A cache over any Keyv store.
 *
 * Timeouts measure the store, not this process's event loop ({@link storeDeadline}): under CPU load
 * the old deadline (a plain timer raced with the answer) counted 15 % of lookups as timeouts with
 * Redis answering in well under a millisecond, and each one went to the database.
 */
export class KeyvCache implements Cache {
  private lastErrorLog = 0;
  /** Reads and writes skip the store until then: an invalidation failed, or is not yet confirmed. */
  private bypassUntil = 0;
  /** Until then an invalidation is known to be missing from the store (it failed). */
  private failedUntil = 0;
  private readonly unconfirmed = new Set<Promise<unknown>>();
  private readonly secret: string;

  constructor(
    private readonly keyv: Keyv,
    private readonly opts: { metrics: Metrics; logger: CacheLogger; timeoutMs?: number; maxTtlSeconds?: number; etagSecret?: string; onClose?: () => Promise<void> },
  ) {
    keyv.on('error', (err: unknown) => this.fault(err));
    this.secret = opts.etagSecret ?? randomBytes(32).toString('base64url');
  }

  async cached<T>(key: string, tags: string[], ttlSeconds: number, load: () => Promise<T>, opts: { accept?: (value: T) => boolean } = {}): Promise<T> {
    const [value] = await this.cachedMany<T>([{ key, tags }], ttlSeconds, async () => [await load()], opts);
    return value as T;
  }

  async cachedMany<T>(entries: { key: string; tags: string[] }[], ttlSeconds: number, load: (misses: number[]) => Promise<T[]>, opts: { accept?: (value: T) => boolean } = {}): Promise<T[]> {
    if (entries.length === 0) return [];
    const read = this.bypassed() ? undefined : await this.read(entries.map((e) => e.key), [...new Set(entries.flatMap((e) => e.tags))]);
    if (!read) return load(entries.map((_, i) => i));
    const signatures = entries.map((e) => this.signature(e.key, e.tags, read.generationOf));
    const values: (T | undefined)[] = entries.map((_, i) => {
      const raw = unsigned(read.values[i], signatures[i]!);
      if (raw === undefined) return undefined;
      const value = decode<T>(raw);
      return opts.accept && !opts.accept(value) ? undefined : value;
    });
    const misses = values.flatMap((v, i) => (v === undefined ? [i] : []));
    this.opts.metrics.cacheHits.inc(entries.length - misses.length);
    if (misses.length === 0) return values as T[];
    this.opts.metrics.cacheMisses.inc(misses.length);
    const loaded = await load(misses);
    misses.forEach((entryIndex, j) => (values[entryIndex] = loaded[j]));
    await this.write(misses.map((i) => ({ key: entries[i]!.key, value: `${signatures[i]} ${encode(values[i])}` })), ttlSeconds);
    return values as T[];
  }

  async representation(key: string, tags: string[], ttlSeconds: number, load: () => Promise<string>, notModified?: (etag: string) => boolean): Promise<Representation> {
    const uniqueTags = [...new Set(tags)];
    const uncached = async () => {
      const body = await load();
      return { etag: etagOfBody(body), body };
    };
    if (this.bypassed()) return uncached();
    // A conditional request reads only the generations: its ETag needs nothing else.
    const read = notModified ? await this.read([], uniqueTags) : await this.read([key], uniqueTags);
    if (!read) return uncached();
    const signature = this.signature(key, uniqueTags, read.generationOf);
    const etag = `"${signature.slice(0, 27)}"`;
    if (notModified?.(etag)) {
      this.opts.metrics.cacheHits.inc();
      return { etag };
    }
    const stored = notModified ? (await this.guard(() => this.keyv.get<Stored>(valueKey(key)))) : { ok: true as const, value: read.values[0] };
    const body = stored.ok ? unsigned(stored.value ?? undefined, signature) : undefined;
    if (body !== undefined) {
      this.opts.metrics.cacheHits.inc();
      return { etag, body };
    }
    this.opts.metrics.cacheMisses.inc();
    const loaded = await load();
    await this.write([{ key, value: `${signature} ${loaded}` }], ttlSeconds);
    return { etag, body: loaded };
  }

  async invalidate(tags: string[]): Promise<void> {
    if (tags.length === 0) return;
    const token = randomUUID();
    const outcome = await this.guard(() => this.keyv.setMany([...new Set(tags)].map((t) => ({ key: generationKey(t), value: token }))));
    if (outcome.ok) return;
    // The new generation is not (yet) in the store, so values cached under the old one must not be
    // read here. A failed write keeps the store off for the longest TTL (every such value has expired
    // by then); a slow one only until it lands, so a busy moment does not switch the cache off.
    const maxTtlMs = (this.opts.maxTtlSeconds ?? 300) * 1000;
    this.bypassUntil = Math.max(this.bypassUntil, Date.now() + maxTtlMs);
    const pending = outcome.pending;
    if (!pending) {
      this.failedUntil = this.bypassUntil;
      return;
    }
    this.unconfirmed.add(pending);
    pending.then(
      () => {
        this.unconfirmed.delete(pending);
        if (this.unconfirmed.size === 0) this.bypassUntil = this.failedUntil;
      },
      (err: unknown) => {
        this.unconfirmed.delete(pending);
        this.fault(err);
        this.failedUntil = Date.now() + maxTtlMs;
        this.bypassUntil = Math.max(this.bypassUntil, this.failedUntil);
      },
    );
  }

  /** Closes the store's connection; bounded, so a server that is down cannot hold up shutdown. */
  async close(): Promise<void> {
    await this.guard(async () => this.opts.onClose?.());
  }

  private bypassed(): boolean {
    return Date.now() < this.bypassUntil;
  }

  /** The stored values of `keys` and the generations of `tags`, in one round trip; undefined on a fault. */
  private async read(keys: string[], tags: string[]): Promise<{ values: (Stored | undefined)[]; generationOf: Map<string, string> } | undefined> {
    const all = [...keys.map(valueKey), ...tags.map(generationKey)];
    if (all.length === 0) return { values: [], generationOf: new Map() };
    const got = await this.guard(() => this.keyv.getMany<Stored>(all));
    if (!got.ok) return undefined;
    const raw = got.value ?? [];
    return {
      values: keys.map((_, i) => (isStored(raw[i]) ? raw[i] : undefined)),
      generationOf: new Map(tags.map((t, i) => [t, isStored(raw[keys.length + i]) ? raw[keys.length + i]!.toString() : '0'])),
    };
  }

  private async write(entries: { key: string; value: string }[], ttlSeconds: number): Promise<void> {
    await this.guard(() => this.keyv.setMany(entries.map((e) => ({ key: valueKey(e.key), value: e.value, ttl: ttlSeconds * 1000 }))), WRITE_TIMEOUT_FACTOR);
  }

  /**
   * What a stored value must carry to be current: an HMAC (keyed per deployment, so an ETag cannot be
   * forged by someone who was never sent it) of its key and the generations of its tags.
   */
  private signature(key: string, tags: string[], generationOf: Map<string, string>): string {
    const hmac = createHmac('sha256', this.secret).update(key);
    for (const t of tags) hmac.update(`\n${t}=${generationOf.get(t) ?? '0'}`);
    return hmac.digest('base64url');
  }

  /**
   * Runs a store operation within the timeout (times `factor`). On error or timeout the fault is
   * counted and logged; on a timeout the operation's own promise is returned as `pending`, still running.
   */
  private async guard<R>(op: () => Promise<R>, factor = 1): Promise<Guarded<R>> {
    const timeoutMs = (this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) * factor;
    let timer: NodeJS.Timeout | undefined;
    let pending: Promise<R>;
    try {
      pending = op();
    } catch (err) {
      this.fault(err);
      return { ok: false };
    }
    const timedOut = Symbol('timeout');
    try {
      const winner = await Promise.race([pending, storeDeadline(timeoutMs, (t) => (timer = t)).then(() => timedOut)]);
      if (winner !== timedOut) return { ok: true, value: winner as R };
      this.fault(new Error(`cache store took more than ${timeoutMs} ms to answer`));
      pending.catch(() => undefined);
      return { ok: false, pending };
    } catch (err) {
      this.fault(err);
      return { ok: false };
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

function generationKey(tag: string): string {
  return `g:${hash(tag)}`;
}

/** Store keys are hashed: memcached allows at most 250 characters and no spaces. */
function valueKey(key: string): string {
  return `v:${hash(key)}`;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** A stored value: text, or bytes from a store that keeps them (Redis, see cache-stores.ts). */
type Stored = string | Buffer;

function isStored(value: unknown): value is Stored {
  return typeof value === 'string' || Buffer.isBuffer(value);
}

/**
 * The payload of a stored `<signature> <payload>` when it carries `signature` (base64url, so one byte
 * per character), else undefined (stale or absent); bytes stay bytes, not copied.
 */
function unsigned<S extends Stored>(stored: S | undefined | null, signature: string): S | undefined {
  if (stored === undefined || stored === null || stored.length <= signature.length) return undefined;
  if (typeof stored === 'string') return stored.startsWith(signature) && stored[signature.length] === ' ' ? (stored.slice(signature.length + 1) as S) : undefined;
  const bytes = stored as Buffer;
  return bytes.toString('latin1', 0, signature.length) === signature && bytes[signature.length] === 0x20 ? (bytes.subarray(signature.length + 1) as S) : undefined;
}

/** JSON that keeps Dates: `{ "$date": iso }` (a key no view uses). */
function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.toISOString() } : v;
  });
}

function decode<T>(stored: Stored): T {
  const text = typeof stored === 'string' ? stored : stored.toString('utf8');
  return JSON.parse(text, (_key, v) => (v && typeof v === 'object' && typeof v.$date === 'string' && Object.keys(v).length === 1 ? new Date(v.$date) : v)) as T;
}
