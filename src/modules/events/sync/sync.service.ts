import type { Dictionary, EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../../infra/actor';
import type { Cache, Representation, Representer } from '../../../infra/cache';
import type { CursorCodec } from '../../../infra/cursor';
import { AppError } from '../../../infra/errors';
import { ownedCalendar } from '../access/event-access';
import { compareItems, type Window } from '../domain/timeline';
import { syncItems } from '../domain/sync-diff';
import { EventTags } from '../event-tags';
import { Event, type EventRecord } from '../event.entity';
import { type EventView, toItemView } from '../event.views';
import type { Range, TimelineService } from '../timeline/timeline.service';
import { CALENDAR_SYNC_POINT_COLUMNS, changesSince, dayNumber, earlierPoint, expired, syncPoint, syncPointOf, SYNC_RETENTION_DAYS } from './change-log';

/** An item a sync sends for one that is gone: deleted, cancelled, or no longer in the window. */
export interface CancelledView {
  id: string;
  calendarId: string;
  status: 'cancelled';
  /** For an occurrence: its series and original start. */
  seriesId: string | null;
  originalStart: Date | null;
}

/** What a listing that can be synced returns: `nextSyncToken` on its last page (null on the others). */
export interface SyncPage {
  items: (EventView | CancelledView)[];
  nextCursor: string | null;
  nextSyncToken: string | null;
}

/** Collection sync tokens are URIs (RFC 6578 §3.2). */
export const COLLECTION_TOKEN_PREFIX = 'urn:x-calendar-service:sync:';

/** The token a client keeps between syncs: signed, bound to the calendar, the user and the window. */
type TokenValues = [point: string, day: number, from: number, to: number];

/**
 * Incremental sync of a calendar's entries (Google Calendar's `nextSyncToken` / `syncToken`): a full
 * read of a window ends with a token; a request with the token returns what changed in that window
 * since (current items, and tombstones with `status: "cancelled"`), then a new token. Tokens are
 * HMAC-signed (the cursor key) over the calendar and the user, so another calendar's or user's token,
 * a forged or malformed one, or one older than {@link SYNC_RETENTION_DAYS} days is a 410 Gone.
 * How changes are recorded and ordered: change-log.ts.
 */
export class SyncService {
  constructor(
    private readonly em: EntityManager,
    private readonly cursors: CursorCodec,
    private readonly timeline: TimelineService,
    private readonly cache: Cache,
    private readonly cacheTtlSeconds: number,
  ) {}

  /**
   * A page of a calendar's entries and occurrences in `range` (as TimelineService.listInCalendar),
   * with `nextSyncToken` on the last page, as `represent` serializes it, with its ETag. The token's
   * sync point is the earliest one of the pages read (carried in the cursor), so changes made while a
   * client pages are sent by its next sync.
   *
   * Read through the cache as bytes (tag: the calendar): a hit is one store read and no SQL, and a
   * client that holds the current ETag costs neither the body nor the database. The sync point is
   * read by the page's own statement (the same snapshot), and the cache's tag generations before it,
   * so a cached page never claims to be newer than it is; the day the token carries is part of the key.
   * @throws AppError 404 (calendar), 400 (range, cursor).
   */
  async listInCalendar(actor: Actor, calendarId: string, range: Range, page: { limit: number; cursor?: string }, represent: Representer<SyncPage>): Promise<Representation> {
    const day = dayNumber();
    // The actor is part of the key, so only the owner's own (authorised) reads are ever reused.
    const key = `entries:${calendarId}:${actor.userId}:${range.from.getTime()}:${range.to.getTime()}:${page.limit}:${page.cursor ?? ''}:${day}`;
    return this.cache.representation(key, [EventTags.calendar(calendarId)], this.cacheTtlSeconds, async () => represent.serialize(await this.pageInCalendar(actor, calendarId, range, page, day)), represent.notModified);
  }

  /**
   * The page of {@link listInCalendar}, uncached (GraphQL `sync` without a token).
   * @throws AppError 404 (calendar), 400 (range, cursor).
   */
  async pageInCalendar(actor: Actor, calendarId: string, range: Range, page: { limit: number; cursor?: string }, day = dayNumber()): Promise<SyncPage> {
    const scope = `entries-page:${calendarId}:${actor.userId}`;
    const [inner, carried] = page.cursor ? (this.cursors.decode(scope, page.cursor) as [string, string]) : [undefined, undefined];
    // The sync point is read by the page's own statement: exactly as of the page, no round trip more.
    const listed = await this.timeline.listInCalendar(actor, calendarId, range, { limit: page.limit, cursor: inner }, CALENDAR_SYNC_POINT_COLUMNS);
    const mark = syncPointOf(listed.also);
    const point = carried ? earlierPoint(carried, mark) : mark;
    if (listed.nextCursor) return { items: listed.items, nextCursor: this.cursors.encode(scope, [listed.nextCursor, point]), nextSyncToken: null };
    return { items: listed.items, nextCursor: null, nextSyncToken: this.token(calendarId, actor, [point, day, range.from.getTime(), range.to.getTime()]) };
  }

  /**
   * What changed in `window` (the token's) since `syncToken` was issued: the current items of every entry
   * that changed, and a tombstone for each item that went away, sorted by start then id, in pages;
   * the last page has the next token.
   * @throws AppError 404 (calendar), 410 (token expired, malformed, or not issued for this calendar,
   *   user and window), 400 (cursor).
   */
  async changesInCalendar(actor: Actor, calendarId: string, window: Window, syncToken: string, page: { limit: number; cursor?: string }): Promise<SyncPage> {
    await ownedCalendar(this.em, actor, calendarId);
    const [point, , from, to] = this.decodeToken(calendarId, actor, syncToken);
    // The window is part of what the token was issued for: another one is another listing.
    if (from !== window.from.getTime() || to !== window.to.getTime()) throw invalidToken();
    const scope = `entries-sync-page:${calendarId}:${actor.userId}:${syncToken}`;
    let since: string, until: string, after: [number, string] | undefined;
    if (page.cursor) {
      const [s, u, at, id] = this.cursors.decode(scope, page.cursor) as [string, string, number, string];
      [since, until, after] = [s, u, [at, id]];
    } else {
      // Taken before the changes are read: whatever commits from now on is in the next sync.
      [since, until] = [point, await syncPoint(this.em, { calendarId })];
    }
    const changed = await changesSince(this.em, { calendarId }, since);
    const current = await currentRows(this.em, calendarId, [...changed.keys()]);
    const past = [...changed.values()].flatMap((rows) => rows.flatMap((r) => (r.state ? [r.state.rows] : [])));
    const { items, cancelled } = syncItems(current, past, window, { after: after && { start: new Date(after[0]), id: after[1] }, limit: page.limit + 1 });
    const rest = [
      ...items.map((i) => ({ id: i.id, start: i.start, view: toItemView(i) as EventView | CancelledView })),
      ...cancelled.map((c) => ({ id: c.id, start: c.start, view: { id: c.id, calendarId, status: 'cancelled', seriesId: c.seriesId, originalStart: c.originalStart } as CancelledView })),
    ].sort(compareItems);
    const shown = rest.slice(0, page.limit);
    const last = shown[shown.length - 1];
    if (rest.length > page.limit && last) {
      return { items: shown.map((i) => i.view), nextCursor: this.cursors.encode(scope, [since, until, last.start.getTime(), last.id]), nextSyncToken: null };
    }
    return { items: shown.map((i) => i.view), nextCursor: null, nextSyncToken: this.token(calendarId, actor, [until, dayNumber(), window.from.getTime(), window.to.getTime()]) };
  }

  /**
   * The RFC 6578 sync token (also the CTag) of an owned calendar as a collection of entries: a URI
   * that stays the same while nothing in the calendar changes (except once a day, for its expiry).
   * @throws AppError 404
   */
  async collectionToken(actor: Actor, calendarId: string): Promise<string> {
    await ownedCalendar(this.em, actor, calendarId);
    return this.collectionTokenAt(actor, calendarId, await syncPoint(this.em, { calendarId }));
  }

  /**
   * The top-level entries (singles and series) of an owned calendar created, changed or deleted since
   * `token` was handed out (RFC 6578 §3.5), and the current token (taken before they were read).
   * @throws AppError 404 (calendar), 410 (token expired, malformed or not of this calendar and user).
   */
  async collectionChanges(actor: Actor, calendarId: string, token: string): Promise<{ changed: string[]; removed: string[]; syncToken: string }> {
    await ownedCalendar(this.em, actor, calendarId);
    const scope = `collection-sync:${calendarId}:${actor.userId}`;
    let values: (string | number)[];
    try {
      if (!token.startsWith(COLLECTION_TOKEN_PREFIX)) throw invalidToken();
      values = this.cursors.decode(scope, token.slice(COLLECTION_TOKEN_PREFIX.length));
    } catch {
      throw invalidToken();
    }
    if (values.length !== 2 || expired(Number(values[1]))) throw invalidToken();
    const now = await syncPoint(this.em, { calendarId });
    const ids = [...(await changesSince(this.em, { calendarId }, String(values[0]))).keys()];
    const existing = ids.length ? new Set((await this.em.find(Event, { id: { $in: ids }, calendar: calendarId, series: null }, { fields: ['id'] })).map((e) => e.id)) : new Set<string>();
    return { changed: ids.filter((id) => existing.has(id)), removed: ids.filter((id) => !existing.has(id)), syncToken: this.collectionTokenAt(actor, calendarId, now) };
  }

  private collectionTokenAt(actor: Actor, calendarId: string, point: string): string {
    return COLLECTION_TOKEN_PREFIX + this.cursors.encode(`collection-sync:${calendarId}:${actor.userId}`, [point, dayNumber()]);
  }

  private token(calendarId: string, actor: Actor, values: TokenValues): string {
    return this.cursors.encode(`entries-sync:${calendarId}:${actor.userId}`, values);
  }

  /** @throws AppError 410 unless this server issued `token` for this calendar and user, within the retention. */
  private decodeToken(calendarId: string, actor: Actor, token: string): TokenValues {
    let values: TokenValues;
    try {
      values = this.cursors.decode(`entries-sync:${calendarId}:${actor.userId}`, token) as TokenValues;
    } catch {
      throw invalidToken();
    }
    if (values.length !== 4 || expired(values[1])) throw invalidToken();
    return values;
  }
}

/** 410: the client discards its copy and reads the listing in full again (Google Calendar's semantics). */
export function invalidToken(): AppError {
  return new AppError('gone', `the sync token is expired (after ${SYNC_RETENTION_DAYS} days), malformed, or not one of this listing: read it in full again without syncToken`);
}

/** The current rows (top-level and overrides) of `ids` (in a calendar, when given), as plain records. */
export async function currentRows(em: EntityManager, calendarId: string | undefined, ids: string[]): Promise<EventRecord[]> {
  if (ids.length === 0) return [];
  const where = { ...(calendarId && { calendar: calendarId }), $or: [{ id: { $in: ids } }, { series: { $in: ids } }] };
  const rows = await em.createQueryBuilder(Event, 'e').select('*').where(where).execute<Dictionary[]>('all', true);
  return rows.map((r) => ({ ...r, calendar: { id: r.calendar }, host: { id: r.host }, series: r.series ? { id: r.series } : null }) as EventRecord);
}
