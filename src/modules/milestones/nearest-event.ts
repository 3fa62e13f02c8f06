import { Temporal } from '@js-temporal/polyfill';

/**
 * Pure "nearest event" rules: which dated events a user's rules trigger from its anchors, and which is
 * the nearest. No ORM or HTTP here; every instant is a UTC `Date`, and local (calendar) arithmetic is
 * done in the user's IANA time zone with Temporal.
 *
 * The rules (README "Nearest events"):
 * - **Offsets** are calendar days in the user's time zone: `anchor + offsetDays` keeps the anchor's
 *   local wall-clock time, so "2 days after" 09:00 on the Saturday before the spring DST change is
 *   09:00 on Monday (47 h later). A wall-clock time that does not exist that day (spring-forward gap)
 *   moves forward by the gap (02:30 → 03:30); one that occurs twice (fall-back) takes the earlier
 *   instant. This is RFC 5545's rule for DATE-TIME values, and Temporal's `disambiguation: 'compatible'`.
 * - **`yearly`** rules trigger on every anniversary of the anchor, starting with the anchor's own
 *   year (k = 0, so the sign-up day itself is the first "joining anniversary"): same local month, day
 *   and wall-clock time in year + k, then plus `offsetDays`. **29 February falls on 28 February in
 *   non-leap years** (and back on the 29th in leap years; Temporal's `overflow: 'constrain'`).
 * - **Nearest** is the earliest event at or after `after` (inclusive). **Ties** are broken stably by
 *   date, then rule name (code-unit order), then rule id, then eventId (absent first).
 * - The time zone is the user's current one: changing it moves future events with it.
 */

/** `none`: once per anchor; `yearly`: on every anniversary of the anchor (see module rules). */
export type Repeat = 'none' | 'yearly';

/** Largest |offsetDays| of a rule: ten years either way (bounds the anchor windows loaded). */
export const MAX_OFFSET_DAYS = 3650;

/** A rule as the computation needs it. `offsetDays` is signed: -3 = three days before the anchor. */
export interface RuleSpec {
  id: string;
  name: string;
  /** Event type key, e.g. `inscription`; rules whose type has no anchors trigger nothing. */
  eventType: string;
  offsetDays: number;
  repeat: Repeat;
}

/** A dated anchor of a user (a UTC instant), with the id of the record it comes from, if any. */
export interface Anchor {
  date: Date;
  /** The meeting's event (or occurrence) id, the subscription's id; absent for the inscription. */
  eventId?: string;
}

/** An event triggered by a rule: `date` is a UTC instant. */
export interface TriggeredEvent {
  /** The event type key of the rule, e.g. `subscription_end`. */
  type: string;
  date: Date;
  userId: string;
  ruleId: string;
  ruleName: string;
  eventId?: string;
}

/** Everything the computation needs about one user. */
export interface UserMilestones {
  userId: string;
  /** IANA time zone in which offsets and anniversaries are counted. */
  timeZone: string;
  rules: readonly RuleSpec[];
  /** Anchors by event type key. */
  anchors: ReadonlyMap<string, readonly Anchor[]>;
}

/** A half-open UTC range `[from, to)`. */
export interface TimeRange {
  from: Date;
  to: Date;
}

const DAY_MS = 86_400_000;
const MEAN_YEAR_DAYS = 365.2425;

/**
 * The k-th occurrence of `anchor` under a rule: its local date-time in `timeZone`, plus `years`
 * (29 February → 28 February when the target year is not a leap year), plus `offsetDays` calendar
 * days, back to an instant (gaps move forward, folds take the earlier instant).
 */
export function occurrenceOf(anchor: Date, timeZone: string, offsetDays: number, years = 0): Date {
  const local = Temporal.Instant.fromEpochMilliseconds(anchor.getTime()).toZonedDateTimeISO(timeZone).toPlainDateTime();
  return new Date(local.add({ years }).add({ days: offsetDays }).toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds);
}

