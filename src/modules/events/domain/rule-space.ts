import { Temporal } from '@js-temporal/polyfill';
import { RRuleTemporal } from 'rrule-temporal';
import { toZoned } from './event-time';
import type { Recurrence } from './rrule';
import { toRRule } from './rrule-text';

/**
 * The series as recurrence.ts takes it, and the bridge to rrule-temporal: the space a rule is
 * evaluated in (instants of the series' zone, or dates for an all-day series), the rule built there,
 * and the smallest gap between occurrences that sizes the chunks of an expansion. Pure.
 */

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Shortest length of a period of each frequency, in days. */
export const PERIOD_DAYS = { daily: 1, weekly: 7, monthly: 28, yearly: 365 } as const;

/** A series as the recurrence functions need it. */
export interface SeriesTiming {
  /**
   * First start (DTSTART), a UTC instant; its wall-clock time in `timeZone` is the time of every
   * occurrence (unless BYHOUR… say otherwise). Of an all-day series: the start of its first day.
   */
  start: Date;
  /**
   * Length of the first occurrence in milliseconds: of every occurrence of a timed series (exact
   * time, DTEND − DTSTART); of an all-day series, it gives the number of days each occurrence spans.
   */
  durationMs: number;
  /** IANA zone the rule is evaluated in (DTSTART;TZID), and the zone of an all-day series' days. */
  timeZone: string;
  recurrence: Recurrence;
  /** An all-day series (DTSTART;VALUE=DATE): occurrences are whole days. */
  allDay?: boolean;
  /** Extra occurrences, by start (RDATE, RFC 5545 §3.8.5.2), each after `start`. */
  rdates?: Date[];
  /** Cancelled occurrences, by original start (EXDATE, RFC 5545 §3.8.5.1). */
  exdates?: Date[];
}

/** What decides which instants are occurrences: first start, zone, rule and extra dates (DTSTART;TZID + RRULE + RDATE). */
export type RuleTiming = Omit<SeriesTiming, 'exdates' | 'durationMs'>;

/** One occurrence of a series. */
export interface Occurrence {
  /** Start the rule (or RDATE) gave (RECURRENCE-ID, RFC 5545 §3.8.4.4): the key of overrides and exception dates. */
  originalStart: Date;
  start: Date;
  /** Timed: `start + durationMs`. All-day: the start of the day `days` later. */
  end: Date;
}

/** First start (rule-space epoch ms) of the rule alone at or after DTSTART, or null when it has none. */
export function firstRuleStart(series: SeriesTiming, space: Space): number | null {
  try {
    return buildRule(series, space, { rdates: false }).all((_, i) => i < 1)[0]?.epochMilliseconds ?? null;
  } catch (err) {
    // rrule-temporal gives up after 10,000 periods (or 1,000,000 candidates) without an occurrence.
    if (err instanceof Error && /Maximum|exceeded/i.test(err.message)) return null;
    throw err;
  }
}

/** Start (rule-space epoch ms) of the last occurrence of a COUNT rule (with its RDATEs); walks at most MAX_COUNT occurrences. */
export function lastStart(rule: RRuleTemporal): number {
  return rule.all().at(-1)!.epochMilliseconds;
}

/**
 * Where a series' rule is evaluated ("rule space") and how its results become occurrences. A timed
 * series: instants in its zone. An all-day series: dates, as midnights in UTC (so no DST), each
 * mapped back to the start of that day in the series' zone.
 */
export interface Space {
  dtstart: Temporal.ZonedDateTime;
  /** An instant in rule space (epoch ms): itself, or for an all-day series UTC midnight of its local date. */
  ruleMs(d: Date): number;
  /** How far before a window an occurrence may start and still reach into it (rule-space ms). */
  reachMs: number;
  /** The occurrence generated at rule-space epoch ms. */
  occurrence(ms: number): Occurrence;
  /** The window an occurrence starting at `d` spans. */
  spanOf(d: Date): { from: Date; to: Date };
}

/**
 * The rule space of a series ({@link Space}): for a timed series its instants in its zone (occurrences
 * last `durationMs`); for an all-day series UTC midnights of its local dates, each mapped back to the
 * start of that day in the series' zone and spanning as many days as the first occurrence.
 */
