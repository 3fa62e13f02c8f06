import { type EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { Cache } from '../../infra/cache';
import { type CursorCodec, type Page, toPage } from '../../infra/cursor';
import { AppError } from '../../infra/errors';
import type { Actor } from '../../infra/actor';
import { Calendar } from '../calendars/calendar.entity';
import { User } from '../users/user.entity';
import { Event, type RecurrenceRecord } from './event.entity';
import { assertWithinOneDay, type Interval, resolveInterval } from './event-time';
import { type EventView, toEventView, toItemView } from './event.views';
import { buildCalendarIcs, type IcsEntry } from './ics';
import { Participant, type ParticipantRole } from './participant.entity';
import { occurrenceId, parseEntryId, type RuleTiming, seriesEnd } from './recurrence';
import { rekeyOriginalStarts, shiftWallClock, splitRecurrence } from './recurrence-edits';
import { normalizeRecurrence, type Recurrence, toRRule, validateRecurrence } from './rrule';
import { compareItems, mergeTimeline, occurrencesOf, type TimelineItem, toRecurrence, type Window } from './timeline';
import { type EventRoleFilter, loadTimelineRows, loadUserRows, type TimelineScope, type UserSlice } from './timeline.repository';
import { EventTags } from './event-tags';

export type { EventView } from './event.views';

/** An invitation given with a new event. */
export interface Invitee {
  userId: string;
  role: ParticipantRole;
}

/** A series' recurrence as given: `interval` defaults to 1; `count` and `until` exclude each other. */
export interface RecurrenceInput {
  frequency: Recurrence['frequency'];
  interval?: number;
  count?: number;
  until?: Date;
}

/** Fields of a new entry: `start` plus `end` or `duration` (both only when they agree). */
export interface EventInput {
  title: string;
  description?: string | null;
  location?: string | null;
  start: Date;
  end?: Date;
  /** ISO 8601, added in wall-clock time of `timeZone`. */
  duration?: string;
  /** IANA zone; default: the calendar's. */
  timeZone?: string;
  /** Makes the entry a series. */
  recurrence?: RecurrenceInput | null;
}

export type EventPatch = Partial<EventInput>;

/** What an edit of a series changes: one occurrence, it and the later ones, or the whole series. */
export type EditScope = 'single' | 'following' | 'all';

export type { EventRoleFilter } from './timeline.repository';

/** Filter of {@link EventService.list}. Without from/to there is no date bound. */
export interface EventQuery {
  /** Default: the actor. Another user needs an admin actor. */
  userId?: string;
  role: EventRoleFilter;
  from?: Date;
  to?: Date;
  calendarId?: string;
  limit: number;
  cursor?: string;
  includeParticipants: boolean;
}

/** A UTC window `[from, to)`; at most {@link MAX_RANGE_DAYS} days long. */
export type Range = Window;

/** Longest window a range listing accepts (bounds the expansion work of one request). */
export const MAX_RANGE_DAYS = 366;

/**
 * How far ahead a series is checked for overlaps, from its first start: an endless series (or a
 * longer one) is checked for its first 366 days only.
 */
export const OVERLAP_HORIZON_DAYS = 366;

/** How many overlapping entries a 409 lists at most. */
const MAX_CONFLICTS = 20;

const DAY_MS = 86_400_000;

/** Where an edit points: the event row, and for an occurrence its original start. */
interface Target {
  event: Event;
  originalStart?: Date;
}

/**
 * Calendar entries, events and series: creation, edits and deletion with the one-day rule and
 * overlap detection, and listings that expand series (RFC 5545) into occurrences.
 *
 * Overlap under concurrency: every write that can create an overlap runs in a transaction that first
 * locks the calendar row (`SELECT … FOR UPDATE`), then checks, then writes. Writers of one calendar
 * are serialised; writers of different calendars do not wait for each other. `force` skips the check.
 */
export class EventService {
  constructor(
    private readonly em: EntityManager,
    private readonly cursors: CursorCodec,
    private readonly cache: Cache,
    private readonly cacheTtlSeconds: number,
  ) {}

  /**
   * Entries and occurrences of an owned calendar that intersect `[from, to)`, sorted by start then id.
   * At most four statements: the calendar, the singles of the page, the series, their overrides.
   * @throws AppError 404 (calendar not the actor's), 400 (bad range or cursor).
   */
  async listInCalendar(actor: Actor, calendarId: string, range: Range, page: { limit: number; cursor?: string }): Promise<Page<EventView>> {
    assertRange(range);
    const key = `entries:${calendarId}`;
    // The actor is part of the cache key, so only the owner's own (authorised) reads are ever reused.
    const cacheKey = `${key}:${actor.userId}:${range.from.getTime()}:${range.to.getTime()}:${page.limit}:${page.cursor ?? ''}`;
    return this.pageCached(key, cacheKey, [EventTags.calendar(calendarId)], async () => {
      await this.ownedCalendar(this.em, actor, calendarId);
      return this.timelinePage(key, { calendar: calendarId }, range, page, false);
    });
  }

  /**
   * Events of a user, sorted by start then id: those it hosts, is invited to (and does not host), or
   * either; optionally in one calendar. With `from`/`to`, series are expanded into the occurrences
   * intersecting `[from, to)`; without, a series is listed once, as its series record. A fixed number
   * of statements whatever the page size.
   * @throws AppError 403 when another user's events are asked for by a non-admin, 400 for a bad range
   *   or cursor.
   */
  async list(actor: Actor, q: EventQuery): Promise<Page<EventView>> {
    const [page] = await this.listForUsers(actor, [q.userId ?? actor.userId], q);
    if (page instanceof AppError) throw page;
    return page!;
  }

  /**
   * {@link list} for several users at once (GraphQL `User.events` over a list of users): the same
   * query for each user, in the statement count of one listing whatever the number of users.
   * @returns per user, in order, its page or the AppError {@link list} would throw for it alone (403
   *   for another user's events unless admin; 400 for a cursor not issued for that user's list).
   * @throws AppError 400 for a bad range (the same for every user).
   */
  async listForUsers(actor: Actor, userIds: readonly string[], q: Omit<EventQuery, 'userId'>): Promise<(Page<EventView> | AppError)[]> {
    const range = this.queryRange(q);
    const keyOf = (userId: string) => `events:${userId}:${q.role}`;
    const slices: (UserSlice | AppError)[] = userIds.map((userId) => {
      if (userId !== actor.userId && actor.role !== 'admin') return new AppError('forbidden', "only an admin lists another user's events");
      try {
        return { userId, after: q.cursor ? this.cursors.decode(keyOf(userId), q.cursor) : undefined };
      } catch (err) {
        if (err instanceof AppError) return err;
        throw err;
      }
    });
    const allowed = slices.filter((s): s is UserSlice => !(s instanceof AppError));
    const args = JSON.stringify([q.from?.getTime(), q.to?.getTime(), q.calendarId, q.limit, q.cursor, q.includeParticipants]);
    const cached = await this.cache.cachedMany(
      allowed.map((s) => ({ key: `${keyOf(s.userId)}:${args}`, tags: [EventTags.eventsOf(s.userId)] })),
      this.cacheTtlSeconds,
      (misses) => this.loadUserPages(misses.map((i) => allowed[i]!), { ...q, range }, keyOf),
    );
    const pageOf = new Map(allowed.map((s, i) => [s.userId, cached[i]!]));
    return slices.map((s) => (s instanceof AppError ? s : { ...pageOf.get(s.userId)!, cursorOf: this.cursorOfView(keyOf(s.userId)) }));
  }

  /** The range of an event query: both bounds or neither. @throws AppError 400 */
  private queryRange(q: { from?: Date; to?: Date }): Range | undefined {
    if (!q.from && !q.to) return undefined;
    if (!q.from || !q.to) throw AppError.invalid(q.from ? '/to' : '/from', 'give both from and to, or neither');
    const range = { from: q.from, to: q.to };
    assertRange(range);
    return range;
  }

  /** The pages of {@link listForUsers}, uncached: the statements of one listing for all users. */
  private async loadUserPages(users: UserSlice[], q: Omit<EventQuery, 'userId'> & { range?: Range }, keyOf: (userId: string) => string): Promise<{ items: EventView[]; nextCursor: string | null }[]> {
    // As in timelinePage, the first limit+1 items are among the first limit+1 singles of each user.
    const rows = await loadUserRows(this.em, users, { role: q.role, calendarId: q.calendarId, window: q.range, limit: q.limit + 1 });
    const pages = users.map((u) => {
      const own = rows.get(u.userId)!;
      const items = q.range ? mergeTimeline(own, q.range) : own.singles.map((e) => ({ id: e.id, start: e.start, end: e.end, row: e }));
      return this.pageOfItems(keyOf(u.userId), items, u.after, q.limit);
    });
    return this.toViews(pages, q.includeParticipants);
  }

  /**
   * A single event or series the actor may see, by UUID: in calendar `calendarId` the actor owns when
   * given (calendar routes); otherwise one it hosts or is invited to (admins see all).
   * @throws AppError 400 (not a UUID), 404 otherwise.
   */
  async get(actor: Actor, id: string, calendarId?: string): Promise<Event> {
    const { eventId, originalStart } = parseEntryId(id);
    if (originalStart) throw AppError.invalid('/id', 'give the series id, not an occurrence id');
    return this.visible(this.em, actor, eventId, calendarId);
  }

  /**
   * One entry as shown: a single entry, a series record, or an occurrence (by occurrence id, or by
   * series id plus `occurrence`), optionally with its (series') participants.
   * @throws AppError 400 (malformed id), 404 (not visible, or no such occurrence).
   */
  async view(actor: Actor, id: string, opts: { calendarId?: string; occurrence?: Date; participants?: boolean } = {}): Promise<EventView> {
    const target = await this.target(this.em, actor, id, opts);
    const participants = opts.participants ? ((await this.participantsOf([target.event.id])).get(target.event.id) ?? []) : undefined;
    if (!target.originalStart) return toEventView(target.event, participants);
    return toItemView(await this.occurrenceItem(this.em, target.event, target.originalStart), participants);
  }

  /** Participants of many events in one statement, grouped by event id. */
  async participantsOf(eventIds: string[]): Promise<Map<string, Participant[]>> {
    const rows = eventIds.length ? await this.em.find(Participant, { event: { $in: [...new Set(eventIds)] } }) : [];
    const byEvent = new Map<string, Participant[]>();
    for (const p of rows) byEvent.set(p.event.id, [...(byEvent.get(p.event.id) ?? []), p]);
    return byEvent;
  }

  /**
   * Creates an entry or a series in an owned calendar (default: the actor's primary one). The actor
   * hosts it: its participant row is `required`/`accepted`; each invitee starts `needs_action`. A
   * series' start is truncated to the second (RRULE instants have whole seconds).
   * @throws AppError 404 (calendar, or an invitee that is not a user), 400 (interval, one-day rule,
   *   recurrence), 409 with `conflicts` on overlap unless `force`, 409 for a user invited twice.
   */
  async create(actor: Actor, calendarId: string | undefined, input: EventInput, opts: { force: boolean; participants?: Invitee[] }): Promise<Event> {
    const invitees = opts.participants ?? [];
    const seen = new Set([actor.userId]);
    for (const [i, p] of invitees.entries()) {
      if (seen.has(p.userId)) throw new AppError('conflict', `user ${p.userId} is listed twice (the host is always a participant)`, { errors: [{ path: `/participants/${i}/userId`, message: 'duplicate participant' }] });
      seen.add(p.userId);
    }
    const created = await this.em.transactional(async (em) => {
      const calendar = await this.ownedCalendar(em, actor, calendarId, true);
      const timeZone = input.timeZone ?? calendar.timeZone;
      const start = input.recurrence ? wholeSeconds(input.start) : input.start;
      const event = new Event({
        calendar: em.getReference(Calendar, calendar.id, { wrapped: true }),
        host: em.getReference(User, actor.userId, { wrapped: true }),
        title: input.title,
        ...resolveInterval({ ...input, start, timeZone }),
        timeZone,
      });
      event.description = input.description ?? null;
      event.location = input.location ?? null;
      setRecurrence(event, input.recurrence ?? null);
      assertWithinOneDay(event, timeZone);
      if (!opts.force) await assertNoOverlap(em, calendar.id, candidateIntervals(event), new Set());
      em.persist(event);
      const host = new Participant(em.getReference(Event, event.id, { wrapped: true }), em.getReference(User, actor.userId, { wrapped: true }), 'required');
      Object.assign(host, { isHost: true, response: 'accepted' });
      em.persist(host);
      if (invitees.length) {
        const known = new Set((await em.find(User, { id: { $in: invitees.map((p) => p.userId) } }, { fields: ['id'] })).map((u) => u.id));
        const missing = invitees.findIndex((p) => !known.has(p.userId));
        if (missing >= 0) throw new AppError('not_found', `user ${invitees[missing]!.userId} was not found`, { errors: [{ path: `/participants/${missing}/userId`, message: 'no such user' }] });
        for (const p of invitees) em.persist(new Participant(em.getReference(Event, event.id, { wrapped: true }), em.getReference(User, p.userId, { wrapped: true }), p.role));
      }
      await em.flush();
      return event;
    });
    await this.cache.invalidate([EventTags.calendar(created.calendar.id), ...[actor.userId, ...invitees.map((p) => p.userId)].map(EventTags.eventsOf)]);
    return created;
  }

  /**
   * Changes an entry, a series or occurrences of it. PUT replaces every writable field (absent optional
   * ones become null, absent `recurrence` makes a series single); PATCH changes what it gives; moving
   * only `start` keeps the duration. Only the host edits.
   *
   * For a series, `scope` (default: `single` for an occurrence, `all` for the series id):
   * - `single`: the occurrence gets an override row (RFC 5545 RECURRENCE-ID) with its own fields;
   * - `following`: the series ends before the occurrence and a new series (new id, same participants)
   *   starts there with the changes; at the first occurrence this is `all`;
   * - `all`: the series changes.
   * The same at the first, a middle and the last occurrence. With `following` and `all`, exception
   * dates and overrides follow their occurrences (also when the times move) and keep what was changed
   * on them alone; see {@link carryExceptions}.
   *
   * @returns the changed entry, the occurrence, or (for `following`) the new series.
   * @throws AppError 400 (malformed id, bad scope, interval, one-day rule, recurrence), 404 (not
   *   visible, or no such occurrence), 403 (not the host), 409 on overlap unless `force`.
   */
  async update(actor: Actor, id: string, patch: EventPatch, opts: { mode: 'put' | 'patch'; force: boolean; calendarId?: string; scope?: EditScope; occurrence?: Date }): Promise<EventView> {
    const { view, tags } = await this.em.transactional(async (em) => {
      const { event, originalStart } = await this.target(em, actor, id, opts);
      assertHost(actor, event);
      await this.ownedCalendar(em, actor, event.calendar.id, true);
      await em.refresh(event); // a concurrent writer may have changed it before the lock
      const tags = await this.tagsOfEvents(event.calendar.id, [event.id], em);
      const scope = resolveScope(event, originalStart, opts.scope);
      if (scope === 'single') return { view: toItemView(await this.updateOccurrence(em, event, originalStart!, patch, opts)), tags };
      // "This and following" from the first start is the whole series.
      if (scope === 'following' && originalStart!.getTime() !== event.start.getTime()) return { view: toEventView(await this.splitSeries(em, event, originalStart!, patch, opts)), tags };
      const before = event.recurrence ? snapshotOf(event) : null;
      applyPatch(event, patch, opts.mode);
      if (before) await this.carryExceptions(em, event, event, before, scope === 'following' ? { target: { at: originalStart!, patch, mode: opts.mode } } : {});
      assertWithinOneDay(event, event.timeZone);
      if (!opts.force) await assertNoOverlap(em, event.calendar.id, candidateIntervals(event), new Set([event.id]));
      await em.flush();
      return { view: toEventView(event), tags };
    });
    await this.cache.invalidate(tags);
    return view;
  }

  /**
   * Deletes an entry, a series, or occurrences: `single` cancels one occurrence, the first one
   * included (an exception date, RFC 5545 EXDATE; the series stays, even with no occurrence left),
   * `following` ends the series before it (from the first occurrence: the whole series), `all` deletes
   * the series with its overrides and participants. Only the host deletes.
   * @throws AppError 400, 404, 403 as {@link update}.
   */
  async delete(actor: Actor, id: string, opts: { calendarId?: string; scope?: EditScope; occurrence?: Date } = {}): Promise<void> {
    const tags = await this.em.transactional(async (em) => {
      const { event, originalStart } = await this.target(em, actor, id, opts);
      assertHost(actor, event);
      const tags = await this.tagsOfEvents(event.calendar.id, [event.id], em);
      const scope = resolveScope(event, originalStart, opts.scope);
      // "This and following" from the first start is the whole series; `single` is always an exception
      // date, the first occurrence included.
      const at = originalStart!;
      if (scope === 'all' || (scope === 'following' && at.getTime() === event.start.getTime())) {
        await em.nativeDelete(Event, { id: event.id });
        return tags;
      }
      if (scope === 'single') {
        event.exdates = [...new Set([...event.exdates, at.toISOString()])].sort();
        await em.nativeDelete(Event, { series: event.id, originalStart: at });
      } else {
        const { before } = splitRecurrence(ruleTiming(event), at);
        setRecurrence(event, before && fromRecurrence(before.recurrence));
        event.exdates = event.exdates.filter((d) => new Date(d) < at);
        await em.nativeDelete(Event, { series: event.id, originalStart: { $gte: at } });
      }
      await em.flush();
      return tags;
    });
    await this.cache.invalidate(tags);
  }

  /**
   * Cache tags of everything held in calendars, for a write that removes them (deleting a calendar,
   * or its owner): their listings and the /events listings of everyone taking part in their events.
   * Read it before the deletion.
   */
  async tagsOfCalendars(where: { calendarId: string } | { ownerId: string }): Promise<string[]> {
    const calendars = 'calendarId' in where ? [where.calendarId] : (await this.em.find(Calendar, { owner: where.ownerId }, { fields: ['id'] })).map((c) => c.id);
    const participants = calendars.length ? await this.em.find(Participant, { event: { calendar: { $in: calendars } } }, { fields: ['user'] }) : [];
    return [...calendars.map(EventTags.calendar), ...new Set(participants.map((p) => EventTags.eventsOf(p.user.id)))];
  }

  /**
   * The calendar as RFC 5545 iCalendar: singles, series with RRULE and EXDATE, and overrides as
   * VEVENTs with RECURRENCE-ID, in local time with VTIMEZONE blocks.
   * @throws AppError 404 unless the actor owns the calendar.
   */
  async exportCalendar(actor: Actor, calendarId: string, vtimezone: (tz: string) => string | null): Promise<string> {
    const calendar = await this.ownedCalendar(this.em, actor, calendarId);
    const rows = await this.em.find(Event, { calendar: calendar.id }, { orderBy: { start: 'asc', id: 'asc' } });
    const overrides = rows.filter((r) => r.series);
    const entries: IcsEntry[] = rows
      .filter((r) => !r.series)
      .map((r) => ({
        id: r.id,
        title: r.title,
        description: r.description,
        location: r.location,
        start: r.start,
        end: r.end,
        timeZone: r.timeZone,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        recurrence: r.recurrence ? toRecurrence(r.recurrence) : null,
        exdates: r.exdates.map((d) => new Date(d)),
        overrides: overrides
          .filter((o) => o.series!.id === r.id && !r.exdates.includes(o.originalStart!.toISOString()))
          .map((o) => ({ originalStart: o.originalStart!, start: o.start, end: o.end, title: o.title, description: o.description, location: o.location })),
      }));
    return buildCalendarIcs({ id: calendar.id, name: calendar.name, timeZone: calendar.timeZone }, entries, { prodId: '//calendar-service//EN', vtimezone });
  }

  /** A page through the cache: its items and next cursor are cached; edge cursors are derived from `key`. */
  private async pageCached(key: string, cacheKey: string, tags: string[], load: () => Promise<Page<EventView>>): Promise<Page<EventView>> {
    const { items, nextCursor } = await this.cache.cached(cacheKey, tags, this.cacheTtlSeconds, async () => {
      const page = await load();
      return { items: page.items, nextCursor: page.nextCursor };
    });
    return { items, nextCursor, cursorOf: this.cursorOfView(key) };
  }

  /**
   * Cache tags a write to these events (of one calendar) must invalidate: the calendar's listings, and
   * the /events listings and meeting anchors of everyone taking part. Read them before a write that
   * removes participants; invalidate after the transaction commits, before the response.
   * @param em - default this request's manager; pass the transaction's inside one.
   */
  async tagsOfEvents(calendarId: string, eventIds: string[], em: EntityManager = this.em): Promise<string[]> {
    const participants = eventIds.length ? await em.find(Participant, { event: { $in: eventIds } }, { fields: ['user'] }) : [];
    return [EventTags.calendar(calendarId), ...new Set(participants.map((p) => EventTags.eventsOf(p.user.id)))];
  }

  /** One page of a merged timeline (singles and occurrences) over `range`. */
  private async timelinePage(key: string, scope: TimelineScope, range: Range, page: { limit: number; cursor?: string }, withParticipants: boolean): Promise<Page<EventView>> {
    const after = page.cursor ? this.cursors.decode(key, page.cursor) : undefined;
    // The first limit+1 items after the cursor are among the first limit+1 singles after it and the
    // occurrences of the series, so the singles query is cut there too.
    const rows = await loadTimelineRows(this.em, scope, range, { after, limit: page.limit + 1 });
    const [shown] = await this.toViews([this.pageOfItems(key, mergeTimeline(rows, range), after, page.limit)], withParticipants);
    return { ...shown!, cursorOf: this.cursorOfView(key) };
  }

  /** Relay edge cursors of a listing's views: the keyset position (start, id) in list `key`. */
  private cursorOfView(key: string): (view: EventView) => string {
    return (v) => this.cursors.encode(key, [v.start.getTime(), v.id]);
  }

  /** The first `limit` of `items` (sorted by start, id) after the keyset position `after` of list `key`. */
  private pageOfItems(key: string, items: TimelineItem[], after: (string | number)[] | undefined, limit: number): Page<TimelineItem> {
    const cut = after && { start: new Date(Number(after[0])), id: String(after[1]) };
    const rest = cut ? items.filter((i) => compareItems(i, cut) > 0) : items;
    return toPage(rest, limit, this.cursors, key, (i) => [i.start.getTime(), i.id]);
  }

  /** Pages of items as views, with their participants (one statement for all pages) when asked. */
  private async toViews(pages: Page<TimelineItem>[], withParticipants: boolean): Promise<{ items: EventView[]; nextCursor: string | null }[]> {
    const idOf = (i: TimelineItem) => (i.series ?? i.row).id;
    const participants = withParticipants ? await this.participantsOf(pages.flatMap((p) => p.items.map(idOf))) : undefined;
    return pages.map(({ items, nextCursor }) => ({ items: items.map((i) => toItemView(i, participants && (participants.get(idOf(i)) ?? []))), nextCursor }));
  }

  /** Parses an entry id and loads its visible row; an occurrence must exist in its series. */
  private async target(em: EntityManager, actor: Actor, id: string, opts: { calendarId?: string; occurrence?: Date }): Promise<Target> {
    const parsed = parseEntryId(id);
    const originalStart = parsed.originalStart ?? opts.occurrence;
    const event = await this.visible(em, actor, parsed.eventId, opts.calendarId);
    if (!originalStart) return { event };
    if (!event.recurrence) throw AppError.invalid('/id', `${event.id} is not a series: it has no occurrences`);
    await this.occurrenceItem(em, event, originalStart); // 404 unless it is an occurrence
    return { event, originalStart };
  }

  /** The occurrence of `series` at `originalStart`, with its override applied. @throws AppError 404 */
  private async occurrenceItem(em: EntityManager, series: Event, originalStart: Date): Promise<TimelineItem<Event>> {
    const at = { from: originalStart, to: new Date(originalStart.getTime() + 1) };
    const occurrence = occurrencesOf(series, at).find((o) => o.originalStart.getTime() === originalStart.getTime());
    if (!occurrence) throw AppError.notFound('occurrence', occurrenceId(series.id, originalStart));
    const override = await em.findOne(Event, { series: series.id, originalStart });
    const row = override ?? series;
    return { id: occurrenceId(series.id, originalStart), start: override?.start ?? occurrence.start, end: override?.end ?? occurrence.end, row, series, originalStart };
  }

  /** `scope=single` edit: creates or changes the occurrence's override. */
  private async updateOccurrence(em: EntityManager, series: Event, originalStart: Date, patch: EventPatch, opts: { mode: 'put' | 'patch'; force: boolean }): Promise<TimelineItem<Event>> {
    if (patch.recurrence) throw AppError.invalid('/recurrence', 'an occurrence has no recurrence of its own; edit the series (scope=all or following)');
    const current = await this.occurrenceItem(em, series, originalStart);
    let override = current.row === series ? undefined : current.row;
    if (!override) {
      override = new Event({ calendar: series.calendar, host: series.host, title: series.title, start: current.start, end: current.end, timeZone: series.timeZone });
      Object.assign(override, { description: series.description, location: series.location, series: em.getReference(Event, series.id, { wrapped: true }), originalStart });
      em.persist(override);
    }
    applyPatch(override, { ...patch, recurrence: undefined }, opts.mode);
    // The series' version (and so its ETag, REST's and CalDAV's) covers its exceptions.
    series.updatedAt = new Date();
    assertWithinOneDay(override, override.timeZone);
    const self = occurrenceId(series.id, originalStart);
    if (!opts.force) await assertNoOverlap(em, series.calendar.id, [override], new Set([self, override.id]));
    await em.flush();
    return { ...current, id: self, start: override.start, end: override.end, row: override };
  }

  /**
   * `scope=following` edit: ends `series` before `at` and starts a new series there with the patch.
   * The exceptions from `at` on follow their occurrences into the new series ({@link carryExceptions}).
   */
  private async splitSeries(em: EntityManager, series: Event, at: Date, patch: EventPatch, opts: { mode: 'put' | 'patch'; force: boolean }): Promise<Event> {
    const { before, after } = splitRecurrence(ruleTiming(series), at);
    const next = new Event({ calendar: series.calendar, host: series.host, title: series.title, start: at, end: new Date(at.getTime() + (series.end.getTime() - series.start.getTime())), timeZone: series.timeZone });
    Object.assign(next, { description: series.description, location: series.location });
    setRecurrence(next, fromRecurrence(after.recurrence));
    const unpatched = snapshotOf(next);
    applyPatch(next, patch, opts.mode);
    assertWithinOneDay(next, next.timeZone);
    setRecurrence(series, before && fromRecurrence(before.recurrence));
    em.persist(next);
    await em.flush();
    await this.carryExceptions(em, series, next, unpatched, { since: at, target: { at, patch, mode: opts.mode } });
    const participants = await em.find(Participant, { event: series.id });
    for (const p of participants) {
      const copy = new Participant(em.getReference(Event, next.id, { wrapped: true }), p.user, p.role);
      Object.assign(copy, { response: p.response, isHost: p.isHost });
      em.persist(copy);
    }
    if (!opts.force) await assertNoOverlap(em, series.calendar.id, candidateIntervals(next), new Set([next.id]));
    await em.flush();
    return next;
  }

  /**
   * After `to` took over the occurrences of `from` whose original start is at or after `opts.since`
   * (default: all of them; `from === to` for an edit of the whole series), with `before` the series as
   * it was: moves their exceptions to `to`, so that each follows its occurrence and keeps what was
   * changed on it alone.
   *
   * - Exception dates and overrides are re-keyed by {@link rekeyOriginalStarts}; those whose
   *   occurrence the rule no longer has (or all, when `to` is no series any more) go.
   * - An override keeps the fields it changed and takes the series' new value of every other one (a
   *   three-way merge against `before`): its start follows its occurrence unless it was moved, its
   *   length follows the series' unless it was changed, its title, description and location likewise.
   * - The override of `opts.target.at` (the occurrence a "this and following" edit was made on) also
   *   takes the patch itself.
   */
  private async carryExceptions(em: EntityManager, from: Event, to: Event, before: Snapshot, opts: { since?: Date; target?: { at: Date; patch: EventPatch; mode: 'put' | 'patch' } } = {}): Promise<void> {
    const now = snapshotOf(to);
    const after = now.timing;
    if (from === to && sameTiming(before.timing, after) && SHARED_FIELDS.every((f) => before[f] === now[f]) && before.durationMs === now.durationMs) return;
    const carried = (d: Date) => !opts.since || d.getTime() >= opts.since.getTime();
    const exdates = from.exdates.map((d) => new Date(d)).filter(carried);
    const overrides = (await em.find(Event, { series: from.id }, { orderBy: { originalStart: 'asc' } })).filter((o) => carried(o.originalStart!));
    const keys = after && before.timing ? rekeyOriginalStarts(before.timing, after, [...exdates, ...overrides.map((o) => o.originalStart!)]) : [];
    const newExdates = exdates.flatMap((_, i) => (keys[i] ? [keys[i]!.toISOString()] : []));
    if (from === to) to.exdates = newExdates;
    else {
      from.exdates = from.exdates.filter((d) => !carried(new Date(d)));
      to.exdates = [...new Set([...to.exdates, ...newExdates])].sort();
    }
    // Two steps: (series, original start) is unique, and a shift can move one override onto the key
    // that another one still holds.
    const originals = overrides.map((o) => o.originalStart!);
    for (const o of overrides) o.originalStart = null;
    await em.flush();
    overrides.forEach((o, i) => {
      const key = keys[exdates.length + i];
      if (!key) return void em.remove(o);
      const original = originals[i]!;
      const length = o.end.getTime() - o.start.getTime();
      const start = o.start.getTime() === original.getTime() ? key : o.start;
      o.start = start;
      o.end = new Date(start.getTime() + (length === before.durationMs ? now.durationMs : length));
      for (const f of SHARED_FIELDS) if (o[f] === before[f]) o[f] = now[f] as never;
      o.originalStart = key;
      o.series = em.getReference(Event, to.id, { wrapped: true });
      if (opts.target && original.getTime() === opts.target.at.getTime()) applyPatch(o, { ...opts.target.patch, recurrence: undefined }, opts.target.mode);
    });
    await em.flush();
  }

  /** See {@link get}. */
  private async visible(em: EntityManager, actor: Actor, id: string, calendarId?: string): Promise<Event> {
    let where: Record<string, unknown>;
    if (calendarId) where = { id, series: null, calendar: { id: calendarId, owner: actor.userId } };
    else if (actor.role === 'admin') where = { id, series: null };
    else where = { id, series: null, $or: [{ host: actor.userId }, { participants: { user: actor.userId } }] };
    const event = await em.findOne(Event, where);
    if (!event) throw AppError.notFound('event', id);
    return event;
  }

  /**
   * The calendar `id` (default: the actor's primary one) if the actor owns it, optionally locked
   * (`FOR UPDATE`) for the rest of the transaction. @throws AppError 404
   */
  private async ownedCalendar(em: EntityManager, actor: Actor, id: string | undefined, lock = false): Promise<Calendar> {
    const where = id ? { id, owner: actor.userId } : { owner: actor.userId, isPrimary: true };
    const calendar = await em.findOne(Calendar, where, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
    if (!calendar) throw AppError.notFound('calendar', id);
    return calendar;
  }
}

/**
 * Checks `candidates` (sorted intervals) against the singles and occurrences of the calendar,
 * ignoring the items and series whose ids are in `exclude`.
 * @throws AppError 409 listing (up to 20) overlapping entries.
 */
export async function assertNoOverlap(em: EntityManager, calendarId: string, candidates: Interval[], exclude: Set<string>): Promise<void> {
  if (candidates.length === 0) return;
  const window = { from: candidates[0]!.start, to: new Date(Math.max(...candidates.map((c) => c.end.getTime()))) };
  const items = mergeTimeline(await loadTimelineRows(em, { calendar: calendarId }, window), window).filter(
    (i) => !exclude.has(i.id) && !exclude.has(i.row.id) && !(i.series && exclude.has(i.series.id)),
  );
  const clashes: TimelineItem[] = [];
  for (const item of items) {
    if (candidates.some((c) => c.start < item.end && item.start < c.end)) clashes.push(item);
    if (clashes.length === MAX_CONFLICTS) break;
  }
  if (clashes.length === 0) return;
  throw new AppError('conflict', `the entry overlaps ${clashes.length === 1 ? 'another entry' : `${clashes.length} entries`} of this calendar; send force=true to keep both`, {
    conflicts: clashes.map((c) => ({ id: c.id, title: c.row.title, start: c.start, end: c.end })),
  });
}

/** @throws AppError 403 unless the actor hosts the event (participants may read it, not change it). */
function assertHost(actor: Actor, event: Event): Event {
  if (event.host.id !== actor.userId) throw new AppError('forbidden', 'only the host changes this event');
  return event;
}

/** @throws AppError 400 unless `from < to` and the window is at most MAX_RANGE_DAYS long. */
export function assertRange(range: Range): void {
  if (range.from.getTime() >= range.to.getTime()) throw AppError.invalid('/end', 'the range end must be after its start');
  if (range.to.getTime() - range.from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw AppError.invalid('/end', `a range may span at most ${MAX_RANGE_DAYS} days`);
  }
}

/** The scope an edit applies with. @throws AppError 400 for `single`/`following` without an occurrence. */
function resolveScope(event: Event, originalStart: Date | undefined, scope: EditScope | undefined): EditScope {
  if (!event.recurrence) return 'all';
  const resolved = scope ?? (originalStart ? 'single' : 'all');
  if (resolved !== 'all' && !originalStart) throw AppError.invalid('/scope', `scope=${resolved} needs an occurrence id (<seriesId>_<YYYYMMDDTHHMMSSZ>) or occurrence`);
  return resolved;
}

/** The intervals an entry occupies: itself, or a series' occurrences up to the overlap horizon. */
function candidateIntervals(event: Event): Interval[] {
  if (!event.recurrence) return [event];
  const horizon = new Date(event.start.getTime() + OVERLAP_HORIZON_DAYS * DAY_MS);
  const to = event.seriesEnd && event.seriesEnd < horizon ? event.seriesEnd : horizon;
  return occurrencesOf(event, { from: event.start, to });
}

/** The timing that decides a series' occurrences (and so the keys of its exceptions). */
function ruleTiming(e: Event): RuleTiming {
  return { start: e.start, timeZone: e.timeZone, recurrence: toRecurrence(e.recurrence!) };
}

function sameTiming(a: RuleTiming | null, b: RuleTiming | null): boolean {
  if (!a || !b) return a === b;
  return a.start.getTime() === b.start.getTime() && a.timeZone === b.timeZone && toRRule(a.recurrence) === toRRule(b.recurrence);
}

/** Fields an override copies from its series when created, and may then change on its own. */
const SHARED_FIELDS = ['title', 'description', 'location'] as const;

/** A series as an edit found it: what its overrides are merged against. */
interface Snapshot {
  /** Null when it is no series (a PUT without recurrence makes it a single entry). */
  timing: RuleTiming | null;
  durationMs: number;
  title: string;
  description: string | null;
  location: string | null;
}

function snapshotOf(e: Event): Snapshot {
  return { timing: e.recurrence ? ruleTiming(e) : null, durationMs: e.end.getTime() - e.start.getTime(), title: e.title, description: e.description ?? null, location: e.location ?? null };
}

function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

function fromRecurrence(r: Recurrence): RecurrenceRecord {
  const { until, ...rule } = normalizeRecurrence(r);
  return { ...rule, ...(until && { until: until.toISOString() }) };
}

/** Sets (or clears) a row's recurrence and its stored last end. @throws AppError 400 for an invalid rule. */
export function setRecurrence(event: Event, input: RecurrenceInput | RecurrenceRecord | null): void {
  if (!input) {
    event.recurrence = null;
    event.seriesEnd = null;
    event.exdates = [];
    return;
  }
  const r: Recurrence = 'until' in input && typeof input.until === 'string' ? toRecurrence(input as RecurrenceRecord) : { ...(input as RecurrenceInput), interval: input.interval ?? 1 };
  event.start = wholeSeconds(event.start);
  validateRecurrence(r, event.start);
  event.recurrence = fromRecurrence(r);
  event.seriesEnd = seriesEnd({ start: event.start, durationMs: event.end.getTime() - event.start.getTime(), timeZone: event.timeZone, recurrence: r });
}

/**
 * Applies a PUT or PATCH body to a row. Moving only `start` keeps the duration (contract); moving a
 * series keeps its UNTIL at the same place relative to its occurrences (it moves by the same
 * wall-clock shift), so no occurrence is lost at the end of the series.
 */
function applyPatch(event: Event, patch: EventPatch, mode: 'put' | 'patch'): void {
  const previous = { start: event.start, timeZone: event.timeZone };
  if (patch.title !== undefined) event.title = patch.title;
  if (mode === 'put' || patch.description !== undefined) event.description = patch.description ?? null;
  if (mode === 'put' || patch.location !== undefined) event.location = patch.location ?? null;
  if (patch.timeZone !== undefined) event.timeZone = patch.timeZone;
  const start = patch.start ?? event.start;
  if (mode === 'put' || patch.end !== undefined || patch.duration !== undefined) {
    Object.assign(event, resolveInterval({ start, end: patch.end, duration: patch.duration, timeZone: event.timeZone }));
  } else if (patch.start !== undefined) {
    // Moving only the start keeps the duration (contract).
    const length = event.end.getTime() - event.start.getTime();
    event.start = start;
    event.end = new Date(start.getTime() + length);
  }
  if (mode === 'put' || patch.recurrence !== undefined) setRecurrence(event, patch.recurrence ?? null);
  else if (event.recurrence) {
    const { until } = event.recurrence;
    setRecurrence(event, { ...event.recurrence, ...(until && { until: shiftWallClock(new Date(until), previous, event).toISOString() }) });
  }
}
