import { randomUUID } from 'node:crypto';
import { Check, Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { User } from '../users/user.entity';

/**
 * A user's subscription to an offer, from `startsAt` until `endsAt` (open-ended when null). Its start
 * and end are the anchors of the `subscription_start` and `subscription_end` event types. Deleted with
 * its user (FK cascade). Index `subscriptions_user_starts_idx` serves the per-user listing and the
 * batched anchor queries (`user_id in (…)`).
 */
@Entity({ tableName: 'subscriptions' })
@Check({ name: 'subscriptions_ends_after_starts', expression: '"ends_at" is null or "ends_at" > "starts_at"' })
@Index({ name: 'subscriptions_user_starts_idx', properties: ['user', 'startsAt'] })
export class Subscription {
  [OptionalProps]?: 'endsAt' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user: Ref<User>;

  /** The offer's name, 1 to 200 characters. */
  @Property({ length: 200 })
  offer: string;

  @Property({ type: 'datetime' })
  startsAt: Date;

  @Property({ type: 'datetime', nullable: true })
  endsAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(init: { user: Ref<User>; offer: string; startsAt: Date; endsAt?: Date | null }) {
    this.user = init.user;
    this.offer = init.offer;
    this.startsAt = init.startsAt;
    this.endsAt = init.endsAt ?? null;
  }
}
