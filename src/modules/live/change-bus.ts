import { EventEmitter } from 'node:events';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import type { EventChange } from '../events/changes/event-changes';

/** PostgreSQL channel the replicas publish changes on. */
export const CHANGES_CHANNEL = 'calendar_changes';

type Listener = (change: EventChange) => void;

/**
 * Carries committed changes to the subscribers of every replica. A writer calls
 * {@link publishInTransaction} inside its transaction and {@link publishAfterCommit} once it
 * committed; each bus acts on the one it can honour, so a change is published only after commit and
 * never for a rolled-back transaction.
 */
export interface ChangeBus {
  publishInTransaction(em: EntityManager, changes: readonly EventChange[]): Promise<void>;
  publishAfterCommit(changes: readonly EventChange[]): void;
  /** Calls `listener` for every change committed on any replica. @returns the unsubscribe function. */
  onChange(listener: Listener): () => void;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One process only (the embedded single-process default, or `LIVE_FANOUT=local`): changes go to this
 * process's listeners right after commit.
 */
export class LocalChangeBus implements ChangeBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publishInTransaction(): Promise<void> {}

  publishAfterCommit(changes: readonly EventChange[]): void {
    if (changes.length > 0) setImmediate(() => changes.forEach((c) => this.emitter.emit('change', c)));
  }

  onChange(listener: Listener): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  async start(): Promise<void> {}
  async close(): Promise<void> {}
}

/**
 * Across replicas through PostgreSQL LISTEN/NOTIFY: `pg_notify` runs inside the writer's transaction,
 * and PostgreSQL delivers notifications only when (and if) it commits, to every listening session,
 * in commit order. Each replica keeps one dedicated connection that LISTENs and reconnects (1 s, 2 s,
 * … up to 30 s) when it drops; changes committed while it is down are not replayed (clients catch up
 * through sync tokens). Not through a transaction-mode pooler (PgBouncer): LISTEN needs a session.
 */
export class PostgresChangeBus implements ChangeBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private client: Client | undefined;
  private closed = false;
  private retryMs = 1000;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly log: { warn(obj: object, msg: string): void },
  ) {}

  async publishInTransaction(em: EntityManager, changes: readonly EventChange[]): Promise<void> {
    if (changes.length === 0) return;
    // One statement for all changes; each payload is a few hundred bytes (the limit is 8000).
    const payloads = JSON.stringify(changes.map((c) => JSON.stringify(c)));
    await em.getConnection().execute(`select pg_notify(?, x) from json_array_elements_text(?::json) as x`, [CHANGES_CHANNEL, payloads], 'all', em.getTransactionContext());
  }

  publishAfterCommit(): void {}

  onChange(listener: Listener): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  /** Connects the listening session. @throws the connection error of the first attempt. */
  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: 'calendar-live' });
    client.on('notification', (msg) => {
      if (msg.channel !== CHANGES_CHANNEL || !msg.payload) return;
      try {
        this.emitter.emit('change', JSON.parse(msg.payload) as EventChange);
      } catch {
        this.log.warn({ payload: msg.payload.slice(0, 200) }, 'unreadable change notification');
      }
    });
    const lost = (err?: Error) => {
      if (this.client !== client) return; // not (or no longer) the live session
      this.client = undefined;
      this.log.warn({ err }, 'change listener connection lost; reconnecting');
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`listen ${CHANGES_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.client = client;
    this.retryMs = 1000;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().catch((err: unknown) => {
        this.log.warn({ err }, 'change listener reconnection failed');
        this.retryMs = Math.min(this.retryMs * 2, 30_000);
        this.scheduleReconnect();
      });
    }, this.retryMs);
  }
}
