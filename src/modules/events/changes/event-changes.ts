import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * A change of an entry or a participation, as the writers of this module report it to the consumers
 * of the `eventChanges` hook (webhooks, subscriptions): ids only, so it fits a PostgreSQL NOTIFY
 * payload (8000 bytes) and tells a consumer nothing its audience could not read anyway.
 */
export type EventChange = EntryChange | InvitationChange;

/** What happened to an entry. */
export type ChangeKind = 'created' | 'updated' | 'deleted';

/** An entry of a calendar changed: a single event, a series, or one occurrence of a series. */
export interface EntryChange {
  type: 'entry';
  kind: ChangeKind;
  calendarId: string;
  /** Owner of `calendarId`. */
  ownerId: string;
  /** The single entry, the series, or the occurrence (`<seriesId>_<YYYYMMDDTHHMMSSZ>`). */
  entryId: string;
  /** For an occurrence: its series. */
  seriesId: string | null;
  /** For an occurrence: its original start (RFC 5545 RECURRENCE-ID), ISO 8601 UTC. */
  originalStart: string | null;
}

/**
 * A participation changed: `invited`, `updated` (its role) and `removed` concern the participant;
 * `responded` (its RFC 5545 PARTSTAT changed) concerns the event's host.
 */
export interface InvitationChange {
  type: 'invitation';
  kind: 'invited' | 'updated' | 'removed' | 'responded';
  eventId: string;
  hostId: string;
  /** The participant. */
  userId: string;
  role: string;
  /** `needs_action`, `accepted`, `declined` or `tentative`. */
  response: string;
}

/**
 * The `eventChanges` hook: what another module does with the changes of entries and participants.
 * `inTransaction` runs inside the writer's transaction, on its EntityManager, after the writes (a
 * failure rolls the change back; e.g. the webhook outbox); `afterCommit` runs once it committed
 * (never for a rollback; e.g. in-process publication). Neither runs for a write that failed.
 */
export interface EventChangesHook {
  inTransaction?(em: EntityManager, changes: readonly EventChange[]): Promise<unknown>;
  afterCommit?(changes: readonly EventChange[]): void;
}

/** Hands the changes of one write to every contribution to the `eventChanges` hook. */
export class ChangeRecorder {
  constructor(private readonly consumers: readonly EventChangesHook[]) {}

  /** Inside the writer's transaction, on its EntityManager, after its writes were flushed. */
  async inTransaction(em: EntityManager, changes: readonly EventChange[]): Promise<void> {
    if (changes.length === 0) return;
    for (const consumer of this.consumers) await consumer.inTransaction?.(em, changes);
  }

  /** Once the writer's transaction committed. A consumer's failure here is its own: it does not undo the write. */
  afterCommit(changes: readonly EventChange[]): void {
    if (changes.length === 0) return;
    for (const consumer of this.consumers) consumer.afterCommit?.(changes);
  }
}
