import { Temporal } from '@js-temporal/polyfill';
import { RRuleTemporal } from 'rrule-temporal';
import { AppError } from '../../../infra/errors';
import { assertUuid, isUuid } from './event-id';
import { toZoned } from './event-time';
import { formatUtc, type Recurrence } from './rrule';
import { toRRule } from './rrule-text';

/**
 * The occurrences of a series (RFC 5545 §3.8.5: DTSTART + RRULE + RDATE − EXDATE): DST-correct
 * expansion, the series' last end, the checks a series must pass as a whole, and occurrence ids. No
 * ORM or HTTP here; every instant is a UTC `Date`, every duration in milliseconds.
 *
 * Expansion is rrule-temporal's, with `DTSTART;TZID=<series zone>`, so occurrences keep the local
 * wall-clock time of the first start across DST changes (RFC 5545 §3.3.10: the time of day comes from
 * DTSTART, in DTSTART's zone). An all-day series is expanded on dates (DTSTART;VALUE=DATE), then each
 * date becomes the span from the start of that day to the start of the day its length later, in the
 * series' zone, so a DST change (even one at midnight) never moves or drops an all-day occurrence.
 */

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

/**
 * Default and largest number of occurrences one {@link expandOccurrences} call returns (a daily
 * series over 27 years). Callers should also cap the window length; this is the backstop.
 */
export const MAX_OCCURRENCES = 10_000;
/** Most extra dates (RDATE) and exception dates (EXDATE) a series may have, each. */
export const MAX_DATES = 1000;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Shortest length of a period of each frequency, in days. */
const PERIOD_DAYS = { daily: 1, weekly: 7, monthly: 28, yearly: 365 } as const;
/** Most periods of its rule one rrule-temporal query spans (it refuses more than 10,000). */
const MAX_CHUNK_PERIODS = 5000;

/**
 * The occurrences of a series that intersect the half-open window `[from, to)`: those with
 * `end > from && start < to`, so an occurrence that started before `from` and is still running is
 * included, and one ending exactly at `from` or starting exactly at `to` is not. Sorted by start.
 *
 * Occurrences keep the wall-clock time of `series.start` in `series.timeZone` across DST changes
 * (weekly 09:00 Europe/Paris is 07:00Z in summer, 08:00Z in winter). Following RFC 5545 §3.3.10,
 * generated dates that do not exist (monthly on the 31st in April, Feb 29 in other years) and
 * generated times inside a DST gap (02:30 on a spring-forward day in New York) are skipped and do not
 * count towards COUNT; an ambiguous time on a fall-back day is the earlier instant. RDATEs are added
 * (COUNT does not limit them, UNTIL neither) and EXDATEs removed after COUNT is applied (§3.8.5.1).
 * `start === originalStart` for every occurrence; overrides are the caller's business.
 *
 * Work is bounded by `limit`, not by the window: rules without COUNT jump to the window instead of
 * walking from the first start (rrule-temporal `between()`) and walk it in chunks, the first of which
 * holds at most `limit` + exception dates + 1 occurrences (it spans that many of the shortest
 * possible gaps between two occurrences, see {@link minGapMs}) and each next one twice as long,
 * stopping once `limit` are found; COUNT rules are walked once from their first start up to the
 * window's end or the `limit`-th occurrence, at most MAX_COUNT occurrences.
 *
 * @param opts.limit - Default and maximum {@link MAX_OCCURRENCES}: at most this many occurrences, the
 *   earliest ones. Ask for one more than you show to learn whether the result was cut.
 * @throws AppError 400 (`/limit`) when `limit` is not a positive integer.
 */
