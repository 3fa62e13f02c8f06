import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { User } from '../users/user.entity';

/**
 * A per-application password of a user (for CalDAV clients, which cannot use JWT): shown once when
 * created, stored as an argon2id hash. `lookup` (the first group of the password, not secret enough to
 * matter alone: 20 of its 80 bits) finds the one row to verify, so a login costs one argon2 check
 * however many app passwords the user has. Deleted with the user.
 */
@Entity({ tableName: 'app_passwords' })
@Index({ name: 'app_passwords_user_lookup_idx', properties: ['user', 'lookup'] })
export class AppPassword {
  [OptionalProps]?: 'createdAt' | 'lastUsedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade' })
  user: Ref<User>;

  /** What the user called it ("Thunderbird at home"). */
  @Property({ length: 100 })
  name: string;

  @Property({ length: 8 })
  lookup: string;

  /** argon2id hash of the normalised password; never serialised. */
  @Property({ type: 'text', hidden: true })
  hash: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  /** Last successful use, updated at most once a minute. */
  @Property({ type: 'datetime', nullable: true })
  lastUsedAt?: Date | null;

  constructor(init: { user: Ref<User>; name: string; lookup: string; hash: string }) {
    this.user = init.user;
    this.name = init.name;
    this.lookup = init.lookup;
    this.hash = init.hash;
  }
}
