import http from 'node:http';
import https from 'node:https';
import { Webhook } from 'standardwebhooks';
import { guardedLookup, resolvePublic } from './ssrf-guard';

/** One message as it goes out: the stable `webhook-id`, and its JSON body. */
export interface OutgoingMessage {
  /** `msg_<uuid>`; the same in every attempt, so receivers deduplicate on it. */
  id: string;
  body: string;
}

/** The outcome of one HTTP attempt. `latencyMs` is wall time until the response headers (or the failure). */
export interface AttemptOutcome {
  ok: boolean;
  responseStatus: number | null;
  latencyMs: number;
  /** Why it failed, for the owner: `HTTP 503`, `timeout after 10000 ms`, `… is not a public address`. */
  error: string | null;
}

/** At most this much of a receiver's response body is read (then the socket is dropped). */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * The Standard Webhooks headers of `message` signed now with `secret` (`whsec_…`):
 * `webhook-id`, `webhook-timestamp` (Unix seconds of this attempt), `webhook-signature`
 * (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), computed by the `standardwebhooks` package.
 */
export function signedHeaders(secret: string, message: OutgoingMessage, now = new Date()): Record<string, string> {
  const signature = new Webhook(secret).sign(message.id, now, message.body);
  return { 'webhook-id': message.id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature };
}

/**
 * POSTs `message` to `url`, signed. Success is any 2xx; redirects are not followed (a 3xx is a failure,
 * so a public endpoint cannot bounce the request inward). The target's addresses are checked before
 * the request and again when the socket connects ({@link guardedLookup}). Never throws: every failure
 * is an outcome.
 * @param opts.timeoutMs - whole attempt, connect to response headers.
 * @param opts.allowPrivate - WEBHOOK_ALLOW_PRIVATE: skip the address checks.
 */
export async function postSigned(url: string, secret: string, message: OutgoingMessage, opts: { timeoutMs: number; allowPrivate: boolean }): Promise<AttemptOutcome> {
  const started = performance.now();
  const done = (ok: boolean, responseStatus: number | null, error: string | null): AttemptOutcome => ({ ok, responseStatus, latencyMs: Math.round(performance.now() - started), error });
  try {
    const target = new URL(url);
    await resolvePublic(target.hostname, opts.allowPrivate);
    const status = await post(target, { 'content-type': 'application/json', 'user-agent': 'calendar-service-webhooks/1', ...signedHeaders(secret, message) }, message.body, opts);
    return status >= 200 && status < 300 ? done(true, status, null) : done(false, status, `HTTP ${status}`);
  } catch (err) {
    return done(false, null, describe(err, opts.timeoutMs));
  }
}

function post(target: URL, headers: Record<string, string>, body: string, opts: { timeoutMs: number; allowPrivate: boolean }): Promise<number> {
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(target, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: guardedLookup(opts.allowPrivate) as never,
      signal: AbortSignal.timeout(opts.timeoutMs),
      agent: false,
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) res.destroy();
      });
      res.on('error', () => undefined);
      res.on('close', () => resolve(res.statusCode ?? 0));
    });
    req.end(body);
  });
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timeout after ${timeoutMs} ms`;
  if (e?.name === 'BlockedAddressError') return e.message;
  if (e?.code) return `${e.code}${e.message && !e.message.includes(e.code) ? `: ${e.message}` : ''}`.slice(0, 500);
  return String(e?.message ?? err).slice(0, 500);
}
