import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, PrimaryKeyProp, Property, type Ref } from '@mikro-orm/core';
import { User } from '../users/user.entity';
import { MAX_OFFSET_DAYS, type Repeat } from './nearest-event';

/**
 * A rule that turns a user's anchors of one event type into dated events: "2 days after inscription"
 * is `{ eventType: 'inscription', offsetDays: 2, repeat: 'none' }`. Names are unique (default rules
 * are configured by name). `eventType` is a key of the event-type registry, checked on write.
 */
@Entity({ tableName: 'event_rules' })
@Check({ name: 'event_rules_offset_days_range', expression: `"offset_days" between -${MAX_OFFSET_DAYS} and ${MAX_OFFSET_DAYS}` })
export class EventRule {
  [OptionalProps]?: 'repeat' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ length: 200, unique: 'event_rules_name_unique' })
  name: string;

  @Property({ length: 64 })
  eventType: string;

  /** Signed calendar days in the user's time zone: -3 = three days before the anchor. */
  @Property({ type: 'integer' })
  offsetDays: number;

  @Enum({ items: ['none', 'yearly'], nativeEnumName: undefined })
  repeat: Repeat = 'none';

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(init: { name: string; eventType: string; offsetDays: number; repeat?: Repeat }) {
    this.name = init.name;
    this.eventType = init.eventType;
    this.offsetDays = init.offsetDays;
    this.repeat = init.repeat ?? 'none';
  }
}

/**
 * A rule linked to a user. The primary key (user_id, rule_id) serves "rules of these users"; the
 * rule_id index serves deleting a rule (cascade). Deleted with either side.
 */
@Entity({ tableName: 'user_event_rules' })
export class UserEventRule {
  [PrimaryKeyProp]?: ['user', 'rule'];
  [OptionalProps]?: 'createdAt';

  @ManyToOne(() => User, { primary: true, ref: true, deleteRule: 'cascade' })
  user: Ref<User>;

  @ManyToOne(() => EventRule, { primary: true, ref: true, deleteRule: 'cascade', index: 'user_event_rules_rule_id_idx' })
  rule: Ref<EventRule>;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  constructor(user: Ref<User>, rule: Ref<EventRule>) {
    this.user = user;
    this.rule = rule;
  }
}
