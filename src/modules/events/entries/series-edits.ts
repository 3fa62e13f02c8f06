import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../../infra/errors';
import { occurrenceItem } from '../access/event-access';
import type { AvailabilityService } from '../availability/availability.service';
import { candidateIntervals } from '../availability/overlap';
import { assertEntryTime } from '../domain/event-time';
import { occurrenceId } from '../domain/event-id';
import { rekeyOriginalStarts, splitRecurrence } from '../domain/recurrence-edits';
import { Event } from '../event.entity';
import { Participant } from '../participants/participant.entity';
import type { TimelineItem } from '../domain/timeline';
import { applyPatch, type EventPatch, followSeries, ruleTiming, sameSeries, setRule, type Snapshot, snapshotOf } from './series-rules';

/**
 * The edits of a series that touch more than its own row (RFC 5545 RECURRENCE-ID overrides, EXDATE,
 * "this and following"): an occurrence alone, a split, and the exceptions that follow their
 * occurrences. Each runs inside the caller's transaction (`em`), after the calendar row is locked;
 * the rules themselves are in series-rules.ts.
 */

/** How an edit writes: PUT or PATCH semantics, and whether an overlap is kept (`force`). */
export interface WriteMode {
  mode: 'put' | 'patch';
  force: boolean;
}

/**
 * `scope=single` edit: creates or changes the occurrence's override, which keeps its own fields from
 * then on. @throws AppError 400 (a recurrence on an occurrence, interval, one-day rule), 409 on overlap.
 */
export async function updateOccurrence(em: EntityManager, availability: AvailabilityService, series: Event, originalStart: Date, patch: EventPatch, opts: WriteMode): Promise<TimelineItem<Event>> {
  if (patch.recurrence) throw AppError.invalid('/recurrence', 'an occurrence has no recurrence of its own; edit the series (scope=all or following)');
  const current = await occurrenceItem(em, series, originalStart);
  let override = current.row === series ? undefined : current.row;
  if (!override) {
    override = new Event({ calendar: series.calendar, host: series.host, title: series.title, start: current.start, end: current.end, timeZone: series.timeZone });
    Object.assign(override, { allDay: series.allDay, description: series.description, location: series.location, status: series.status, transparency: series.transparency, series: em.getReference(Event, series.id, { wrapped: true }), originalStart });
    em.persist(override);
  }
  applyPatch(override, { ...patch, recurrence: undefined }, opts.mode);
  // The series' version (and so its ETag, REST's and CalDAV's) covers its exceptions.
  series.updatedAt = new Date();
  assertEntryTime(override, override.timeZone);
  const self = occurrenceId(series.id, originalStart);
  if (!opts.force) await availability.assertNoOverlap(series.calendar.id, candidateIntervals(override), new Set([self, override.id]), em);
  await em.flush();
  return { ...current, id: self, start: override.start, end: override.end, row: override };
}

/**
 * `scope=following` edit: ends `series` before `at` and starts a new series there (new id, same
 * participants and responses) with the patch. The exceptions from `at` on follow their occurrences
 * into the new series ({@link carryExceptions}).
 * @returns the new series. @throws AppError 400 (interval, one-day rule, recurrence), 409 on overlap.
 */
export async function splitSeries(em: EntityManager, availability: AvailabilityService, series: Event, at: Date, patch: EventPatch, opts: WriteMode): Promise<Event> {
  const { before, after } = splitRecurrence(ruleTiming(series), at);
  const next = new Event({ calendar: series.calendar, host: series.host, title: series.title, start: at, end: new Date(at.getTime() + (series.end.getTime() - series.start.getTime())), timeZone: series.timeZone });
  Object.assign(next, { allDay: series.allDay, description: series.description, location: series.location, status: series.status, transparency: series.transparency });
  setRule(next, after.recurrence, { rdates: after.rdates });
  const unpatched = snapshotOf(next);
  applyPatch(next, patch, opts.mode);
  assertEntryTime(next, next.timeZone);
  setRule(series, before?.recurrence ?? null, { rdates: before?.rdates ?? [] });
  em.persist(next);
  await em.flush();
  await carryExceptions(em, series, next, unpatched, { since: at, target: { at, patch, mode: opts.mode } });
  const participants = await em.find(Participant, { event: series.id });
  for (const p of participants) {
    const copy = new Participant(em.getReference(Event, next.id, { wrapped: true }), p.user, p.role);
    Object.assign(copy, { response: p.response, isHost: p.isHost });
    em.persist(copy);
  }
  if (!opts.force) await availability.assertNoOverlap(series.calendar.id, candidateIntervals(next), new Set([next.id]), em);
  await em.flush();
  return next;
}

/**
 * After `to` took over the occurrences of `from` whose original start is at or after `opts.since`
 * (default: all of them; `from === to` for an edit of the whole series), with `before` the series as
 * it was: moves their exceptions to `to`, so that each follows its occurrence and keeps what was
 * changed on it alone.
 *
 * - Exception dates and overrides are re-keyed by `rekeyOriginalStarts` (domain/recurrence.ts); those
 *   whose occurrence the rule no longer has (or all, when `to` is no series any more) go.
 * - An override is merged three ways against `before` (`followSeries`, series-rules.ts).
 * - `opts.keepExdates`: the edit gave the exception dates of the new rule; they stay as they are.
 * - The override of `opts.target.at` (the occurrence a "this and following" edit was made on) also
 *   takes the patch itself, even when the series' own fields did not change.
 */
export async function carryExceptions(em: EntityManager, from: Event, to: Event, before: Snapshot, opts: { since?: Date; keepExdates?: boolean; target?: { at: Date; patch: EventPatch; mode: 'put' | 'patch' } } = {}): Promise<void> {
  const now = snapshotOf(to);
  // Nothing to re-key or merge, unless the occurrence the edit was made on has an override to patch.
  if (from === to && sameSeries(before, now) && !opts.target) return;
  const carried = (d: Date) => !opts.since || d.getTime() >= opts.since.getTime();
  const exdates = from.exdates.map((d) => new Date(d)).filter(carried);
  const overrides = (await em.find(Event, { series: from.id }, { orderBy: { originalStart: 'asc' } })).filter((o) => carried(o.originalStart!));
  const keys = now.timing && before.timing ? rekeyOriginalStarts(before.timing, now.timing, [...exdates, ...overrides.map((o) => o.originalStart!)]) : [];
  const newExdates = exdates.flatMap((_, i) => (keys[i] ? [keys[i]!.toISOString()] : []));
  if (from === to) {
    if (!opts.keepExdates) to.exdates = newExdates;
  }
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
    followSeries(o, original, key, before, now);
    o.series = em.getReference(Event, to.id, { wrapped: true });
    if (opts.target && original.getTime() === opts.target.at.getTime()) applyPatch(o, { ...opts.target.patch, recurrence: undefined }, opts.target.mode);
  });
  await em.flush();
}
