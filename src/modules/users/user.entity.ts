import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { Role } from '../../infra/actor';

/** A person who owns calendars, hosts and attends events. Emails are stored lower-cased (unique). */
@Entity({ tableName: 'users' })
export class User {
  [OptionalProps]?: 'timeZone' | 'role' | 'signedUpAt' | 'createdAt' | 'updatedAt' | 'passwordHash';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ length: 200 })
  name: string;

  @Property({ length: 320, unique: true })
  email: string;

  /** IANA time zone, e.g. `Europe/Paris`. */
  @Property({ length: 64 })
  timeZone: string = 'UTC';

  /** The inscription date: anchor of the `inscription` event type. */
  @Property({ type: 'datetime' })
  signedUpAt: Date = new Date();

  @Enum({ items: ['user', 'admin'], nativeEnumName: undefined })
  role: Role = 'user';

  /** argon2id hash; never serialised, loaded only when asked for. */
  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  passwordHash?: string | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Index({ name: 'users_updated_at_idx' })
  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(name: string, email: string) {
    this.name = name;
    this.email = email.toLowerCase();
  }
}
