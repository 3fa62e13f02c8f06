import { Entity, Index, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Calendar } from '../../calendars/calendar.entity';

/**
 * What a calendar held when a sync token (RFC 6578) was handed out: the version (`updatedAt`, ms) of
 * each entry or series by id. A client's next sync-collection is the difference between that state and
 * the current one, deletions included. Tokens are digests of the state, so a calendar that did not
 * change keeps its token and no row is added. States older than {@link SYNC_STATE_DAYS} days are
 * dropped; a client holding such a token gets `DAV:valid-sync-token` and reads the calendar in full.
 */
@Entity({ tableName: 'calendar_sync_states' })
@Index({ name: 'calendar_sync_states_created_idx', properties: ['calendar', 'createdAt'] })
export class CalendarSyncState {
  @ManyToOne(() => Calendar, { ref: true, deleteRule: 'cascade', primary: true })
  calendar!: Ref<Calendar>;

  @PrimaryKey({ length: 64 })
  token!: string;

  @Property({ type: 'json' })
  versions!: Record<string, number>;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}

/** How long a sync token stays usable, in days. */
export const SYNC_STATE_DAYS = 30;
