import { Temporal } from '@js-temporal/polyfill';
import { AppError } from '../../../infra/errors';
import { DEFAULT_STATUS, defaultTransparency, type EventStatus, type Transparency } from '../domain/event-status';
import { allDayDates, allDayInterval, resolveInterval } from '../domain/event-time';
import { OVERLAP_HORIZON_DAYS } from '../availability/overlap';
import { MAX_DATES, normalizeSeriesDates, type RuleTiming, type SeriesTiming, seriesEnd, validateSeries } from '../domain/recurrence';
import { shiftWallClock } from '../domain/recurrence-edits';
import { fromRecurrence, toRecurrence } from '../domain/recurrence-record';
import { type Recurrence, validateRecurrence } from '../domain/rrule';
import { type RecurrenceFields, resolveRecurrence, toRRule } from '../domain/rrule-text';
import type { Event } from '../event.entity';

/**
 * Pure rules of writing entries and series: which scope an edit applies with, how a PUT or PATCH
 * changes a row, and how an override follows its series when the series changes. No database or
 * HTTP: they read and set the fields of an `Event` row in memory; entry.service.ts loads and saves.
 */

/**
 * A series' recurrence as given through REST, GraphQL or iCalendar: the RRULE (RFC 5545 §3.3.10) as
 * structured fields (`interval` defaults to 1; `count` and `until` exclude each other), as raw
 * `rrule` text, or both when they make the same rule (see `resolveRecurrence`); plus extra
 * occurrences (`rdates`, RDATE) and cancelled ones (`exdates`, EXDATE, by original start).
 *
 * The recurrence is one value: `rdates` absent means none. `exdates` absent keeps the series'
 * exception dates (each follows its occurrence when the timing changes); given, it replaces them.
 */
export interface RecurrenceInput extends RecurrenceFields {
  rrule?: string | null;
  rdates?: Date[] | null;
  exdates?: Date[] | null;
}

/**
 * Fields of a new entry: timed, `start` plus `end` or `duration` (both only when they agree); or
 * all-day, `allDay` with `startDate` and `endDate` (ISO dates, end exclusive, default the next day).
 */
