import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type CursorCodec, type Page, toPage } from '../../infra/cursor';
import { AppError } from '../../infra/errors';
import type { Actor } from '../../infra/actor';
import { User } from '../users/user.entity';
import type { WebhookEventType } from './webhook-events';
import { BlockedAddressError, resolvePublic } from './ssrf-guard';
import { type AttemptStatus, WebhookAttempt, WebhookEndpoint } from './webhook.entity';

/** Endpoints one user may register. */
export const MAX_ENDPOINTS_PER_USER = 20;

/** An endpoint as shown: never its secret (except once, at creation). */
export interface WebhookView {
  id: string;
  url: string;
  events: WebhookEventType[];
  /** False once disabled after exhausted retries (or by the owner); see `disabledReason`. */
  enabled: boolean;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
}

/** One delivery attempt as shown; times UTC, latency in ms. */
export interface DeliveryView {
  id: string;
  messageId: string;
  eventType: string;
  attempt: number;
  status: AttemptStatus;
  responseStatus: number | null;
  latencyMs: number;
  error: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
}

/** An endpoint as its owner reads it: `enabled` is false once disabled; the secret is never shown again. */
export function toWebhookView(e: WebhookEndpoint): WebhookView {
  return { id: e.id, url: e.url, events: e.events, enabled: !e.disabledAt, disabledAt: e.disabledAt, disabledReason: e.disabledReason, createdAt: e.createdAt };
}

/** One delivery attempt as its owner reads it (latency in ms; `nextAttemptAt` null when none follows). */
export function toDeliveryView(a: WebhookAttempt): DeliveryView {
  return { id: a.id, messageId: a.messageId, eventType: a.eventType, attempt: a.attempt, status: a.status, responseStatus: a.responseStatus, latencyMs: a.latencyMs, error: a.error, nextAttemptAt: a.nextAttemptAt, createdAt: a.createdAt };
}

/**
 * A user's webhook endpoints (someone else's read as 404) and their delivery attempts.
 * Targets must be https and resolve to public addresses only, unless `allowPrivate`
 * (WEBHOOK_ALLOW_PRIVATE, development), which also allows plain http.
 */
export class WebhookService {
  constructor(
    private readonly em: EntityManager,
    private readonly cursors: CursorCodec,
    private readonly allowPrivate: boolean,
  ) {}

  /**
   * Registers an endpoint with a new secret (`whsec_` + base64 of 32 random bytes, Standard Webhooks).
   * @returns the endpoint and its secret, which is shown only here.
   * @throws AppError 400 (`/url`: not https, credentials in it, does not resolve, not a public
   *   address; `/events`: repeated type), 409 beyond {@link MAX_ENDPOINTS_PER_USER}.
   */
  async create(actor: Actor, input: { url: string; events: WebhookEventType[] }): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const url = await this.assertTarget(input.url);
    if (new Set(input.events).size !== input.events.length) throw AppError.invalid('/events', 'each event type once');
    if ((await this.em.count(WebhookEndpoint, { owner: actor.userId })) >= MAX_ENDPOINTS_PER_USER) {
      throw new AppError('conflict', `a user has at most ${MAX_ENDPOINTS_PER_USER} webhook endpoints`);
    }
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const endpoint = new WebhookEndpoint(this.em.getReference(User, actor.userId, { wrapped: true }), url, input.events, secret);
    await this.em.persist(endpoint).flush();
    return { endpoint, secret };
  }

  /** The actor's endpoints, oldest first (at most {@link MAX_ENDPOINTS_PER_USER}, so one page). */
  async list(actor: Actor): Promise<WebhookEndpoint[]> {
    return this.em.find(WebhookEndpoint, { owner: actor.userId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** @throws AppError 404 unless the actor owns it. */
  async get(actor: Actor, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.em.findOne(WebhookEndpoint, { id, owner: actor.userId });
    if (!endpoint) throw AppError.notFound('webhook', id);
    return endpoint;
  }

  /**
   * Changes the events or the URL, or enables a disabled endpoint again (`enabled: true` clears the
   * reason; `false` stops deliveries, queued messages are dropped).
   * @throws AppError 404, 400 as {@link create}.
   */
  async update(actor: Actor, id: string, patch: { url?: string; events?: WebhookEventType[]; enabled?: boolean }): Promise<WebhookEndpoint> {
    const endpoint = await this.get(actor, id);
    if (patch.url !== undefined) endpoint.url = await this.assertTarget(patch.url);
    if (patch.events !== undefined) {
      if (new Set(patch.events).size !== patch.events.length) throw AppError.invalid('/events', 'each event type once');
      endpoint.events = patch.events;
    }
    if (patch.enabled === true && endpoint.disabledAt) {
      endpoint.disabledAt = null;
      endpoint.disabledReason = null;
    } else if (patch.enabled === false && !endpoint.disabledAt) {
      endpoint.disabledAt = new Date();
      endpoint.disabledReason = 'disabled by its owner';
    }
    await this.em.flush();
    return endpoint;
  }

  /** Deletes the endpoint and its attempts; queued messages for it are dropped. @throws AppError 404 */
  async delete(actor: Actor, id: string): Promise<void> {
    const endpoint = await this.get(actor, id);
    await this.em.remove(endpoint).flush();
  }

  /** Delivery attempts of an owned endpoint, newest first. @throws AppError 404, 400 (cursor). */
  async deliveries(actor: Actor, id: string, page: { limit: number; cursor?: string }): Promise<Page<WebhookAttempt>> {
    await this.get(actor, id);
    const scope = `webhook-deliveries:${id}`;
    const where: Record<string, unknown> = { endpoint: id };
    if (page.cursor) {
      const [at, lastId] = this.cursors.decode(scope, page.cursor);
      const after = new Date(Number(at));
      where.$or = [{ createdAt: { $lt: after } }, { createdAt: after, id: { $lt: String(lastId) } }];
    }
    const rows = await this.em.find(WebhookAttempt, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: page.limit + 1 });
    return toPage(rows, page.limit, this.cursors, scope, (a) => [a.createdAt.getTime(), a.id]);
  }

  /** @returns the normalised URL. @throws AppError 400 at `/url` saying why it is refused. */
  private async assertTarget(raw: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw AppError.invalid('/url', 'not an absolute URL');
    }
    if (url.protocol !== 'https:' && !(this.allowPrivate && url.protocol === 'http:')) throw AppError.invalid('/url', 'the URL must use https');
    if (url.username || url.password) throw AppError.invalid('/url', 'the URL must not carry credentials');
    try {
      await resolvePublic(url.hostname, this.allowPrivate);
    } catch (err) {
      if (err instanceof BlockedAddressError) throw AppError.invalid('/url', `${err.message}; webhooks go to public addresses only`);
      throw AppError.invalid('/url', `${url.hostname} does not resolve`);
    }
    url.hash = '';
    return url.toString();
  }
}
