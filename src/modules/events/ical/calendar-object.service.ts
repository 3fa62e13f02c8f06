import { type EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { Actor } from '../../../infra/actor';
import type { Cache } from '../../../infra/cache';
import { AppError } from '../../../infra/errors';
import { etagOf } from '../../../infra/etag';
import { Calendar } from '../../calendars/calendar.entity';
import type { AvailabilityService } from '../availability/availability.service';
import { isUuid } from '../domain/event-id';
import { Event } from '../event.entity';
import { tagsOfEvents } from '../event-tags';
import { toEventView } from '../event.views';
import { mergeTimeline, type Window } from '../domain/timeline';
import { loadTimelineRows } from '../timeline/timeline.repository';
import { CalendarObject } from './calendar-object.entity';
import { emailOf, ObjectRejected, writeObject } from './calendar-object.write';
import { IcsError, parseIcs } from './ics-parse';
import { renderExpanded, renderObject } from './ics-render';
import type { ChangeRecorder, EntryChange } from '../changes/event-changes';
import { invitationsEndedBy, namedParticipantsOf } from '../participants/participant.repository';
import type { SyncService } from '../sync/sync.service';

/** A calendar object resource (RFC 4791 §4.1): one entry or series of a calendar, by resource name. */
export interface ObjectMeta {
  eventId: string;
  /** Last path segment, e.g. `<id>.ics` or the name a client chose. */
  name: string;
  uid: string;
  /** Strong ETag, the same as REST's for `GET /calendars/:calendarId/entries/:eventId`. */
  etag: string;
  lastModified: Date;
}

/** An object with its iCalendar text. */
export interface ObjectBody extends ObjectMeta {
  ics: string;
}

/** Preconditions of a write (RFC 9110 §13.1): the ETag it must still have, or that it must not exist. */
export interface WriteConditions {
  ifMatch?: string;
  ifNoneMatch?: boolean;
}

/** Resource names: no slash, at most 255 characters. */
const NAME_RE = /^[^/\\\0]{1,255}$/;

/**
 * The entries of a calendar as iCalendar objects, for CalDAV: listing them with ETags, reading them,
 * matching a time range through their occurrences, writing one from iCalendar text (creating or
 * replacing an entry or a series with its exceptions) and deleting one. The owner only: anyone
 * else's calendar is a 404.
 *
 * ETags agree with REST: both are the hash of the entry's REST view, whose `updatedAt` moves whenever
 * the series or one of its exceptions changes.
 */
export class CalendarObjectService {
  constructor(
    private readonly em: EntityManager,
    private readonly cache: Cache,
    private readonly availability: AvailabilityService,
    private readonly vtimezone: (tz: string) => string | null,
    private readonly changes: ChangeRecorder,
    private readonly sync: SyncService,
  ) {}

  /** Every object of an owned calendar, by name. @throws AppError 404 */
  async list(actor: Actor, calendarId: string): Promise<ObjectMeta[]> {
    await this.owned(this.em, actor, calendarId);
    const rows = await this.em.find(Event, { calendar: calendarId, series: null }, { orderBy: { start: 'asc', id: 'asc' } });
    return this.metas(rows);
  }

  /**
   * The RFC 6578 sync token (also the CTag) of an owned calendar: a URI that changes whenever any of
   * its objects is created, changed or deleted (sync/sync.service.ts, over the change record).
   * @throws AppError 404
   */
  async syncToken(actor: Actor, calendarId: string): Promise<string> {
    return this.sync.collectionToken(actor, calendarId);
  }

  /**
   * What changed in an owned calendar since `syncToken` was handed out: objects created or changed
   * since, and the names of those deleted (RFC 6578 §3.5), with the current token.
   * @throws AppError 404 (calendar); SyncTokenExpired when the token is not one of this calendar's
   *   (any more).
   */
  async changesSince(actor: Actor, calendarId: string, syncToken: string): Promise<{ changed: ObjectMeta[]; removed: string[]; syncToken: string }> {
    const { changed, removed, syncToken: current } = await this.sync.collectionChanges(actor, calendarId, syncToken).catch((err: unknown) => {
      throw err instanceof AppError && err.kind === 'gone' ? new SyncTokenExpired() : err;
    });
    const rows = changed.length ? await this.em.find(Event, { id: { $in: changed } }, { orderBy: { start: 'asc', id: 'asc' } }) : [];
    const names = new Map((await this.mappingsOf(removed)).map((m) => [m.eventId, m.name]));
    return { changed: await this.metas(rows), removed: removed.map((id) => names.get(id) ?? `${id}.ics`), syncToken: current };
  }

  /**
   * The objects of `names` (null where none), with their text; with `expand`, their instances in that
   * window (RFC 4791 §9.6.5). @throws AppError 404 for the calendar
   */
  async read(actor: Actor, calendarId: string, names: string[], opts: { expand?: Window } = {}): Promise<(ObjectBody | null)[]> {
    const calendar = await this.owned(this.em, actor, calendarId);
    const mappings = names.length ? await this.em.find(CalendarObject, { calendar: calendarId, name: { $in: names } }) : [];
    const idOf = new Map(mappings.map((m) => [m.name, m.eventId]));
    for (const n of names) if (!idOf.has(n) && n.endsWith('.ics') && isUuid(n.slice(0, -4))) idOf.set(n, n.slice(0, -4));
    const ids = [...new Set(idOf.values())];
    const rows = ids.length ? await this.em.find(Event, { calendar: calendarId, $or: [{ id: { $in: ids }, series: null }, { series: { $in: ids } }] }) : [];
    const metas = new Map((await this.metas(rows.filter((r) => !r.series))).map((m) => [m.name, m]));
    const mappingOf = new Map((await this.mappingsOf(ids)).map((m) => [m.eventId, m]));
    const attendeesOf = opts.expand ? new Map() : await namedParticipantsOf(this.em, rows.filter((r) => !r.series).map((r) => r.id));
    return names.map((name) => {
      const meta = metas.get(name);
      if (!meta) return null;
      const row = rows.find((r) => r.id === meta.eventId)!;
      const overrides = rows.filter((r) => r.series?.id === row.id);
      const kept = { uid: meta.uid, preserved: mappingOf.get(row.id)?.preserved };
      const ics = opts.expand ? renderExpanded(row, overrides, opts.expand, kept) : renderObject(calendar, row, overrides, { ...kept, vtimezone: this.vtimezone, attendees: attendeesOf.get(row.id) });
      return { ...meta, ics };
    });
  }

  /**
   * Objects with an occurrence intersecting `window` (RFC 4791 §9.9: a series matches through its
   * occurrences, overrides applied, cancelled ones not). An open side is unbounded.
   * @throws AppError 404
   */
  async inRange(actor: Actor, calendarId: string, window: Partial<Window>): Promise<ObjectMeta[]> {
    await this.owned(this.em, actor, calendarId);
    const range = { from: window.from ?? new Date('1900-01-01T00:00:00Z'), to: window.to ?? new Date('2200-01-01T00:00:00Z') };
    const items = mergeTimeline(await loadTimelineRows(this.em, { calendar: calendarId }, range), range);
    const ids = [...new Set(items.map((i) => (i.series ?? i.row).id))];
    const rows = ids.length ? await this.em.find(Event, { id: { $in: ids } }, { orderBy: { start: 'asc', id: 'asc' } }) : [];
    return this.metas(rows);
  }

  /**
   * Creates or replaces the object `name` from iCalendar text holding one UID (RFC 4791 §4.1).
   * @throws AppError 404 (calendar), 412 (conditions), 400 IcsError-based for malformed text,
   *   ObjectRejected (400: what the domain cannot hold, naming the property; 409 `no-uid-conflict`
   *   when another object has the UID, or on overlap unless the calendar allows overlaps).
   */
  async put(actor: Actor, calendarId: string, name: string, text: string, cond: WriteConditions): Promise<{ meta: ObjectMeta; created: boolean }> {
    if (!NAME_RE.test(name)) throw AppError.invalid('/name', 'a resource name is 1 to 255 characters without slashes');
    const email = await emailOf(this.em, actor.userId);
    const { event, created, change, tags } = await this.em.transactional(async (em) => {
      const calendar = await this.owned(em, actor, calendarId, true);
      const parsed = parseText(text, calendar.timeZone);
      if (parsed.method) throw new ObjectRejected('a calendar object resource must not have METHOD (RFC 4791 §4.1)', 'METHOD');
      const other = parsed.otherComponents[0];
      if (other) throw new ObjectRejected(`${other.name} components are not supported: this calendar holds VEVENTs`, other.name);
      if (parsed.objects.length !== 1) throw new ObjectRejected('a calendar object resource holds exactly one UID (RFC 4791 §4.1)', 'UID');
      const object = parsed.objects[0]!;
      const existing = await this.byName(em, calendarId, name);
      const current = existing && etagOf(toEventView(existing));
      if (cond.ifNoneMatch && existing) throw new AppError('precondition_failed', `${name} exists already (If-None-Match: *)`);
      if (cond.ifMatch && !(current && (cond.ifMatch === '*' || cond.ifMatch.split(',').map((t) => t.trim()).includes(current)))) {
        throw new AppError('precondition_failed', `If-Match does not match the current ETag of ${name}`);
      }
      const holder = await this.byUid(em, calendarId, object.uid);
      if (holder && holder.id !== existing?.id) throw new ObjectRejected(`UID ${object.uid} is already used by another resource of this calendar`, 'UID', 'conflict');
      const tags = existing ? await tagsOfEvents(em, calendarId, [existing.id]) : [];
      const written = await writeObject(em, this.availability, calendar, object, { existing, name, ownerEmail: email, force: calendar.allowOverlaps });
      // The whole object (an entry, or a series with its overrides) is one change of its top-level entry.
      const change = objectChange(written.created ? 'created' : 'updated', calendarId, actor.userId, written.event.id);
      await this.changes.inTransaction(em, [change]);
      return { ...written, change, tags: [...new Set([...tags, ...(await tagsOfEvents(em, calendarId, [written.event.id]))])] };
    });
    this.changes.afterCommit([change]);
    await this.cache.invalidate(tags);
    const [meta] = await this.metas([event]);
    return { meta: meta!, created };
  }

  /** Deletes the object `name` (the entry or whole series). @throws AppError 404, 412 */
  async delete(actor: Actor, calendarId: string, name: string, cond: WriteConditions): Promise<void> {
    const { tags, changes } = await this.em.transactional(async (em) => {
      await this.owned(em, actor, calendarId, true);
      const existing = await this.byName(em, calendarId, name);
      if (!existing) throw AppError.notFound('resource', name);
      const current = etagOf(toEventView(existing));
      if (cond.ifMatch && cond.ifMatch !== '*' && !cond.ifMatch.split(',').map((t) => t.trim()).includes(current)) {
        throw new AppError('precondition_failed', `If-Match does not match the current ETag of ${name}`);
      }
      const tags = await tagsOfEvents(em, calendarId, [existing.id]);
      const ended = await invitationsEndedBy(em, existing);
      await em.nativeDelete(Event, { id: existing.id });
      const changes = [objectChange('deleted', calendarId, actor.userId, existing.id), ...ended];
      await this.changes.inTransaction(em, changes);
      return { tags, changes };
    });
    this.changes.afterCommit(changes);
    await this.cache.invalidate(tags);
  }

  /** The top-level row a name points at: a client-named object, or `<id>.ics`. */
  private async byName(em: EntityManager, calendarId: string, name: string): Promise<Event | null> {
    const mapping = await em.findOne(CalendarObject, { calendar: calendarId, name });
    const id = mapping?.eventId ?? (name.endsWith('.ics') && isUuid(name.slice(0, -4)) ? name.slice(0, -4) : null);
    if (!id) return null;
    const row = await em.findOne(Event, { id, calendar: calendarId, series: null });
    if (row && !mapping && (await em.count(CalendarObject, { eventId: id })) > 0) return null; // it has a client's name
    return row;
  }

  /** The top-level row holding `uid`: a client's UID, or an entry id used as UID. */
  private async byUid(em: EntityManager, calendarId: string, uid: string): Promise<Event | null> {
    const mapping = await em.findOne(CalendarObject, { calendar: calendarId, uid });
    const id = mapping?.eventId ?? (isUuid(uid) ? uid : null);
    return id ? em.findOne(Event, { id, calendar: calendarId, series: null }) : null;
  }

  private async mappingsOf(eventIds: string[]): Promise<CalendarObject[]> {
    return eventIds.length ? this.em.find(CalendarObject, { eventId: { $in: eventIds } }) : [];
  }

  private async metas(rows: Event[]): Promise<ObjectMeta[]> {
    const mappingOf = new Map((await this.mappingsOf(rows.map((r) => r.id))).map((m) => [m.eventId, m]));
    return rows.map((r) => {
      const m = mappingOf.get(r.id);
      return { eventId: r.id, name: m?.name ?? `${r.id}.ics`, uid: m?.uid ?? r.id, etag: etagOf(toEventView(r)), lastModified: r.updatedAt };
    });
  }

  /** The calendar if the actor owns it, optionally locked for the transaction. @throws AppError 404 */
  private async owned(em: EntityManager, actor: Actor, calendarId: string, lock = false): Promise<Calendar> {
    const calendar = isUuid(calendarId) ? await em.findOne(Calendar, { id: calendarId, owner: actor.userId }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}) : null;
    if (!calendar) throw AppError.notFound('calendar', calendarId);
    return calendar;
  }
}

/** A sync token this calendar never handed out, or whose state expired (RFC 6578 §3.2 valid-sync-token). */
export class SyncTokenExpired extends AppError {
  constructor() {
    super('forbidden', 'the sync token is not valid (any more): read the collection in full again');
  }
}

/** parseIcs with its errors as 400 naming the line. */
function parseText(text: string, floatingZone: string) {
  try {
    return parseIcs(text, { floatingZone });
  } catch (err) {
    if (err instanceof IcsError) throw new ObjectRejected(`line ${err.line}: ${err.message}`, err.property ?? null);
    throw err;
  }
}

function objectChange(kind: EntryChange['kind'], calendarId: string, ownerId: string, entryId: string): EntryChange {
  return { type: 'entry', kind, calendarId, ownerId, entryId, seriesId: null, originalStart: null };
}
