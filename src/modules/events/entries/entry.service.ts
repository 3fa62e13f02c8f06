import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../../infra/actor';
import type { Cache } from '../../../infra/cache';
import { AppError } from '../../../infra/errors';
import { Calendar } from '../../calendars/calendar.entity';
import { User } from '../../users/user.entity';
import { assertHost, entryTarget, occurrenceItem, ownedCalendar } from '../access/event-access';
import type { AvailabilityService } from '../availability/availability.service';
import { candidateIntervals } from '../availability/overlap';
import { DEFAULT_STATUS, defaultTransparency } from '../domain/event-status';
import { assertEntryTime } from '../domain/event-time';
import { splitRecurrence } from '../domain/recurrence-edits';
import { occurrenceId } from '../domain/event-id';
import { type ChangeRecorder, type EntryChange, type EventChange } from '../changes/event-changes';
import { Event } from '../event.entity';
import { EventTags, tagsOfEvents } from '../event-tags';
import { type EventView, toEventView, toItemView } from '../event.views';
import { Participant, type ParticipantRole } from '../participants/participant.entity';
import { invitationsEndedBy, participantsOf } from '../participants/participant.repository';
import { carryExceptions, splitSeries, updateOccurrence } from './series-edits';
import { applyPatch, applyTimes, type EditScope, type EventInput, type EventPatch, resolveScope, ruleTiming, setRecurrence, setRule, snapshotOf, wholeSeconds } from './series-rules';

/** An invitation given with a new event. */
export interface Invitee {
  userId: string;
  role: ParticipantRole;
}

/**
 * The lifecycle of calendar entries, events and series: reading one, creating, changing and deleting
 * them with the one-day rule and the overlap check, and the scopes of series edits (RFC 5545: an
 * occurrence alone, this and following, the whole series).
 *
 * Overlap under concurrency: every write that can create an overlap runs in a transaction that first
 * locks the calendar row (`SELECT … FOR UPDATE`), then checks, then writes. Writers of one calendar
 * are serialised; writers of different calendars do not wait for each other. `force` skips the check.
 * Each write invalidates the cache tags of what it changed (event-tags.ts) before it answers, and
 * reports its changes to the `eventChanges` hook: inside its transaction, then after the commit.
 */
export class EntryService {
  constructor(
    private readonly em: EntityManager,
    private readonly cache: Cache,
    private readonly availability: AvailabilityService,
    private readonly changes: ChangeRecorder,
  ) {}