export function expandOccurrences(series: SeriesTiming, window: { from: Date; to: Date }, opts: { limit?: number } = {}): Occurrence[] {
  const limit = Math.min(opts.limit ?? MAX_OCCURRENCES, MAX_OCCURRENCES);
  if (!Number.isInteger(limit) || limit < 1) throw AppError.invalid('/limit', 'limit must be a positive integer');
  const space = spaceOf(series);
  const { recurrence } = series;
  const exdates = new Set((series.exdates ?? []).map((d) => space.ruleMs(d)));
  const rdates = (series.rdates ?? []).map((d) => space.ruleMs(d));

  // Rule-space bounds (exclusive) of the starts of occurrences that may intersect the window.
  let after = Math.max(space.ruleMs(window.from) - space.reachMs, space.ruleMs(series.start) - 1);
  let before = space.ruleMs(window.to) + (series.allDay ? 1 : 0);
  if (recurrence.until) before = Math.min(before, Math.max(space.ruleMs(recurrence.until), ...rdates) + 1);
  const rule = buildRule(series, space, { rdates: true });
  const occurrences: Occurrence[] = [];
  /** Takes one generated start; false once `limit` occurrences are found. */
  const take = (ms: number): boolean => {
    if (exdates.has(ms)) return true;
    const occurrence = space.occurrence(ms);
    if (occurrence.end > window.from && occurrence.start < window.to) occurrences.push(occurrence);
    return occurrences.length < limit;
  };

  if (recurrence.count != null) {
    // A COUNT rule is always generated from its first start: walk it once, up to the window's end.
    rule.all((zdt) => {
      const ms = zdt.epochMilliseconds;
      return ms < before && (ms <= after || take(ms));
    });
    return occurrences;
  }
  // Consecutive occurrences are at least minGapMs apart, so a first chunk this long holds at most
  // limit + exdates + 1 of them; each chunk that leaves the page short doubles the next one, so a
  // sparse rule (yearly on three days, say) crosses a long window in a few steps.
  // rrule-temporal gives up on a window of more than 10,000 periods of the rule: stay well below.
  const maxChunkMs = MAX_CHUNK_PERIODS * recurrence.interval * PERIOD_DAYS[recurrence.frequency] * DAY_MS;
  let chunkMs = Math.min(minGapMs(series) * (limit + exdates.size + 1), maxChunkMs);
  while (after + 1 < before) {
    const chunkEnd = Math.min(before, after + chunkMs);
    for (const zdt of rule.between(new Date(after), new Date(chunkEnd), false)) if (!take(zdt.epochMilliseconds)) return occurrences;
    after = chunkEnd - 1; // between() excludes both bounds
    chunkMs = Math.min(chunkMs * 2, maxChunkMs);
  }
  return occurrences;
}

/**
 * The end of the last occurrence, or `null` when the series is endless (no COUNT, no UNTIL). Meant
 * to be stored next to the first start so SQL can prefilter series whose span `[start, seriesEnd)`
 * intersects a window before expanding them. Exception dates are ignored, so it is an upper bound
 * when the last occurrences were cancelled; extra dates (RDATE) count.
 */
export function seriesEnd(series: Omit<SeriesTiming, 'exdates'>): Date | null {
  const { recurrence } = series;
  if (recurrence.count == null && recurrence.until == null) return null;
  const space = spaceOf(series);
  const rdates = (series.rdates ?? []).map((d) => space.ruleMs(d));
  let last: number;
  if (recurrence.count != null) last = lastStart(buildRule(series, space, { rdates: true }));
  else {
    const fromRule = buildRule(series, space, { rdates: false }).previous(new Date(space.ruleMs(recurrence.until!)), true)?.epochMilliseconds;
    last = Math.max(fromRule ?? space.ruleMs(series.start), ...rdates);
  }
  return space.occurrence(last).end;
}

