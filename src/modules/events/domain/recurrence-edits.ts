import { AppError } from '../../../infra/errors';
import { toZoned } from './event-time';
import { expandOccurrences, type RuleTiming } from './recurrence';
import type { Recurrence } from './rrule';

/**
 * Pure rules for editing a series (RFC 5545 has no "this and following"; this is what CalDAV clients
 * do): splitting it at an occurrence, and moving its exceptions (EXDATE, overrides by RECURRENCE-ID)
 * and dates (UNTIL, RDATE) when its timing changes. Instants are UTC `Date`s.
 */

/** One side of a split series: its rule and extra dates (RDATE). */
export interface SeriesPart {
  recurrence: Recurrence;
  rdates: Date[];
}

/**
 * Splits a series at one of its occurrences for a "this and following" edit.
 *
 * - `before`: the old series, ending with the occurrence just before `at`: with COUNT, COUNT becomes
 *   the number of rule occurrences before `at`; otherwise UNTIL becomes `at − 1 s` (inclusive UNTIL;
 *   for an all-day series, the day before). It keeps the extra dates before `at`. `null` when `at` is
 *   the first start: nothing is left of it, the caller should treat the edit as one to the whole series.
 * - `after`: the new series, to start at `at` (or the edited start): COUNT reduced by the rule
 *   occurrences before `at`, UNTIL kept, endless stays endless, BYxxx parts kept (`at` is in a period
 *   the rule keeps, so an INTERVAL keeps its phase); the extra dates after `at`. When `at` is an extra
 *   date after the rule's last occurrence, the new series is that date (`FREQ=DAILY;COUNT=1`) and the
 *   later extra dates.
 *
 * Exception dates do not change the counts (they never gave COUNT back).
 *
 * @throws AppError 400 (`/originalStart`) when `at` is not an occurrence; 400 (`/scope`) when `at` is
 *   an extra date (RDATE) and the rule has occurrences after it: a new series starting at an extra
 *   date could not keep the rule's days, which come from the first start.
 */
export function splitRecurrence(series: RuleTiming, at: Date): { before: SeriesPart | null; after: SeriesPart } {
  const { recurrence } = series;
  const rdates = series.rdates ?? [];
  const rule = (r: Recurrence) => ({ ...series, durationMs: 1, rdates: [], recurrence: r });
  const isRule = expandOccurrences(rule(recurrence), { from: at, to: new Date(at.getTime() + 1) }, { limit: 1 })[0]?.originalStart.getTime() === at.getTime();
  const isRdate = rdates.some((d) => d.getTime() === at.getTime());
  if (!isRule && !isRdate) throw AppError.invalid('/originalStart', `${at.toISOString()} is not an occurrence of the series`);
  const later = rdates.filter((d) => d.getTime() > at.getTime());
  if (at.getTime() === series.start.getTime()) return { before: null, after: { recurrence: { ...recurrence }, rdates: later } };

  // Rule occurrences before `at` (at least the first start); COUNT rules are walked from the start anyway.
  const earlier = recurrence.count != null ? expandOccurrences(rule(recurrence), { from: series.start, to: at }).length : 0;
  const before: SeriesPart = {
    recurrence: recurrence.count != null ? { ...recurrence, count: earlier } : { ...withoutEnd(recurrence), until: minDate(recurrence.until, new Date(at.getTime() - 1000)) },
    rdates: rdates.filter((d) => d.getTime() < at.getTime()),
  };
  if (isRule) {
    return { before, after: { recurrence: recurrence.count != null ? { ...recurrence, count: recurrence.count - earlier } : { ...recurrence }, rdates: later } };
  }
  const ruleGoesOn =
    recurrence.count != null ? recurrence.count > earlier
    : recurrence.until == null ? true
    : expandOccurrences(rule(recurrence), { from: new Date(at.getTime() + 1), to: new Date(recurrence.until.getTime() + 1) }, { limit: 1 }).length > 0;
  if (ruleGoesOn) {
    throw AppError.invalid('/scope', `${at.toISOString()} is an extra date (RDATE) and the rule goes on after it: edit the series (scope=all) or start "this and following" at an occurrence of the rule`);
  }
  return { before, after: { recurrence: { frequency: 'daily', interval: 1, count: 1 }, rdates: later } };
}

/**
 * Where the exceptions of a series (exception dates and overrides, keyed by their original start,
 * RFC 5545 RECURRENCE-ID) go when the series' timing changes, so that an exception follows its
 * occurrence: moving a weekly Monday 09:00 series to Tuesday 10:00 keeps a cancelled Monday cancelled,
 * now on its Tuesday.
 *
 * Each original start moves by {@link shiftWallClock}; it is kept when the moved instant is an
 * occurrence of `after` (its rule or its extra dates), and is `null` otherwise (the rule no longer has
 * that occurrence: a shorter COUNT, an earlier UNTIL, another frequency). With an unchanged timing
 * this keeps exactly the exceptions that are still occurrences.
 *
 * A moved local time that falls into a DST gap is `null` (RFC 5545 §3.3.10 skips such occurrences);
 * an ambiguous one takes the earlier instant, as expansion does.
 *
 * @returns per original start, in order, its new original start or `null`.
 */
export function rekeyOriginalStarts(before: RuleTiming, after: RuleTiming, originalStarts: readonly Date[]): (Date | null)[] {
  const timing = { ...after, durationMs: 1 };
  return originalStarts.map((original) => {
    const moved = shiftWallClock(original, before, after);
    const [hit] = expandOccurrences(timing, { from: moved, to: new Date(moved.getTime() + 1) }, { limit: 1 });
    return hit && hit.originalStart.getTime() === moved.getTime() ? moved : null;
  });
}

/**
 * `instant` moved by the wall-clock shift from `from.start` to `to.start` (as local date-times of their
 * zones): what happens to an instant tied to a series (an exception's original start, its UNTIL, its
 * extra dates) when the series moves. Across a DST change the local time is kept, not the elapsed
 * time; a local time that falls in a gap or an overlap takes the earlier instant. Between two all-day
 * series the shift is in whole days, and the result is the start of the day in `to.timeZone`.
 */
export function shiftWallClock(instant: Date, from: { start: Date; timeZone: string; allDay?: boolean }, to: { start: Date; timeZone: string; allDay?: boolean }): Date {
  if (from.start.getTime() === to.start.getTime() && from.timeZone === to.timeZone) return instant;
  if (from.allDay && to.allDay) {
    const days = toZoned(from.start, from.timeZone).toPlainDate().until(toZoned(to.start, to.timeZone).toPlainDate()).days;
    return new Date(toZoned(instant, from.timeZone).toPlainDate().add({ days }).toZonedDateTime({ timeZone: to.timeZone }).epochMilliseconds);
  }
  const shift = toZoned(from.start, from.timeZone).toPlainDateTime().until(toZoned(to.start, to.timeZone).toPlainDateTime());
  const local = toZoned(instant, from.timeZone).toPlainDateTime().add(shift);
  return new Date(local.toZonedDateTime(to.timeZone, { disambiguation: 'earlier' }).epochMilliseconds);
}

function withoutEnd(r: Recurrence): Recurrence {
  const { count: _count, until: _until, ...rest } = r;
  return rest;
}

function minDate(a: Date | undefined, b: Date): Date {
  return a && a.getTime() < b.getTime() ? a : b;
}
