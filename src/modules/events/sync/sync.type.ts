import { Field, ObjectType } from 'type-graphql';
import { PageInfo } from '../../../graphql/connection';
import { DateTime, UUID } from '../../../graphql/scalars';
import { EventType } from '../event.type';

@ObjectType('CancelledEntry', { description: 'A tombstone of incremental sync: an entry or occurrence that was deleted, cancelled or moved out of the window; remove it' })
export class CancelledEntryType {
  @Field(() => String, { description: 'the id it was listed with: a UUID, or <seriesId>_<YYYYMMDDTHHMMSSZ> for an occurrence' })
  id!: string;

  @Field(() => UUID, { description: 'the calendar it was in' })
  calendarId!: string;

  @Field(() => UUID, { nullable: true, description: 'for an occurrence: its series' })
  seriesId!: string | null;

  @Field(() => DateTime, { nullable: true, description: 'for an occurrence: its original start' })
  originalStart!: Date | null;
}

@ObjectType('EntrySyncConnection', {
  description: 'A page of a calendar window read for incremental sync: without syncToken, its entries and occurrences; with it, what changed since (current items in nodes, tombstones in cancelled)',
})
export class EntrySyncConnectionType {
  @Field(() => [EventType], { description: 'entries and occurrences as they are now, sorted by start then id' })
  nodes!: unknown[];

  @Field(() => [CancelledEntryType], { description: 'only with syncToken: items to remove' })
  cancelled!: CancelledEntryType[];

  @Field(() => PageInfo, { description: 'endCursor: pass as `after` (with the same syncToken) for the next page' })
  pageInfo!: PageInfo;

  @Field(() => String, { nullable: true, description: 'on the last page: pass as syncToken (with the same window) to get what changed since; valid 30 days' })
  nextSyncToken!: string | null;
}
