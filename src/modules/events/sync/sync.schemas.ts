import { Type } from '@sinclair/typebox';
import { DateTime, Nullable, PageQuery, Uuid } from '../../../infra/http-schemas';
import { ListEventsQuery } from '../event.schemas';

/** A tombstone of incremental sync: an item a client may hold that is gone from the listing. */
export const CancelledEntrySchema = Type.Object(
  {
    id: Type.String({ description: 'the id it was listed with: a UUID, or <seriesId>_<YYYYMMDDTHHMMSSZ> for an occurrence' }),
    calendarId: Uuid,
    status: Type.Literal('cancelled'),
    seriesId: Nullable(Uuid),
    originalStart: Nullable(DateTime),
  },
  { $id: 'CancelledEntry', description: 'Sent by a sync (syncToken) for an entry or occurrence that was deleted, cancelled or moved out of the window: remove it' },
);

/** A page of a listing that can be synced: items, tombstones (only in answers to a syncToken), the next token. */
export const SyncablePage = Type.Object({
  items: Type.Array(Type.Union([Type.Ref('Event'), Type.Ref('CancelledEntry')])),
  nextCursor: Nullable(Type.String()),
  nextSyncToken: Nullable(Type.String({ description: 'on the last page: pass it as syncToken to get what changed since (kept 30 days)' })),
});

/**
 * A page of a plain (not incremental) listing: events only, so every such page is a
 * {@link SyncablePage}. Serialized by this schema, fast-json-stringify writes each item as an Event
 * instead of choosing its branch of the `anyOf` with an ajv validation of the whole Event, which was
 * a tenth of a week listing's allocation in a sampling heap profile.
 */
export const ListingPage = Type.Object({
  items: Type.Array(Type.Ref('Event')),
  nextCursor: SyncablePage.properties.nextCursor,
  nextSyncToken: SyncablePage.properties.nextSyncToken,
});

/** `?start=&end=` of a read; with `syncToken`, of an incremental one (the same window as the token's). */
export const SyncableRangeQuery = Type.Object({
  start: DateTime,
  end: DateTime,
  syncToken: Type.Optional(Type.String({ description: 'nextSyncToken of an earlier read of the same window: only what changed since (410 Gone when expired or not issued for this calendar, user and window)' })),
  limit: PageQuery.limit,
  cursor: Type.Optional(PageQuery.cursor),
});

/** `GET /events` query; with `syncToken`, the same query as the read that issued it. */
export const SyncableEventsQuery = Type.Object({
  ...ListEventsQuery.properties,
  syncToken: Type.Optional(Type.String({ description: 'nextSyncToken of an earlier read with the same query: only what changed since (410 Gone when expired or not valid for this query)' })),
});
