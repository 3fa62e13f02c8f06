import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Calendar } from '../../calendars/calendar.entity';
import type { PastRow } from '../domain/sync-diff';

/** A row of an {@link EntrySnapshot}: the domain's {@link PastRow}, stored as JSON. */
export type SnapshotRow = PastRow;

/** What an entry (single or series with its overrides) was after a change; null once deleted. */
export interface EntrySnapshot {
  rows: SnapshotRow[];
}

/**
 * The change record of calendar entries (incremental sync, REST `syncToken` and CalDAV
 * sync-collection, RFC 6578): one row per top-level entry (a single entry, or a series with its
 * overrides) per writing transaction, inserted inside that transaction by the `eventChanges` hook, so
 * a change and its record commit or roll back together.
 *
 * Order: `txid` is the writer's transaction id (`pg_current_xact_id()`), not a sequence. A reader
 * takes as its sync point the oldest transaction still running (`pg_snapshot_xmin`), so a writer that
 * took its number earlier but commits later is never skipped; see sync/change-log.ts.
 *
 * `state` lets a later sync tell which items a client may still hold (the occurrences of a series
 * before it was moved or cut) and send them as tombstones. `userIds`: the entry's host and
 * participants, plus the users a change removed, for per-user listings.
 */
@Entity({ tableName: 'entry_changes' })
@Index({ name: 'entry_changes_calendar_txid_idx', properties: ['calendar', 'txid'] })
@Index({ name: 'entry_changes_entry_txid_idx', properties: ['entryId', 'txid'] })
@Index({ name: 'entry_changes_users_idx', expression: 'create index "entry_changes_users_idx" on "entry_changes" using gin ("user_ids" jsonb_path_ops)' })
@Index({ name: 'entry_changes_deleted_idx', expression: 'create index "entry_changes_deleted_idx" on "entry_changes" ("calendar_id", "recorded_at") where "state" is null' })
export class EntryChangeRecord {
  [OptionalProps]?: 'id' | 'txid' | 'recordedAt';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  /** The writer's transaction id (xid8 as bigint). */
  @Property({ type: 'bigint', defaultRaw: 'pg_current_xact_id()::text::bigint' })
  txid!: string;

  @ManyToOne(() => Calendar, { ref: true, deleteRule: 'cascade' })
  calendar!: Ref<Calendar>;

  /** The single entry or the series (UUID); no foreign key: the record outlives a deleted entry. */
  @Property({ type: 'uuid' })
  entryId!: string;

  @Property({ type: 'json', nullable: true })
  state?: EntrySnapshot | null;

  @Property({ type: 'json' })
  userIds!: string[];

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  recordedAt!: Date;
}