/**
 * Checks a series as a whole, once its rule passed `validateRecurrence` (rrule.ts) and its dates
 * were normalised ({@link normalizeSeriesDates}):
 *
 * - the rule has an occurrence at all (`<path>`), and the first start is its first one (`/start`):
 *   RFC 5545 leaves a DTSTART that the rule does not generate undefined, so it is refused;
 * - each extra date (RDATE) is after the first start and not already an occurrence of the rule
 *   (`<path>/rdates/<i>`); each exception date (EXDATE) is an occurrence (`<path>/exdates/<i>`);
 * - no two occurrences overlap (`<path>`), checked up to `horizon` (exception dates ignored: a
 *   rule's occurrences must not overlap, cancelled or not) and for every extra date beyond it.
 *
 * @param opts.horizon - How far the occurrences are checked (the whole series when it ends sooner).
 * @returns the occurrences (exception dates removed) that start before `horizon`: what the series
 *   occupies, for the caller's own checks (overlap with other entries, one-day rule).
 * @throws AppError 400 naming the first problem found, in the order above.
 */
export function validateSeries(series: SeriesTiming, opts: { horizon: Date; path?: string }): Occurrence[] {
  const path = opts.path ?? '/recurrence';
  const space = spaceOf(series);
  const first = firstRuleStart(series, space);
  if (first === null) throw AppError.invalid(path, `the rule ${toRRule(series.recurrence)} has no occurrence`);
  if (first !== space.ruleMs(series.start)) {
    const next = space.occurrence(first).start.toISOString();
    throw AppError.invalid('/start', `the start ${series.start.toISOString()} is not an occurrence of ${toRRule(series.recurrence)}; its first occurrence after it is ${next}: start there, or change the rule`);
  }
  const plain = { ...series, exdates: [], rdates: [] };
  const isRuleOccurrence = (d: Date) => expandOccurrences(plain, { from: d, to: new Date(d.getTime() + 1) }, { limit: 1 })[0]?.originalStart.getTime() === d.getTime();
  const rdates = series.rdates ?? [];
  rdates.forEach((d, i) => {
    if (d.getTime() <= series.start.getTime()) throw AppError.invalid(`${path}/rdates/${i}`, `${d.toISOString()} is not after the first start ${series.start.toISOString()}: make it the start`);
    if (isRuleOccurrence(d)) throw AppError.invalid(`${path}/rdates/${i}`, `${d.toISOString()} is already an occurrence of the rule`);
  });
  const rdateSet = new Set(rdates.map((d) => d.getTime()));
  (series.exdates ?? []).forEach((d, i) => {
    if (!rdateSet.has(d.getTime()) && !isRuleOccurrence(d)) throw AppError.invalid(`${path}/exdates/${i}`, `${d.toISOString()} is not an occurrence of the series`);
  });

  const all = { ...series, exdates: [] };
  const occupied = expandOccurrences(all, { from: series.start, to: opts.horizon });
  const overlap = (a: Occurrence, b: Occurrence) =>
    AppError.invalid(path, `occurrences overlap each other (${a.start.toISOString()}–${a.end.toISOString()} and ${b.start.toISOString()}–${b.end.toISOString()}): shorten the entry or space the occurrences`);
  for (let i = 1; i < occupied.length; i++) if (occupied[i]!.start < occupied[i - 1]!.end) throw overlap(occupied[i - 1]!, occupied[i]!);
  for (const d of rdates.filter((x) => x >= opts.horizon)) {
    // Any other occurrence that meets this one's span overlaps it.
    const span = space.spanOf(d);
    const other = expandOccurrences(all, span, { limit: 2 }).find((o) => o.originalStart.getTime() !== d.getTime());
    const own = { originalStart: d, start: span.from, end: span.to };
    if (other) throw other.start < d ? overlap(other, own) : overlap(own, other);
  }
  const exdates = new Set((series.exdates ?? []).map((d) => d.getTime()));
  return occupied.filter((o) => !exdates.has(o.originalStart.getTime()));
}

/**
 * The series with its extra and exception dates as the other functions expect them: sorted, without
 * duplicates, whole seconds; for an all-day series each becomes the start of its day in the series'
 * zone (any instant of a day names that day).
 */
