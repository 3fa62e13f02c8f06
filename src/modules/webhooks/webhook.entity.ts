import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { User } from '../users/user.entity';
import type { WebhookEventType } from './webhook-events';

/**
 * A user's webhook endpoint: where messages about the user's changes go, signed with `secret`
 * (Standard Webhooks: `whsec_` + base64 of 32 random bytes). Deleted with its owner. `disabledAt` is
 * set when a message exhausted its retries (`disabledReason` says why); nothing is queued for it then.
 */
@Entity({ tableName: 'webhook_endpoints' })
export class WebhookEndpoint {
  [OptionalProps]?: 'createdAt' | 'disabledAt' | 'disabledReason';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade', index: 'webhook_endpoints_owner_id_idx' })
  owner: Ref<User>;

  @Property({ type: 'text' })
  url: string;

  /** The event types it receives (see WEBHOOK_EVENT_TYPES). */
  @Property({ type: 'json' })
  events: WebhookEventType[];

  @Property({ type: 'text', hidden: true, lazy: true })
  secret: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  disabledAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  disabledReason: string | null = null;

  constructor(owner: Ref<User>, url: string, events: WebhookEventType[], secret: string) {
    this.owner = owner;
    this.url = url;
    this.events = events;
    this.secret = secret;
  }
}

/** The outcome of one attempt. */
export type AttemptStatus = 'succeeded' | 'failed';

/**
 * One delivery attempt of one message to one endpoint: what the owner sees in
 * `GET /webhooks/:id/deliveries`. Times in UTC, latency in milliseconds.
 */
@Entity({ tableName: 'webhook_attempts' })
@Index({ name: 'webhook_attempts_endpoint_idx', properties: ['endpoint', 'createdAt', 'id'] })
export class WebhookAttempt {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => WebhookEndpoint, { ref: true, deleteRule: 'cascade', index: false })
  endpoint: Ref<WebhookEndpoint>;

  /** The `webhook-id` header: the same for every attempt of one message. */
  @Property({ length: 64 })
  messageId: string;

  @Property({ length: 64 })
  eventType: string;

  /** 1 for the first attempt. */
  @Property({ type: 'integer' })
  attempt: number;

  @Property({ length: 16 })
  status: AttemptStatus;

  /** The receiver's HTTP status; null when no response came (refused, timeout, blocked address). */
  @Property({ type: 'integer', nullable: true })
  responseStatus: number | null;

  @Property({ type: 'integer' })
  latencyMs: number;

  @Property({ type: 'text', nullable: true })
  error: string | null;

  /** When the next attempt is due; null when none follows. */
  @Property({ type: 'datetime', nullable: true })
  nextAttemptAt: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  constructor(fields: Omit<WebhookAttempt, 'id' | 'createdAt' | typeof OptionalProps>) {
    this.endpoint = fields.endpoint;
    this.messageId = fields.messageId;
    this.eventType = fields.eventType;
    this.attempt = fields.attempt;
    this.status = fields.status;
    this.responseStatus = fields.responseStatus;
    this.latencyMs = fields.latencyMs;
    this.error = fields.error;
    this.nextAttemptAt = fields.nextAttemptAt;
  }
}