  /**
   * One entry as shown: a single entry, a series record, or an occurrence (by occurrence id, or by
   * series id plus `occurrence`), optionally with its (series') participants.
   * @throws AppError 400 (malformed id), 404 (not visible, or no such occurrence).
   */
  async view(actor: Actor, id: string, opts: { calendarId?: string; occurrence?: Date; participants?: boolean } = {}): Promise<EventView> {
    const target = await entryTarget(this.em, actor, id, opts);
    const participants = opts.participants ? ((await participantsOf(this.em, [target.event.id])).get(target.event.id) ?? []) : undefined;
    if (!target.originalStart) return toEventView(target.event, participants);
    return toItemView(await occurrenceItem(this.em, target.event, target.originalStart), participants);
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
      const calendar = await ownedCalendar(em, actor, calendarId, true);
      const timeZone = input.timeZone ?? calendar.timeZone;
      const start = input.recurrence && input.start ? wholeSeconds(input.start) : input.start;
      const event = new Event({
        calendar: em.getReference(Calendar, calendar.id, { wrapped: true }),
        host: em.getReference(User, actor.userId, { wrapped: true }),
        title: input.title,
        start: new Date(0),
        end: new Date(1),
        timeZone,
      });
      applyTimes(event, { ...input, start }, 'put', timeZone);
      event.description = input.description ?? null;
      event.location = input.location ?? null;
      event.status = input.status ?? DEFAULT_STATUS;
      event.transparency = input.transparency ?? defaultTransparency(event.allDay);
      setRecurrence(event, input.recurrence ?? null);
      assertEntryTime(event, timeZone);
      if (!opts.force) await this.availability.assertNoOverlap(calendar.id, candidateIntervals(event), new Set(), em);
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
      const changes: EventChange[] = [
        entryChange('created', calendar.id, actor.userId, event.id),
        ...invitees.map((p): EventChange => ({ type: 'invitation', kind: 'invited', eventId: event.id, hostId: actor.userId, userId: p.userId, role: p.role, response: 'needs_action' })),
      ];
      await this.changes.inTransaction(em, changes);
      return { event, changes };
    });
    this.changes.afterCommit(created.changes);
    await this.cache.invalidate([EventTags.calendar(created.event.calendar.id), ...[actor.userId, ...invitees.map((p) => p.userId)].map(EventTags.eventsOf)]);
    return created.event;
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
   * on them alone; see `carryExceptions` (series-edits.ts).
   *
   * @returns the changed entry, the occurrence, or (for `following`) the new series.
   * @throws AppError 400 (malformed id, bad scope, interval, one-day rule, recurrence), 404 (not
   *   visible, or no such occurrence), 403 (not the host), 409 on overlap unless `force`.
   */
  async update(actor: Actor, id: string, patch: EventPatch, opts: { mode: 'put' | 'patch'; force: boolean; calendarId?: string; scope?: EditScope; occurrence?: Date }): Promise<EventView> {
    const { view, tags, changes } = await this.em.transactional(async (em) => {
      const { event, originalStart } = await entryTarget(em, actor, id, opts);
      assertHost(actor, event);
      await ownedCalendar(em, actor, event.calendar.id, true);
      await em.refresh(event); // a concurrent writer may have changed it before the lock
      const tags = await tagsOfEvents(em, event.calendar.id, [event.id]);
      const scope = resolveScope(!!event.recurrence, originalStart, opts.scope);
      const changed = (view: EventView, changes: EventChange[]) => this.changes.inTransaction(em, changes).then(() => ({ view, tags, changes }));
      const series = entryChange('updated', event.calendar.id, actor.userId, event.id);
      if (scope === 'single') {
        const view = toItemView(await updateOccurrence(em, this.availability, event, originalStart!, patch, opts));
        return changed(view, [entryChange('updated', event.calendar.id, actor.userId, view.id, event.id, originalStart!)]);
      }
      // "This and following" from the first start is the whole series: the series ends before the
      // occurrence (updated) and a new series starts there (created).
      if (scope === 'following' && originalStart!.getTime() !== event.start.getTime()) {
        const view = toEventView(await splitSeries(em, this.availability, event, originalStart!, patch, opts));
        return changed(view, [series, entryChange('created', event.calendar.id, actor.userId, view.id)]);
      }
      const before = event.recurrence ? snapshotOf(event) : null;
      applyPatch(event, patch, opts.mode);
      const keepExdates = patch.recurrence?.exdates != null; // given: they are the new rule's already
      if (before) await carryExceptions(em, event, event, before, { keepExdates, ...(scope === 'following' && { target: { at: originalStart!, patch, mode: opts.mode } }) });
      assertEntryTime(event, event.timeZone);
      if (!opts.force) await this.availability.assertNoOverlap(event.calendar.id, candidateIntervals(event), new Set([event.id]), em);
      await em.flush();
      return changed(toEventView(event), [series]);
    });
    this.changes.afterCommit(changes);
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
    const { tags, changes } = await this.em.transactional(async (em) => {
      const { event, originalStart } = await entryTarget(em, actor, id, opts);
      assertHost(actor, event);
      const tags = await tagsOfEvents(em, event.calendar.id, [event.id]);
      const done = (changes: EventChange[]) => this.changes.inTransaction(em, changes).then(() => ({ tags, changes }));
      const scope = resolveScope(!!event.recurrence, originalStart, opts.scope);
      // "This and following" from the first start is the whole series; `single` is always an exception
      // date, the first occurrence included.
      const at = originalStart!;
      if (scope === 'all' || (scope === 'following' && at.getTime() === event.start.getTime())) {
        const ended = await invitationsEndedBy(em, event);
        await em.nativeDelete(Event, { id: event.id });
        return done([entryChange('deleted', event.calendar.id, actor.userId, event.id), ...ended]);
      }
      if (scope === 'single') {
        event.exdates = [...new Set([...event.exdates, at.toISOString()])].sort();
        await em.nativeDelete(Event, { series: event.id, originalStart: at });
        await em.flush();
        return done([entryChange('deleted', event.calendar.id, actor.userId, occurrenceId(event.id, at), event.id, at)]);
      } else {
        const { before } = splitRecurrence(ruleTiming(event), at);
        setRule(event, before?.recurrence ?? null, { rdates: before?.rdates ?? [] });
        event.exdates = event.exdates.filter((d) => new Date(d) < at);
        await em.nativeDelete(Event, { series: event.id, originalStart: { $gte: at } });
      }
      await em.flush();
      return done([entryChange('updated', event.calendar.id, actor.userId, event.id)]);
    });
    this.changes.afterCommit(changes);
    await this.cache.invalidate(tags);
  }
}

/** The change record of an entry; for an occurrence, `entryId` is its id and `originalStart` is given. */
function entryChange(kind: EntryChange['kind'], calendarId: string, ownerId: string, entryId: string, seriesId?: string, originalStart?: Date): EntryChange {
  return { type: 'entry', kind, calendarId, ownerId, entryId, seriesId: seriesId ?? null, originalStart: originalStart?.toISOString() ?? null };
}
