import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../../infra/actor';
import type { CursorCodec } from '../../../infra/cursor';
import { AppError } from '../../../infra/errors';
import { compareItems, type TimelineItem } from '../domain/timeline';
import { type CancelledItem, syncItems } from '../domain/sync-diff';
import type { EventRecord } from '../event.entity';
import { type EventView, toItemView } from '../event.views';
import type { Participant } from '../participants/participant.entity';
import { participantsOf } from '../participants/participant.repository';
import type { EventQuery, TimelineService } from '../timeline/timeline.service';
import { changesSince, dayNumber, earlierPoint, expired, syncPoint } from './change-log';
import { type CancelledView, currentRows, invalidToken, type SyncPage } from './sync.service';

/**
 * Incremental sync of `GET /events` (a user's events by role, calendar and optional window): the
 * same semantics as the calendar listing (sync.service.ts), over the records that concern the user
 * (`userIds` of the change record: host, participants, and those a change removed). An invitation
 * that ends (the user is removed, or the event deleted) arrives as tombstones of its items.
 */
export class EventsSyncService {
  constructor(
    private readonly em: EntityManager,
    private readonly cursors: CursorCodec,
    private readonly timeline: TimelineService,
  ) {}

  /**
   * A page of TimelineService.list with `nextSyncToken` on the last page; the token's point is the
   * earliest of the pages read (carried in the cursor).
   * @throws AppError as TimelineService.list.
   */
  async list(actor: Actor, q: EventQuery): Promise<SyncPage> {
    const scope = `events-page:${actor.userId}:${queryKey(actor, q)}`;
    const [inner, carried] = q.cursor ? (this.cursors.decode(scope, q.cursor) as [string, string]) : [undefined, undefined];
    const listed = await this.timeline.list(actor, { ...q, cursor: inner }, { mark: (userId) => syncPoint(this.em, { userId }) });
    const point = carried ? earlierPoint(carried, listed.mark!) : listed.mark!;
    if (listed.nextCursor) return { items: listed.items, nextCursor: this.cursors.encode(scope, [listed.nextCursor, point]), nextSyncToken: null };
    return { items: listed.items, nextCursor: null, nextSyncToken: this.cursors.encode(`events-sync:${actor.userId}:${queryKey(actor, q)}`, [point, dayNumber()]) };
  }

  /**
   * What changed in the listing `q` since `syncToken`: current items of the events that changed and
   * concern the user, and tombstones of items that went away or are no longer visible to it.
   * @throws AppError 403 (another user's events, unless admin), 410 (token expired, malformed, or
   *   not issued for this listing and caller), 400 (cursor).
   */
  async changes(actor: Actor, q: EventQuery, syncToken: string): Promise<SyncPage> {
    const userId = q.userId ?? actor.userId;
    if (userId !== actor.userId && actor.role !== 'admin') throw new AppError('forbidden', "only an admin lists another user's events");
    let values: (string | number)[];
    try {
      values = this.cursors.decode(`events-sync:${actor.userId}:${queryKey(actor, q)}`, syncToken);
    } catch {
      throw invalidToken();
    }
    if (values.length !== 2 || expired(Number(values[1]))) throw invalidToken();
    const pageScope = `events-sync-page:${actor.userId}:${syncToken}`;
    const [since, until, at, id] = q.cursor
      ? (this.cursors.decode(pageScope, q.cursor) as [string, string, number, string])
      : [String(values[0]), await syncPoint(this.em, { userId }), undefined, undefined];
    const after = at !== undefined ? { start: new Date(at), id: id! } : undefined;

    const changed = await changesSince(this.em, { userId }, since);
    const ids = [...changed.keys()];
    const participants = await participantsOf(this.em, ids);
    const visible = (top: EventRecord) => (!q.calendarId || top.calendar.id === q.calendarId) && isVisible(q.role, userId, top, participants.get(top.id) ?? []);
    const rows = await currentRows(this.em, undefined, ids);
    const tops = new Map(rows.filter((r) => !r.series).map((r) => [r.id, r]));
    const shownRows = rows.filter((r) => { const top = tops.get(r.series?.id ?? r.id); return !!top && visible(top); });
    const past = [...changed.values()].flatMap((records) => records.flatMap((r) => (r.state ? [r.state.rows] : [])));
    const { items, cancelled } = q.from && q.to
      ? syncItems(shownRows, past, { from: q.from, to: q.to }, { after, limit: q.limit + 1 })
      : unbounded(shownRows, past, after);

    const idOf = (i: TimelineItem) => (i.series ?? i.row).id;
    const rest = [
      ...items.map((i) => ({ id: i.id, start: i.start, view: toItemView(i, q.includeParticipants ? (participants.get(idOf(i)) ?? []) : undefined) as EventView | CancelledView })),
      ...cancelled.map((c) => ({ id: c.id, start: c.start, view: { id: c.id, calendarId: changed.get(c.seriesId ?? c.id)?.[0]?.calendarId ?? '', status: 'cancelled', seriesId: c.seriesId, originalStart: c.originalStart } as CancelledView })),
    ].sort(compareItems);
    const shown = rest.slice(0, q.limit);
    const last = shown[shown.length - 1];
    if (rest.length > q.limit && last) return { items: shown.map((i) => i.view), nextCursor: this.cursors.encode(pageScope, [since, until, last.start.getTime(), last.id]), nextSyncToken: null };
    return { items: shown.map((i) => i.view), nextCursor: null, nextSyncToken: this.cursors.encode(`events-sync:${actor.userId}:${queryKey(actor, q)}`, [until, dayNumber()]) };
  }
}

/** What identifies a listing of /events (its token is valid for that listing only). */
function queryKey(actor: Actor, q: EventQuery): string {
  return JSON.stringify([q.userId ?? actor.userId, q.role, q.calendarId ?? null, q.from?.getTime() ?? null, q.to?.getTime() ?? null, q.includeParticipants]);
}

/** The role filter of /events: host, invited without hosting, or either. */
function isVisible(role: EventQuery['role'], userId: string, top: EventRecord, participants: Participant[]): boolean {
  const hosts = top.host.id === userId;
  const invited = !hosts && participants.some((p) => p.user.id === userId);
  return role === 'host' ? hosts : role === 'participant' ? invited : hosts || invited;
}

/** Without a window, /events lists top-level rows (a series once, as its series record). */
function unbounded(rows: EventRecord[], past: { id: string; start: string; seriesId: string | null }[][], after?: { start: Date; id: string }): { items: TimelineItem[]; cancelled: CancelledItem[] } {
  const keep = (k: { start: Date; id: string }) => !after || compareItems(k, after) > 0;
  const items = rows.filter((r) => !r.series).map((r) => ({ id: r.id, start: r.start, end: r.end, row: r }));
  const listed = new Set(items.map((i) => i.id));
  const cancelled = new Map<string, CancelledItem>();
  for (const r of past.flat()) {
    if (r.seriesId || listed.has(r.id) || cancelled.has(r.id)) continue;
    cancelled.set(r.id, { id: r.id, seriesId: null, originalStart: null, start: new Date(r.start) });
  }
  return { items: items.filter(keep), cancelled: [...cancelled.values()].filter(keep) };
}