/** Stable order of triggered events: date, rule name, rule id, eventId (absent first). */
export function compareTriggered(a: TriggeredEvent, b: TriggeredEvent): number {
  return (
    a.date.getTime() - b.date.getTime() ||
    codeUnitCompare(a.ruleName, b.ruleName) ||
    codeUnitCompare(a.ruleId, b.ruleId) ||
    codeUnitCompare(a.eventId ?? '', b.eventId ?? '')
  );
}

function codeUnitCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Index of the first occurrence of a yearly rule at or after `at` (occurrences strictly increase
 * with k). Starts from an estimate, so it costs a few Temporal operations whatever the distance.
 */
function firstYearIndex(anchor: Date, timeZone: string, offsetDays: number, at: Date): number {
  const days = (at.getTime() - anchor.getTime()) / DAY_MS - offsetDays;
  let k = Math.max(0, Math.floor(days / MEAN_YEAR_DAYS) - 1);
  while (k > 0 && occurrenceOf(anchor, timeZone, offsetDays, k - 1) >= at) k--;
  while (occurrenceOf(anchor, timeZone, offsetDays, k) < at) k++;
  return k;
}

function triggered(m: UserMilestones, rule: RuleSpec, anchor: Anchor, date: Date): TriggeredEvent {
  return {
    type: rule.eventType,
    date,
    userId: m.userId,
    ruleId: rule.id,
    ruleName: rule.name,
    ...(anchor.eventId !== undefined && { eventId: anchor.eventId }),
  };
}

/**
 * Every event the user's rules trigger in `[range.from, range.to)`, in stable order
 * ({@link compareTriggered}). Complete for the anchors given: the caller must pass every anchor
 * that can trigger an event in the range (see NearestEventService for the windows it loads).
 */
export function triggeredEvents(m: UserMilestones, range: TimeRange): TriggeredEvent[] {
  const out: TriggeredEvent[] = [];
  if (range.to <= range.from) return out;
  for (const rule of m.rules) {
    for (const anchor of m.anchors.get(rule.eventType) ?? []) {
      if (rule.repeat === 'none') {
        const date = occurrenceOf(anchor.date, m.timeZone, rule.offsetDays);
        if (date >= range.from && date < range.to) out.push(triggered(m, rule, anchor, date));
        continue;
      }
      for (let k = firstYearIndex(anchor.date, m.timeZone, rule.offsetDays, range.from); ; k++) {
        const date = occurrenceOf(anchor.date, m.timeZone, rule.offsetDays, k);
        if (date >= range.to) break;
        out.push(triggered(m, rule, anchor, date));
      }
    }
  }
  return out.sort(compareTriggered);
}

/**
 * The user's nearest event: the earliest triggered at or after `after` (inclusive) and, when
 * `before` is given, strictly before it; ties in stable order ({@link compareTriggered}).
 * @returns null when no rule triggers an event in that range (no rules, no anchors, all past).
 */
export function nearestEvent(m: UserMilestones, after: Date, before?: Date): TriggeredEvent | null {
  let best: TriggeredEvent | null = null;
  for (const rule of m.rules) {
    for (const anchor of m.anchors.get(rule.eventType) ?? []) {
      const date =
        rule.repeat === 'none'
          ? occurrenceOf(anchor.date, m.timeZone, rule.offsetDays)
          : occurrenceOf(anchor.date, m.timeZone, rule.offsetDays, firstYearIndex(anchor.date, m.timeZone, rule.offsetDays, after));
      if (date < after || (before && date >= before)) continue;
      const candidate = triggered(m, rule, anchor, date);
      if (!best || compareTriggered(candidate, best) < 0) best = candidate;
    }
  }
  return best;
}

/**
 * The first `limit` events triggered in `[from, to)`, in stable order.
 * @param limit - a positive integer.
 */
export function upcomingEvents(m: UserMilestones, from: Date, to: Date, limit: number): TriggeredEvent[] {
  return triggeredEvents(m, { from, to }).slice(0, limit);
}