export interface EventInput {
  title: string;
  description?: string | null;
  location?: string | null;
  /** RFC 5545 STATUS; default confirmed. */
  status?: EventStatus;
  /** RFC 5545 TRANSP; default opaque. */
  transparency?: Transparency;
  start?: Date;
  end?: Date;
  /** An all-day entry (RFC 5545 DTSTART;VALUE=DATE); implied by `startDate`. */
  allDay?: boolean;
  /** First day of an all-day entry, `YYYY-MM-DD` in `timeZone`. */
  startDate?: string;
  /** Day after the last one (exclusive), `YYYY-MM-DD`; default the day after `startDate`. */
  endDate?: string;
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

/**
 * The scope an edit applies with: `all` for an entry that is no series; otherwise the one asked for,
 * by default `single` for an occurrence and `all` for the series itself (RFC 5545 RECURRENCE-ID with
 * and without RANGE=THISANDFUTURE, as calendar clients offer them).
 * @param originalStart - the occurrence the edit names, if any.
 * @throws AppError 400 for `single`/`following` without an occurrence.
 */
export function resolveScope(isSeries: boolean, originalStart: Date | undefined, scope: EditScope | undefined): EditScope {
  if (!isSeries) return 'all';
  const resolved = scope ?? (originalStart ? 'single' : 'all');
  if (resolved !== 'all' && !originalStart) throw AppError.invalid('/scope', `scope=${resolved} needs an occurrence id (<seriesId>_<YYYYMMDDTHHMMSSZ>) or occurrence`);
  return resolved;
}

/** The instant truncated to whole seconds (RRULE instants have no fractions). */
export function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

/**
 * Sets (or clears) a row's recurrence from API input: the rule resolved from its fields or text, then
 * checked with the series as a whole ({@link setRule}).
 * @param path - JSON pointer of the recurrence in the input (default `/recurrence`).
 * @throws AppError 400 naming the bad part (`/recurrence/byDay/0`, `/recurrence/rrule`, `/recurrence/rdates/2`, `/start`…).
 */
export function setRecurrence(event: Event, input: RecurrenceInput | null, path = '/recurrence'): void {
  if (!input) return setRule(event, null, { rdates: [] });
  event.start = wholeSeconds(event.start);
  const { rdates, exdates, ...ruleInput } = input;
  const rule = resolveRecurrence(ruleInput, { timeZone: event.timeZone, firstStart: event.start, path });
  for (const [key, dates] of Object.entries({ rdates, exdates })) {
    if ((dates?.length ?? 0) > MAX_DATES) throw AppError.invalid(`${path}/${key}`, `at most ${MAX_DATES} dates`);
  }
  setRule(event, rule, { rdates: rdates ?? [], ...(exdates && { exdates }) }, path);
}

/**
 * Sets (or clears: `rule` null) a row's rule, extra dates and, when given, exception dates, and its
 * stored last end. The series is checked as a whole (`validateSeries`, recurrence.ts) up to the
 * overlap horizon: its first start is the rule's first occurrence, extra dates are new occurrences
 * after it, given exception dates are occurrences, occurrences do not overlap each other. Dates are
 * normalised (sorted, unique, whole seconds). Exception dates not given are kept as they are (the
 * callers re-key them, series-edits.ts).
 * @throws AppError 400 at `path` or below it, or at `/start`.
 */
export function setRule(event: Event, rule: Recurrence | null, dates: { rdates: Date[]; exdates?: Date[] }, path = '/recurrence'): void {
  if (!rule) {
    event.recurrence = null;
    event.seriesEnd = null;
    event.rdates = [];
    event.exdates = [];
    return;
  }
  event.start = wholeSeconds(event.start);
  validateRecurrence(rule, event.start, { path });
  const { rdates, exdates } = normalizeSeriesDates({ timeZone: event.timeZone, allDay: event.allDay, rdates: dates.rdates, exdates: dates.exdates });
  const timing: SeriesTiming = { start: event.start, durationMs: event.end.getTime() - event.start.getTime(), timeZone: event.timeZone, allDay: event.allDay, recurrence: rule, rdates: rdates!, exdates: exdates ?? [] };
  validateSeries(timing, { horizon: new Date(event.start.getTime() + OVERLAP_HORIZON_DAYS * 86_400_000), path });
  event.recurrence = fromRecurrence(rule);
  event.rdates = rdates!.map((d) => d.toISOString());
  if (exdates) event.exdates = exdates.map((d) => d.toISOString());
  event.seriesEnd = seriesEnd(timing);
}

/**
 * Applies a PUT or PATCH body to a row. PUT replaces every writable field (absent optional ones
 * become null, absent `recurrence` makes a series single); PATCH changes what it gives. Moving only
 * `start` keeps the duration (contract); moving a series keeps its UNTIL at the same place relative to
 * its occurrences (it moves by the same wall-clock shift), so no occurrence is lost at its end.
 * @throws AppError 400 (interval, duration, recurrence).
 */
export function applyPatch(event: Event, patch: EventPatch, mode: 'put' | 'patch'): void {
  const previous = { start: event.start, timeZone: event.timeZone, allDay: event.allDay };
  if (patch.title !== undefined) event.title = patch.title;
  if (mode === 'put' || patch.description !== undefined) event.description = patch.description ?? null;
  if (mode === 'put' || patch.location !== undefined) event.location = patch.location ?? null;
  if (mode === 'put' || patch.status !== undefined) event.status = patch.status ?? DEFAULT_STATUS;
  if (patch.timeZone !== undefined) event.timeZone = patch.timeZone;
  applyTimes(event, patch, mode, previous.timeZone);
  if (mode === 'put' || patch.transparency !== undefined) event.transparency = patch.transparency ?? defaultTransparency(event.allDay);
  if (mode === 'put' || patch.recurrence !== undefined) setRecurrence(event, patch.recurrence ?? null);
  else if (event.recurrence) {
    // The series moved (or only its fields changed): its UNTIL and extra dates move with it.
    const rule = toRecurrence(event.recurrence);
    const shift = (d: Date) => shiftWallClock(d, previous, event);
    setRule(event, { ...rule, ...(rule.until && { until: shift(rule.until) }) }, { rdates: event.rdates.map((d) => shift(new Date(d))) });
  }
}

/**
 * Sets the times of a row from a PUT or PATCH (or a create, as a PUT): all-day when `allDay` says so,
 * or `startDate`/`endDate` are given, or (PATCH without times) the row is all-day already; timed
 * otherwise. Moving only the start (`start` or `startDate`) keeps the length; an all-day entry whose
 * zone changes keeps its dates (floating).
 * @param previousZone - the row's zone before the patch.
 * @throws AppError 400 for a missing start, times and dates mixed, or an invalid interval.
 */
export function applyTimes(event: Event, patch: EventPatch, mode: 'put' | 'patch', previousZone: string): void {
  const timed = ['start', 'end', 'duration'].find((k) => patch[k as keyof EventPatch] !== undefined);
  const dated = ['startDate', 'endDate'].find((k) => patch[k as keyof EventPatch] !== undefined);
  const allDay = patch.allDay ?? (dated ? true : timed ? false : mode === 'put' ? false : event.allDay);
  if (allDay) {
    if (timed) throw AppError.invalid(`/${timed}`, 'an all-day entry takes startDate and endDate (dates), not start, end or duration');
    const current = mode === 'patch' && event.allDay ? allDayDates(event, previousZone) : null;
    if (!current && patch.startDate === undefined) throw AppError.invalid('/startDate', 'an all-day entry needs startDate (YYYY-MM-DD)');
    let endDate = patch.endDate ?? (current ? undefined : null);
    if (current && endDate === undefined) {
      // Moving only the first day keeps the number of days.
      const days = Temporal.PlainDate.from(current.startDate).until(current.endDate).days;
      endDate = patch.startDate === undefined ? current.endDate : Temporal.PlainDate.from(patch.startDate).add({ days }).toString();
    }
    Object.assign(event, allDayInterval(patch.startDate ?? current!.startDate, endDate, event.timeZone), { allDay: true });
    return;
  }
  if (dated) throw AppError.invalid(`/${dated}`, 'startDate and endDate are for all-day entries (allDay: true)');
  if (patch.start === undefined && (mode === 'put' || event.allDay)) throw AppError.invalid('/start', 'give start (with end or duration), or allDay with startDate');
  const start = patch.start ?? event.start;
  if (mode === 'put' || event.allDay || patch.end !== undefined || patch.duration !== undefined) {
    Object.assign(event, resolveInterval({ start, end: patch.end, duration: patch.duration, timeZone: event.timeZone }));
  } else if (patch.start !== undefined) {
    // Moving only the start keeps the duration (contract).
    const length = event.end.getTime() - event.start.getTime();
    event.start = start;
    event.end = new Date(start.getTime() + length);
  }
  event.allDay = false;
}

/** Fields an override copies from its series when created, and may then change on its own. */
export const SHARED_FIELDS = ['title', 'description', 'location', 'status', 'transparency'] as const;

/** A series as an edit found it: what its overrides are merged against. */
export interface Snapshot {
  /** Null when it is no series (a PUT without recurrence makes it a single entry). */
  timing: RuleTiming | null;
  durationMs: number;
  title: string;
  description: string | null;
  location: string | null;
  status: EventStatus;
  transparency: Transparency;
}

/** The series' fields an override may share, and the timing that decides its occurrences. */
export function snapshotOf(e: Event): Snapshot {
  return { timing: e.recurrence ? ruleTiming(e) : null, durationMs: e.end.getTime() - e.start.getTime(), title: e.title, description: e.description ?? null, location: e.location ?? null, status: e.status, transparency: e.transparency };
}

/** True when an edit changed nothing its exceptions depend on (timing, length, shared fields). */
export function sameSeries(before: Snapshot, after: Snapshot): boolean {
  return sameTiming(before.timing, after.timing) && SHARED_FIELDS.every((f) => before[f] === after[f]) && before.durationMs === after.durationMs;
}

/**
 * Three-way merge of an override whose occurrence now has the original start `key`: it keeps the
 * fields changed on it alone (against `before`) and takes the series' new value (`now`) of every
 * other one. Its start follows its occurrence unless it was moved; its length follows the series'
 * unless it was changed.
 * @param original - the occurrence's original start before the edit.
 */
export function followSeries(override: Event, original: Date, key: Date, before: Snapshot, now: Snapshot): void {
  const length = override.end.getTime() - override.start.getTime();
  const start = override.start.getTime() === original.getTime() ? key : override.start;
  override.start = start;
  override.end = new Date(start.getTime() + (length === before.durationMs ? now.durationMs : length));
  for (const f of SHARED_FIELDS) if (override[f] === before[f]) override[f] = now[f] as never;
  override.originalStart = key;
}

/** The timing that decides a series' occurrences (and so the keys of its exceptions). */
export function ruleTiming(e: Event): RuleTiming {
  return { start: e.start, timeZone: e.timeZone, allDay: e.allDay, recurrence: toRecurrence(e.recurrence!), rdates: e.rdates.map((d) => new Date(d)) };
}

function sameTiming(a: RuleTiming | null, b: RuleTiming | null): boolean {
  if (!a || !b) return a === b;
  const dates = (t: RuleTiming) => (t.rdates ?? []).map((d) => d.getTime()).join();
  return a.start.getTime() === b.start.getTime() && a.timeZone === b.timeZone && toRRule(a.recurrence) === toRRule(b.recurrence) && dates(a) === dates(b);
}
