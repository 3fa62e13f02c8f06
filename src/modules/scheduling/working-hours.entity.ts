import { Entity, ManyToOne, OptionalProps, PrimaryKeyProp, Property, type Ref } from '@mikro-orm/core';
import { User } from '../users/user.entity';
import type { Weekday } from './domain/working-hours';

/**
 * A user's own working hours (domain/working-hours.ts), in the user's time zone. At most one row per
 * user, deleted with it; a user without a row has the default (Monday–Friday, 09:00–17:00).
 */
@Entity({ tableName: 'working_hours' })
export class UserWorkingHours {
  [PrimaryKeyProp]?: 'user';
  [OptionalProps]?: 'updatedAt';

  @ManyToOne(() => User, { primary: true, ref: true, deleteRule: 'cascade' })
  user: Ref<User>;

  /** Days of the week, Monday first, each at most once. */
  @Property({ type: 'json' })
  daysOfWeek: Weekday[];

  /** `HH:MM` local time, inclusive. */
  @Property({ length: 5 })
  startTime: string;

  /** `HH:MM` or `24:00` local time, exclusive; after `startTime`. */
  @Property({ length: 5 })
  endTime: string;

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(user: Ref<User>, hours: { daysOfWeek: Weekday[]; startTime: string; endTime: string }) {
    this.user = user;
    this.daysOfWeek = hours.daysOfWeek;
    this.startTime = hours.startTime;
    this.endTime = hours.endTime;
  }
}
