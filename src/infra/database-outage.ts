import type { FastifyBaseLogger } from 'fastify';

/** Seconds a client is told to wait (`Retry-After`) while the database is unreachable. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** Node socket errors and PostgreSQL SQLSTATEs that mean "the database cannot be reached right now". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  // class 08 (connection exception), 53300 too_many_connections, 57P01–57P03 (shutdown, cannot connect now)
  '08000', '08001', '08003', '08004', '08006', '53300', '57P01', '57P02', '57P03',
]);
/** What pg and knex say when a pooled connection dies or none can be had, without a code. */
const UNAVAILABLE_MESSAGES = /Connection terminated|Client has encountered a connection error|Timeout acquiring a connection|Connection ended unexpectedly|connection is closed/i;

/**
 * True when `err` (or an error it wraps, through `cause`/`previous`) says that the database is
 * unreachable — refused, reset or timed-out connections, a server shutting down, a pool that cannot
 * get a connection — as opposed to a fault of the query or of the input. Such a request is worth
 * retrying: both transports answer 503 with `Retry-After`.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (name === 'KnexTimeoutError' || name === 'ConnectionException') return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
    e = (e as { cause?: unknown; previous?: unknown }).cause ?? (e as { previous?: unknown }).previous;
  }
  return false;
}

/**
 * Logs a database outage once, not once per failed request: the first failure logs an error, the
 * following ones only count, and the first successful query after it logs how many requests failed.
 * One per app, shared by REST and GraphQL.
 */
export class DatabaseOutage {
  private since: Date | null = null;
  private failed = 0;

  constructor(private readonly log: FastifyBaseLogger) {}

  /** A request failed because the database is unreachable. */
  report(err: unknown): void {
    this.failed++;
    if (this.since) return;
    this.since = new Date();
    this.log.error({ err }, 'database unreachable: answering 503 until it is back');
  }

  /** A query succeeded: ends the outage, if one was reported. Cheap enough to call on every query. */
  recovered(): void {
    if (!this.since) return;
    this.log.warn({ since: this.since.toISOString(), failedRequests: this.failed }, 'database reachable again');
    this.since = null;
    this.failed = 0;
  }

  /** True between a reported failure and the next successful query. */
  get ongoing(): boolean {
    return this.since !== null;
  }
}
