import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKeyProp, Property, type Ref } from '@mikro-orm/core';
import { User } from '../../users/user.entity';
import { Event } from '../event.entity';

/** RFC 5545 ROLE, reduced to what the contract names: REQ-PARTICIPANT / OPT-PARTICIPANT. */
export type ParticipantRole = 'required' | 'optional';
/** RFC 5545 PARTSTAT (attendee response): NEEDS-ACTION, ACCEPTED, DECLINED, TENTATIVE. */
export type AttendeeResponse = 'needs_action' | 'accepted' | 'declined' | 'tentative';

/**
 * One user's participation in one event (one row per (event, user)). The host has a row too, with
 * `isHost` true, role `required` and response `accepted`. Rows go with their event or user (FK cascade).
 * Index `participants_user_idx` (user_id, event_id) serves "events I am invited to".
 */
@Entity({ tableName: 'participants' })
@Index({ name: 'participants_user_idx', properties: ['user', 'event'] })
@Index({
  name: 'participants_one_host_per_event',
  expression: 'create unique index "participants_one_host_per_event" on "participants" ("event_id") where "is_host"',
})
export class Participant {
  [PrimaryKeyProp]?: ['event', 'user'];
  [OptionalProps]?: 'role' | 'response' | 'isHost' | 'createdAt' | 'updatedAt';

  @ManyToOne(() => Event, { primary: true, ref: true, deleteRule: 'cascade' })
  event: Ref<Event>;

  @ManyToOne(() => User, { primary: true, ref: true, deleteRule: 'cascade' })
  user: Ref<User>;

  @Enum({ items: ['required', 'optional'] })
  role: ParticipantRole = 'required';

  @Enum({ items: ['needs_action', 'accepted', 'declined', 'tentative'] })
  response: AttendeeResponse = 'needs_action';

  @Property({ default: false })
  isHost: boolean = false;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  constructor(event: Ref<Event>, user: Ref<User>, role: ParticipantRole) {
    this.event = event;
    this.user = user;
    this.role = role;
  }
}
