import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { User } from '../users/user.entity';

/**
 * A user's calendar. Every user has exactly one primary calendar (partial unique index), created
 * with the user and deleted only with it. Deleting a calendar deletes its entries (FK cascade).
 */
@Entity({ tableName: 'calendars' })
@Index({
  name: 'calendars_one_primary_per_owner',
  expression: 'create unique index "calendars_one_primary_per_owner" on "calendars" ("owner_id") where "is_primary"',
})
export class Calendar {
  [OptionalProps]?: 'description' | 'isPrimary' | 'allowOverlaps' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade', index: 'calendars_owner_id_idx' })
  owner: Ref<User>;

  @Property({ length: 200 })
  name: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  /** IANA time zone; defaults to the owner's. */
  @Property({ length: 64 })
  timeZone: string;

  @Property({ default: false })
  isPrimary: boolean = false;

  /**
   * Default false. When true, CalDAV writes and imports may overlap other entries of this calendar
   * (REST and GraphQL keep their explicit `force`).
   */
  @Property({ default: false })
  allowOverlaps: boolean = false;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(owner: Ref<User>, name: string, timeZone: string) {
    this.owner = owner;
    this.name = name;
    this.timeZone = timeZone;
  }
}
