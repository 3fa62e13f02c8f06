import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import PgBoss from 'pg-boss';
import { type DatabaseOutage, isDatabaseUnavailable } from '../../infra/database-outage';
import type { Metrics } from '../../infra/metrics';
import { type EventChange } from '../events/changes/event-changes';
import { audienceOf, eventTypeOf, type WebhookEventType } from './webhook-events';
import { nextRetryDelay } from './retry-schedule';
import { stableUuid, transactionDb } from './transaction-db';
import { WebhookAttempt, WebhookEndpoint } from './webhook.entity';
import { type AttemptOutcome, postSigned } from './webhook.sender';

/** Key of the advisory lock that serialises queue set-up across processes. */
const QUEUE_SETUP_LOCK = 724243;

/** The pg-boss queue of webhook deliveries: one job per attempt of one message to one endpoint. */
export const DELIVERY_QUEUE = 'webhook-delivery';

/** A job of {@link DELIVERY_QUEUE}: everything an attempt needs except the endpoint's URL and secret. */
export interface DeliveryJob {
  endpointId: string;
  /** `webhook-id`: `msg_<uuid>`, the same for every endpoint and attempt of one change. */
  messageId: string;
  type: WebhookEventType;
  /** When the change was committed (ISO 8601 UTC); the body's `timestamp`. */
  timestamp: string;
  data: Record<string, unknown>;
  /** 1-based. */
  attempt: number;
}

/** How the queue behaves (from config.webhooks). */
export interface WebhookQueueOptions {
  /** Seconds before each retry; exhausted → the endpoint is disabled. */
  retrySchedule: readonly number[];
  allowPrivate: boolean;
  /** One attempt's time limit, ms. */
  timeoutMs: number;
  /** Attempts this replica runs at once; 0: enqueue only. */
  concurrency: number;
  /** Days an attempt stays listed; each new attempt of an endpoint deletes that endpoint's older ones. */
  attemptRetentionDays: number;
}

interface Logger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** The Standard Webhooks body of a job: `{type, timestamp, data}`. The same bytes in every attempt. */
export function bodyOf(job: Pick<DeliveryJob, 'type' | 'timestamp' | 'data'>): string {
  return JSON.stringify({ type: job.type, timestamp: job.timestamp, data: job.data });
}

/** What a message says about a change: ids only (receivers read the current state through the API). */
function dataOf(change: EventChange): Record<string, unknown> {
  const { type: _type, ...fields } = change;
  if (change.type === 'entry') {
    const { ownerId: _owner, ...data } = fields as Omit<typeof change, 'type'>;
    return data;
  }
  return fields;
}

/**
 * Webhook delivery on pg-boss (PostgreSQL as the queue, schema `pgboss`):
 * - {@link enqueue} runs inside the writer's transaction and inserts one job per (change, subscribed
 *   endpoint) in it — a transactional outbox without a relay: a job exists exactly when its change
 *   committed, and survives any crash after that;
 * - the workers take each job once across all replicas (`FOR UPDATE SKIP LOCKED`), POST it signed
 *   (Standard Webhooks), record the attempt, and on failure insert the next attempt after the next
 *   delay of the retry schedule, in one transaction; job ids are derived from (message, endpoint,
 *   attempt), so a re-run after a crash inserts nothing twice. Delivery is at least once: a crash
 *   between the receiver's answer and the record repeats the attempt, with the same `webhook-id`;
 * - when the schedule is exhausted the endpoint is disabled, with the reason.
 */
export class WebhookQueue {
  private readonly boss: PgBoss;
  private started = false;

  /**
   * @param url - the database's URL; pg-boss keeps its own small pool there.
   * @param observe.outage - where an unreachable database is reported (once per outage, shared with
   *   the transports); without it, queue errors are all logged as errors.
   * @param observe.metrics - where attempts are counted and timed (`webhook_deliveries_total`,
   *   `webhook_delivery_duration_seconds`).
   */
  constructor(
    private readonly url: string,
    private readonly orm: MikroORM,
    private readonly options: WebhookQueueOptions,
    private readonly log: Logger,
    private readonly observe: { outage?: DatabaseOutage; metrics?: Metrics } = {},
  ) {
    this.boss = new PgBoss({
      connectionString: url,
      max: Math.max(2, Math.min(options.concurrency, 8) + 1),
      application_name: 'calendar-webhooks',
      schedule: false,
      // A worker that died mid-attempt leaves its job active: it is failed (and retried) after this.
      expireInSeconds: Math.ceil(options.timeoutMs / 1000) + 30,
    });
    // pg-boss polls the database: during an outage every poll fails. Those failures belong to the
    // outage (logged once for the whole app); anything else is the queue's own fault.
    this.boss.on('error', (err) => {
      if (this.observe.outage && isDatabaseUnavailable(err)) this.observe.outage.report(err);
      else this.log.error({ err }, 'webhook queue error');
    });
  }