export function normalizeSeriesDates<T extends { timeZone: string; allDay?: boolean; rdates?: Date[]; exdates?: Date[] }>(series: T): T {
  const norm = (dates: Date[] | undefined) => {
    if (!dates) return undefined;
    const ms = dates.map((d) => (series.allDay ? startOfDay(d, series.timeZone) : Math.floor(d.getTime() / 1000) * 1000));
    return [...new Set(ms)].sort((a, b) => a - b).map((m) => new Date(m));
  };
  return { ...series, ...(series.rdates && { rdates: norm(series.rdates) }), ...(series.exdates && { exdates: norm(series.exdates) }) };
}

/** The start (epoch ms) of the local day of `instant` in `timeZone` (usually midnight; 01:00 where midnight is skipped). */
export function startOfDay(instant: Date, timeZone: string): number {
  return toZoned(instant, timeZone).startOfDay().epochMilliseconds;
}

/** First start (rule-space epoch ms) of the rule alone at or after DTSTART, or null when it has none. */
function firstRuleStart(series: SeriesTiming, space: Space): number | null {
  try {
    return buildRule(series, space, { rdates: false }).all((_, i) => i < 1)[0]?.epochMilliseconds ?? null;
  } catch (err) {
    // rrule-temporal gives up after 10,000 periods (or 1,000,000 candidates) without an occurrence.
    if (err instanceof Error && /Maximum|exceeded/i.test(err.message)) return null;
    throw err;
  }
}

/** Start (rule-space epoch ms) of the last occurrence of a COUNT rule (with its RDATEs); walks at most MAX_COUNT occurrences. */
function lastStart(rule: RRuleTemporal): number {
  return rule.all().at(-1)!.epochMilliseconds;
}

/**
 * Where a series' rule is evaluated ("rule space") and how its results become occurrences. A timed
 * series: instants in its zone. An all-day series: dates, as midnights in UTC (so no DST), each
 * mapped back to the start of that day in the series' zone.
 */
interface Space {
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

function spaceOf(series: Omit<SeriesTiming, 'exdates'>): Space {
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
function buildRule(series: Omit<SeriesTiming, 'exdates'>, space: Space, opts: { rdates: boolean }): RRuleTemporal {
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
function minGapMs(series: SeriesTiming): number {
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

/**
 * The id of an occurrence: `<seriesId>_<originalStart as YYYYMMDDTHHMMSSZ>` (the contract's format;
 * the time part is RFC 5545 §3.3.5 form 2, UTC). Sub-second precision is dropped.
 */
export function occurrenceId(seriesId: string, originalStart: Date): string {
  return `${seriesId}_${formatUtc(originalStart)}`;
}

const OCCURRENCE_ID_RE = /^([0-9a-fA-F-]{36})_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/**
 * Reads an entry id: a plain UUID (a single entry or a series: no `originalStart`) or an occurrence
 * id from {@link occurrenceId}.
 *
 * @param path - Where the id came from, for the error (default `/id`).
 * @throws AppError 400 (`path`) when the id is neither, e.g. a bad UUID or an impossible date
 *   (`…_20260231T090000Z`).
 */
export function parseEntryId(id: string, path = '/id'): { eventId: string; originalStart?: Date } {
  if (isUuid(id)) return { eventId: id };
  const m = OCCURRENCE_ID_RE.exec(id);
  if (!m) {
    throw AppError.invalid(path, `${JSON.stringify(id.slice(0, 80))} is neither a UUID nor an occurrence id <uuid>_YYYYMMDDTHHMMSSZ`);
  }
  const eventId = assertUuid(m[1]!, path);
  const [year, month, day, hour, minute, second] = m.slice(2).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(ms);
  // Date.UTC rolls 31 April over to 1 May; a round trip exposes it.
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day || back.getUTCHours() !== hour || back.getUTCMinutes() !== minute || back.getUTCSeconds() !== second) {
    throw AppError.invalid(path, `${JSON.stringify(id.slice(0, 80))} has an impossible date-time`);
  }
  return { eventId, originalStart: back };
}
