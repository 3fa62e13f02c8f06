import { AppError } from '../../../infra/errors';
import { toZoned } from './event-time';
import { toRRule } from './rrule-text';
import { buildRule, DAY_MS, firstRuleStart, lastStart, minGapMs, type Occurrence, PERIOD_DAYS, type SeriesTiming, spaceOf } from './rule-space';

/**
 * The occurrences of a series (RFC 5545 §3.8.5: DTSTART + RRULE + RDATE − EXDATE): DST-correct
 * expansion, the series' last end, and the checks a series must pass as a whole (occurrence ids are
 * event-id.ts; the bridge to rrule-temporal is rule-space.ts). No ORM or HTTP here; every instant is a
 * UTC `Date`, every duration in milliseconds.
 *
 * Expansion is rrule-temporal's, with `DTSTART;TZID=<series zone>`, so occurrences keep the local
 * wall-clock time of the first start across DST changes (RFC 5545 §3.3.10: the time of day comes from
 * DTSTART, in DTSTART's zone). An all-day series is expanded on dates (DTSTART;VALUE=DATE), then each
 * date becomes the span from the start of that day to the start of the day its length later, in the
 * series' zone, so a DST change (even one at midnight) never moves or drops an all-day occurrence.
 */

export type { Occurrence, RuleTiming, SeriesTiming } from './rule-space';

/**
 * Default and largest number of occurrences one {@link expandOccurrences} call returns (a daily
 * series over 27 years). Callers should also cap the window length; this is the backstop.
 */
export const MAX_OCCURRENCES = 10_000;
/** Most extra dates (RDATE) and exception dates (EXDATE) a series may have, each. */
export const MAX_DATES = 1000;

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