  /**
   * Creates or migrates pg-boss's schema and the queue, then starts the workers. Replicas starting
   * together take turns on a PostgreSQL advisory lock: pg-boss locks its own migrations, but two
   * `createQueue` of a new queue at once deadlock (each attaches a partition to the job table).
   */
  async start(): Promise<void> {
    const lock = new Client({ connectionString: this.url, application_name: 'calendar-webhooks-setup' });
    await lock.connect();
    try {
      await lock.query('select pg_advisory_lock($1)', [QUEUE_SETUP_LOCK]);
      await this.boss.start();
      this.started = true;
      // pg-boss's own retries are for a handler that threw (database down); failed HTTP attempts are
      // rescheduled by deliver() on the retry schedule.
      await this.boss.createQueue(DELIVERY_QUEUE, { name: DELIVERY_QUEUE, retryLimit: 10, retryDelay: 5, retryBackoff: true, retentionMinutes: 60 * 24 * 14 });
    } finally {
      await lock.end().catch(() => undefined); // ending the session releases the lock
    }
    for (let i = 0; i < this.options.concurrency; i++) {
      await this.boss.work<DeliveryJob>(DELIVERY_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
        if (job) await this.deliver(job.data);
      });
    }
  }

  /** Stops taking jobs and waits for the attempts in flight (at most one timeout), then closes the pool. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: this.options.timeoutMs + 1000 });
  }

  /**
   * Queues a message per change for every enabled endpoint of the change's audience that subscribed
   * to its event type. Call it inside the transaction that writes the changes, on its EntityManager.
   * One statement when the audience has no endpoint, two otherwise.
   * @returns how many deliveries were queued.
   */
  async enqueue(em: EntityManager, changes: readonly EventChange[]): Promise<number> {
    const audience = [...new Set(changes.flatMap(audienceOf))];
    if (audience.length === 0) return 0;
    const endpoints = await em.find(WebhookEndpoint, { owner: { $in: audience }, disabledAt: null }, { fields: ['id', 'owner', 'events'], disableIdentityMap: true });
    if (endpoints.length === 0) return 0;
    const timestamp = new Date().toISOString();
    const jobs: PgBoss.JobInsert<DeliveryJob>[] = [];
    for (const change of changes) {
      const type = eventTypeOf(change);
      const who = new Set(audienceOf(change));
      const messageId = `msg_${randomUUID()}`;
      for (const endpoint of endpoints) {
        if (!who.has(endpoint.owner.id) || !endpoint.events.includes(type)) continue;
        const data: DeliveryJob = { endpointId: endpoint.id, messageId, type, timestamp, data: dataOf(change), attempt: 1 };
        jobs.push({ id: stableUuid(messageId, endpoint.id, '1'), name: DELIVERY_QUEUE, data });
      }
    }
    if (jobs.length > 0) await this.boss.insert(jobs, { db: transactionDb(em) });
    return jobs.length;
  }

  /** One attempt of `job`, then its record and, on failure, the next attempt or the endpoint's disabling. */
  private async deliver(job: DeliveryJob): Promise<void> {
    const em = this.orm.em.fork();
    const endpoint = await em.findOne(WebhookEndpoint, job.endpointId, { populate: ['secret'] });
    if (!endpoint || endpoint.disabledAt) return; // deleted or disabled since: drop the message
    const outcome = await postSigned(endpoint.url, endpoint.secret, { id: job.messageId, body: bodyOf(job) }, this.options);
    await em.transactional(async (tx) => {
      const delay = outcome.ok ? null : nextRetryDelay(this.options.retrySchedule, job.attempt);
      const nextAttemptAt = delay === null ? null : new Date(Date.now() + delay * 1000);
      tx.persist(new WebhookAttempt({ endpoint: tx.getReference(WebhookEndpoint, job.endpointId, { wrapped: true }), messageId: job.messageId, eventType: job.type, attempt: job.attempt, status: outcome.ok ? 'succeeded' : 'failed', responseStatus: outcome.responseStatus, latencyMs: outcome.latencyMs, error: outcome.error, nextAttemptAt }));
      if (nextAttemptAt) {
        const next: DeliveryJob = { ...job, attempt: job.attempt + 1 };
        await this.boss.insert([{ id: stableUuid(job.messageId, job.endpointId, String(next.attempt)), name: DELIVERY_QUEUE, data: next, startAfter: nextAttemptAt }], { db: transactionDb(tx) });
      } else if (!outcome.ok) {
        await this.disable(tx, job, outcome);
      }
      this.observe.metrics?.webhookDeliveries.inc({ outcome: outcome.ok ? 'succeeded' : nextAttemptAt ? 'failed' : 'exhausted' });
      this.observe.metrics?.webhookDeliveryDuration.observe(outcome.latencyMs / 1000);
      // Retention: the endpoint's attempts past it go as new ones come (an index range scan), so the
      // table holds at most the retention window of each endpoint without a separate sweeper.
      const cutoff = new Date(Date.now() - this.options.attemptRetentionDays * 86_400_000);
      await tx.nativeDelete(WebhookAttempt, { endpoint: job.endpointId, createdAt: { $lt: cutoff } });
    });
  }

  private async disable(tx: EntityManager, job: DeliveryJob, outcome: AttemptOutcome): Promise<void> {
    const endpoint = await tx.findOne(WebhookEndpoint, job.endpointId);
    if (!endpoint || endpoint.disabledAt) return;
    endpoint.disabledAt = new Date();
    endpoint.disabledReason = `message ${job.messageId} (${job.type}) failed ${job.attempt} attempts over ${this.options.retrySchedule.reduce((a, b) => a + b, 0)} s; last: ${outcome.error}`;
    this.log.warn({ endpointId: endpoint.id, reason: endpoint.disabledReason }, 'webhook endpoint disabled');
  }
}
