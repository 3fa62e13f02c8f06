import type { EntityManager } from '@mikro-orm/postgresql';
import type { Cache } from '../../infra/cache';
import { type CursorCodec, type Page, toPage } from '../../infra/cursor';
import { AppError } from '../../infra/errors';
import { type Actor, isSelfOrAdmin } from '../../infra/actor';
import { User } from '../users/user.entity';
import { Subscription } from './subscription.entity';
import { UserTags } from '../users/user-tags';

/** A subscription as the front doors show it. Times are UTC; `endsAt` null = open-ended. */
export interface SubscriptionView {
  id: string;
  userId: string;
  offer: string;
  startsAt: Date;
  endsAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewSubscription {
  offer: string;
  startsAt: Date;
  endsAt?: Date | null;
}

/** Only the fields given change; `endsAt: null` makes it open-ended. */
export type SubscriptionPatch = Partial<NewSubscription>;

/** The subscription as REST and GraphQL show it (times UTC; `endsAt` null when open-ended). */
export function toSubscriptionView(s: Subscription): SubscriptionView {
  return { id: s.id, userId: s.user.id, offer: s.offer, startsAt: s.startsAt, endsAt: s.endsAt ?? null, createdAt: s.createdAt, updatedAt: s.updatedAt };
}

/**
 * Subscription offers of users. Reads: the user itself or an admin; anyone else gets a 404 (the
 * subscription's existence is not revealed). Writes: admins only (403 for the user itself).
 */
export class SubscriptionService {
  constructor(
    private readonly em: EntityManager,
    private readonly cursors: CursorCodec,
    private readonly cache: Cache,
  ) {}

  /** @throws AppError 404 unless the actor is its user or an admin. */
  async get(actor: Actor, id: string): Promise<Subscription> {
    const subscription = await this.em.findOne(Subscription, id);
    if (!subscription || !isSelfOrAdmin(actor, subscription.user.id)) throw AppError.notFound('subscription', id);
    return subscription;
  }

  /**
   * A user's subscriptions by start, then id.
   * @throws AppError 404 (user not visible or absent), 400 (foreign cursor).
   */
  async listForUser(actor: Actor, userId: string, query: { limit: number; cursor?: string }): Promise<Page<Subscription>> {
    await this.assertUserVisible(actor, userId);
    const where: Record<string, unknown> = { user: userId };
    if (query.cursor) {
      const [at, id] = this.cursors.decode(`subscriptions:${userId}`, query.cursor);
      const after = new Date(Number(at));
      where.$or = [{ startsAt: { $gt: after } }, { startsAt: after, id: { $gt: String(id) } }];
    }
    const rows = await this.em.find(Subscription, where, { orderBy: { startsAt: 'asc', id: 'asc' }, limit: query.limit + 1 });
    return toPage(rows, query.limit, this.cursors, `subscriptions:${userId}`, (s) => [s.startsAt.getTime(), s.id]);
  }

  /** @throws AppError 404 (user not visible or absent), 403 (not an admin), 400 (`endsAt` ≤ `startsAt`). */
  async create(actor: Actor, userId: string, input: NewSubscription): Promise<Subscription> {
    await this.assertUserVisible(actor, userId);
    assertAdmin(actor);
    assertEndsAfterStarts(input.startsAt, input.endsAt);
    const subscription = new Subscription({ user: this.em.getReference(User, userId, { wrapped: true }), ...input });
    await this.em.persist(subscription).flush();
    await this.cache.invalidate([UserTags.user(userId)]);
    return subscription;
  }

  /** @throws AppError 404 (not visible), 403 (not an admin), 400 (`endsAt` ≤ `startsAt`). */
  async update(actor: Actor, id: string, patch: SubscriptionPatch): Promise<Subscription> {
    const subscription = await this.get(actor, id);
    assertAdmin(actor);
    const startsAt = patch.startsAt ?? subscription.startsAt;
    const endsAt = patch.endsAt !== undefined ? patch.endsAt : subscription.endsAt;
    assertEndsAfterStarts(startsAt, endsAt);
    if (patch.offer !== undefined) subscription.offer = patch.offer;
    subscription.startsAt = startsAt;
    subscription.endsAt = endsAt ?? null;
    await this.em.flush();
    await this.cache.invalidate([UserTags.user(subscription.user.id)]);
    return subscription;
  }

  /** @throws AppError 404 (not visible), 403 (not an admin). */
  async delete(actor: Actor, id: string): Promise<void> {
    const subscription = await this.get(actor, id);
    assertAdmin(actor);
    await this.em.nativeDelete(Subscription, { id: subscription.id });
    await this.cache.invalidate([UserTags.user(subscription.user.id)]);
  }

  private async assertUserVisible(actor: Actor, userId: string): Promise<void> {
    if (!isSelfOrAdmin(actor, userId) || (await this.em.count(User, { id: userId })) === 0) throw AppError.notFound('user', userId);
  }
}

function assertAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new AppError('forbidden', 'only an admin writes subscriptions');
}

function assertEndsAfterStarts(startsAt: Date, endsAt: Date | null | undefined): void {
  if (endsAt && endsAt.getTime() <= startsAt.getTime()) throw AppError.invalid('/endsAt', '`endsAt` must be after `startsAt`');
}