export function spaceOf(series: Omit<SeriesTiming, 'exdates'>): Space {
  const { timeZone: tz, durationMs } = series;
  if (!series.allDay) {
    return {
      dtstart: toZoned(series.start, tz),
      ruleMs: (d) => d.getTime(),
      reachMs: durationMs,
      occurrence: (ms) => ({ originalStart: new Date(ms), start: new Date(ms), end: new Date(ms + durationMs) }),
      spanOf: (d) => ({ from: d, to: new Date(d.getTime() + durationMs) }),
    };
  }
  const firstDay = toZoned(series.start, tz).toPlainDate();
  const days = Math.max(1, firstDay.until(toZoned(new Date(series.start.getTime() + durationMs - 1), tz).toPlainDate()).days + 1);
  const utcDate = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO('UTC').toPlainDate();
  const dayStart = (date: Temporal.PlainDate) => new Date(date.toZonedDateTime({ timeZone: tz }).epochMilliseconds);
  const occurrence = (ms: number) => {
    const date = utcDate(ms);
    const start = dayStart(date);
    return { originalStart: start, start, end: dayStart(date.add({ days })) };
  };
  return {
    dtstart: firstDay.toZonedDateTime({ timeZone: 'UTC' }),
    ruleMs: (d) => toZoned(d, tz).toPlainDate().toZonedDateTime({ timeZone: 'UTC' }).epochMilliseconds,
    reachMs: days * DAY_MS,
    occurrence,
    spanOf: (d) => {
      const { start, end } = occurrence(toZoned(d, tz).toPlainDate().toZonedDateTime({ timeZone: 'UTC' }).epochMilliseconds);
      return { from: start, to: end };
    },
  };
}

/** The rule of a series in its rule space, optionally with its RDATEs; EXDATE is left out (callers filter, after COUNT). */
export function buildRule(series: Omit<SeriesTiming, 'exdates'>, space: Space, opts: { rdates: boolean }): RRuleTemporal {
  const { recurrence } = series;
  const until = recurrence.until && new Date(space.ruleMs(recurrence.until));
  const zone = space.dtstart.timeZoneId;
  return new RRuleTemporal({
    rruleString: toRRule({ ...recurrence, until }),
    dtstart: space.dtstart,
    ...(opts.rdates && series.rdates?.length && { rDate: series.rdates.map((d) => Temporal.Instant.fromEpochMilliseconds(space.ruleMs(d)).toZonedDateTimeISO(zone)) }),
    // rrule-temporal's own caps (outer periods, candidates) stay at their defaults: our limits are lower.
  });
}

/**
 * A lower bound of the rule-space time between two consecutive occurrences, so that a chunk of
 * `n` gaps holds at most `n + 1` of them: the shortest period the rule's date parts allow (its
 * interval of days, weeks (7), months (28) or years (365) when no BYxxx part adds dates within a
 * period; a day otherwise), or the shortest step between its times of day, less 3 hours for DST
 * changes (the largest shift in the tz database is 2 hours); never below the occurrences' own length
 * (occurrences may not overlap). Only the work depends on it, never the result.
 */
export function minGapMs(series: SeriesTiming): number {
  const r = series.recurrence;
  const periodDays = PERIOD_DAYS[r.frequency];
  const addsDates = r.frequency !== 'daily' && Boolean(r.byDay?.length || r.byMonthDay?.length || r.byYearDay?.length || r.byWeekNo?.length || (r.frequency === 'yearly' && r.byMonth?.length));
  let gap = (addsDates ? 1 : r.interval * periodDays) * DAY_MS;
  const times = [...new Set(r.byHour ?? [0])].length * [...new Set(r.byMinute ?? [0])].length * [...new Set(r.bySecond ?? [0])].length;
  if (times > 1) gap = Math.min(gap, smallestStepMs(r));
  return Math.max(gap - 3 * HOUR_MS, series.allDay ? DAY_MS : series.durationMs, 1000);
}

/** The smallest step between two of a rule's times of day (BYHOUR × BYMINUTE × BYSECOND), in ms. */
function smallestStepMs(r: Recurrence): number {
  const seconds = (r.byHour ?? [0]).flatMap((h) => (r.byMinute ?? [0]).flatMap((m) => (r.bySecond ?? [0]).map((s) => h * 3600 + m * 60 + s)));
  const sorted = [...new Set(seconds)].sort((a, b) => a - b);
  let step = 86_400;
  for (let i = 1; i < sorted.length; i++) step = Math.min(step, sorted[i]! - sorted[i - 1]!);
  return step * 1000;
}
