import { AppError, type FieldError } from '../../../infra/errors';

/**
 * The RRULE value of RFC 5545 §3.3.10 as a plain object and its rules (ranges, which parts go with
 * which frequency), normalised. Its text (parse, canonical form) and the two input forms of the API
 * (structured fields, or the raw text) are rrule-text.ts. Pure: no ORM, no HTTP, no expansion (that is
 * recurrence.ts).
 *
 * Not offered: FREQ=HOURLY, MINUTELY and SECONDLY. No calendar client builds them (Google Calendar,
 * Outlook / Microsoft Graph and Apple Calendar stop at daily), and one such endless series is up to
 * 1,440 occurrences a day, which every listing, overlap check and nearest-event computation would
 * expand. "Several times a day" is FREQ=DAILY with BYHOUR/BYMINUTE, at most
 * {@link MAX_TIMES_PER_DAY} times a day. RSCALE/SKIP (RFC 7529) and x-name parts are refused too.
 */

/** FREQ values offered, in the structured form's spelling (RFC 5545 FREQ in lower case). */
export const FREQUENCIES = ['daily', 'weekly', 'monthly', 'yearly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** RFC 5545 weekday codes (BYDAY, WKST), Monday first. */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A recurrence rule (RFC 5545 §3.3.10), field names being the rule parts in camelCase.
 *
 * - `frequency`: FREQ. `interval`: INTERVAL, 1..{@link MAX_INTERVAL} (1 = every period).
 * - `count`: COUNT, 1..{@link MAX_COUNT}, the occurrences the rule generates, the first start and
 *   occurrences later cancelled by EXDATE included (EXDATE does not give COUNT back, §3.8.5.1).
 * - `until`: UNTIL, a UTC instant, inclusive; whole seconds. `count` and `until` exclude each other;
 *   neither repeats forever.
 * - `byDay`: BYDAY weekdays, each with an optional ordinal within the month or year (`MO`, `2TU`,
 *   `-1FR`); ordinals only with monthly and yearly rules.
 * - `byMonthDay` (±1..31), `byYearDay` (±1..366), `byWeekNo` (±1..53, ISO-style weeks starting on
 *   `wkst`), `byMonth` (1..12), `bySetPos` (±1..366: the n-th of each period's occurrences),
 *   `byHour` (0..23), `byMinute` (0..59), `bySecond` (0..59): negative values count from the end.
 * - `wkst`: WKST, the first day of the week (default MO): matters for weekly rules with an interval
 *   and BYDAY, and for BYWEEKNO.
 *
 * Parts left out take their value from DTSTART, as RFC 5545 says (a weekly rule without BYDAY
 * repeats on the first start's weekday, every rule at its time of day). Lists are sets: see
 * {@link normalizeRecurrence}.
 */
export interface Recurrence {
  frequency: Frequency;
  interval: number;
  count?: number;
  until?: Date;
  byDay?: string[];
  byMonthDay?: number[];
  byYearDay?: number[];
  byWeekNo?: number[];
  byMonth?: number[];
  bySetPos?: number[];
  byHour?: number[];
  byMinute?: number[];
  bySecond?: number[];
  wkst?: Weekday;
}

/** Largest `interval`: beyond it a rule is a typo rather than a plan (every 1000 months is 83 years). */
export const MAX_INTERVAL = 1000;
/** Largest `count`: bounds the work of expanding a COUNT rule, which must be walked from its first start. */
export const MAX_COUNT = 10_000;
/**
 * Most times of day a rule may have (|BYHOUR| × |BYMINUTE| × |BYSECOND|): every 20 minutes from 09:00
 * to 16:40 (RFC 5545's example) is 24. Keeps a year of a daily rule under 10,000 occurrences.
 */
export const MAX_TIMES_PER_DAY = 24;
/** Most values in one BYxxx list. */
export const MAX_LIST = 366;

/** The numeric BYxxx parts: RFC name and allowed range (a negative value counts from the end). */
const NUMERIC_PARTS = {
  bySecond: { name: 'BYSECOND', min: 0, max: 59, signed: false },
  byMinute: { name: 'BYMINUTE', min: 0, max: 59, signed: false },
  byHour: { name: 'BYHOUR', min: 0, max: 23, signed: false },
  byMonthDay: { name: 'BYMONTHDAY', min: 1, max: 31, signed: true },
  byYearDay: { name: 'BYYEARDAY', min: 1, max: 366, signed: true },
  byWeekNo: { name: 'BYWEEKNO', min: 1, max: 53, signed: true },
  byMonth: { name: 'BYMONTH', min: 1, max: 12, signed: false },
  bySetPos: { name: 'BYSETPOS', min: 1, max: 366, signed: true },
} as const;
type NumericPart = keyof typeof NUMERIC_PARTS;

/** Every BYxxx field, in the order the canonical text writes them (RFC 5545 §3.3.10 grammar order). */
export const BY_FIELDS = ['bySecond', 'byMinute', 'byHour', 'byDay', 'byMonthDay', 'byYearDay', 'byWeekNo', 'byMonth', 'bySetPos'] as const;

/** RFC 5545 §3.3.10 rule part name (upper case) → field: exactly the parts this service reads; any other part is refused. */
export const FIELD_OF_PART: Record<string, keyof Recurrence> = {
  FREQ: 'frequency',
  INTERVAL: 'interval',
  COUNT: 'count',
  UNTIL: 'until',
  BYDAY: 'byDay',
  WKST: 'wkst',
  ...Object.fromEntries(Object.entries(NUMERIC_PARTS).map(([field, p]) => [p.name, field])),
};
/** Field → RFC 5545 part name (upper case): the inverse of {@link FIELD_OF_PART}. */
export const PART_OF_FIELD = Object.fromEntries(Object.entries(FIELD_OF_PART).map(([part, field]) => [field, part])) as Record<keyof Recurrence, string>;

const WEEKDAY_NUM = /^([+-]?)(\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/i;

/** A BYDAY value split: its weekday and ordinal (undefined: every such weekday of the period). */
export function parseWeekdayNum(value: string): { weekday: Weekday; ordinal?: number } | null {
  const m = WEEKDAY_NUM.exec(value);
  if (!m) return null;
  const weekday = m[3]!.toUpperCase() as Weekday;
  if (m[2] === undefined) return m[1] ? null : { weekday };
  return { weekday, ordinal: (m[1] === '-' ? -1 : 1) * Number(m[2]) };
}

/** One problem of a rule: which field (and list index) and why. */
interface Problem {
  field: keyof Recurrence | 'rrule';
  index?: number;
  message: string;
}

/**
 * Checks a rule against RFC 5545 §3.3.10 and the limits of this service, reporting every problem.
 *
 * - ranges of every part (see {@link Recurrence}), integers only; lists at most {@link MAX_LIST} long;
 * - `count` and `until` not both; `until` a valid instant not before `firstStart`;
 * - BYDAY ordinals only with monthly (±1..5) and yearly (±1..53) rules, and not with BYWEEKNO;
 *   BYMONTHDAY not with weekly rules; BYYEARDAY and BYWEEKNO only with yearly rules; BYSETPOS only
 *   with another BYxxx part;
 * - at most {@link MAX_TIMES_PER_DAY} times of day.
 *
 * Whether the rule has any occurrence, and whether the first start is one, depend on DTSTART and are
 * checked by `validateSeries` (recurrence.ts).
 *
 * @param opts.path - JSON pointer of the recurrence in the input (default `/recurrence`).
 * @param opts.source - `fields` (default): each problem at its field, e.g. `/recurrence/byDay/0`;
 *   `rrule`: every problem at `<path>/rrule`, its message naming the rule part (`BYDAY=9MO: …`).
 * @throws AppError 400 listing every problem.
 */
export function validateRecurrence(r: Recurrence, firstStart: Date, opts: { path?: string; source?: 'fields' | 'rrule' } = {}): void {
  throwProblems(problemsOf(r, firstStart), opts.path ?? '/recurrence', opts.source ?? 'fields', r);
}

function problemsOf(r: Recurrence, firstStart: Date): Problem[] {
  const problems: Problem[] = [];
  const add = (field: Problem['field'], message: string, index?: number) => problems.push({ field, message, ...(index !== undefined && { index }) });
  const freq = r.frequency;
  if (!FREQUENCIES.includes(freq)) {
    const sub = ['hourly', 'minutely', 'secondly'].includes(String(freq).toLowerCase());
    add('frequency', sub ? `frequencies finer than daily are not offered: repeat daily with byHour/byMinute (at most ${MAX_TIMES_PER_DAY} times a day)` : `frequency must be one of ${FREQUENCIES.join(', ')}`);
  }
  if (!Number.isInteger(r.interval) || r.interval < 1 || r.interval > MAX_INTERVAL) add('interval', `interval must be an integer from 1 to ${MAX_INTERVAL}`);
  if (r.count != null && (!Number.isInteger(r.count) || r.count < 1 || r.count > MAX_COUNT)) add('count', `count must be an integer from 1 to ${MAX_COUNT}`);
  if (r.count != null && r.until != null) add('until', 'give count or until, not both (RFC 5545)');
  else if (r.until != null) {
    if (!(r.until instanceof Date) || Number.isNaN(r.until.getTime())) add('until', 'until must be a date-time');
    else if (r.until.getTime() < firstStart.getTime()) add('until', `until (${r.until.toISOString()}) is before the first start (${firstStart.toISOString()})`);
  }
  for (const field of Object.keys(NUMERIC_PARTS) as NumericPart[]) {
    const { min, max, signed } = NUMERIC_PARTS[field];
    const values = r[field];
    if (values == null) continue;
    if (values.length > MAX_LIST) add(field, `at most ${MAX_LIST} values`);
    values.forEach((v, i) => {
      const ok = Number.isInteger(v) && ((v >= min && v <= max) || (signed && v <= -min && v >= -max));
      if (!ok) add(field, `${v} is not ${signed ? `from ${min} to ${max} or from -${max} to -${min}` : `from ${min} to ${max}`}`, i);
    });
  }
  const byDay = r.byDay ?? [];
  if (byDay.length > MAX_LIST) add('byDay', `at most ${MAX_LIST} values`);
  byDay.forEach((v, i) => {
    const parsed = typeof v === 'string' ? parseWeekdayNum(v) : null;
    if (!parsed) return add('byDay', `${JSON.stringify(v)} is not a weekday (MO…SU) with an optional ordinal such as 2TU or -1FR`, i);
    if (parsed.ordinal === undefined) return;
    if (freq !== 'monthly' && freq !== 'yearly') add('byDay', `${v}: an ordinal weekday needs a monthly or yearly rule (RFC 5545)`, i);
    else if (freq === 'yearly' && r.byWeekNo?.length) add('byDay', `${v}: an ordinal weekday cannot be combined with byWeekNo (RFC 5545)`, i);
    else if (parsed.ordinal === 0 || Math.abs(parsed.ordinal) > (freq === 'monthly' ? 5 : 53)) add('byDay', `${v}: the ordinal must be from 1 to ${freq === 'monthly' ? 5 : 53} or its negative`, i);
  });
  if (r.wkst != null && !WEEKDAYS.includes(r.wkst)) add('wkst', `wkst must be one of ${WEEKDAYS.join(', ')}`);
  if (r.byMonthDay?.length && freq === 'weekly') add('byMonthDay', 'byMonthDay cannot be used with a weekly rule (RFC 5545)');
  if (r.byYearDay?.length && freq !== 'yearly') add('byYearDay', 'byYearDay needs a yearly rule');
  if (r.byWeekNo?.length && freq !== 'yearly') add('byWeekNo', 'byWeekNo needs a yearly rule (RFC 5545)');
  if (r.bySetPos?.length && !BY_FIELDS.some((f) => f !== 'bySetPos' && r[f]?.length)) add('bySetPos', 'bySetPos selects among the occurrences of another BY part: give one (RFC 5545)');
  const times = (new Set(r.byHour ?? [0]).size) * (new Set(r.byMinute ?? [0]).size) * (new Set(r.bySecond ?? [0]).size);
  if (times > MAX_TIMES_PER_DAY) add('byHour', `at most ${MAX_TIMES_PER_DAY} times a day (byHour × byMinute × bySecond is ${times})`);
  return problems;
}

function throwProblems(problems: Problem[], path: string, source: 'fields' | 'rrule', r?: Partial<Recurrence>): void {
  if (problems.length === 0) return;
  const errors: FieldError[] = problems.map((p) => {
    if (source === 'fields' || p.field === 'rrule') return { path: p.field === 'rrule' ? `${path}/rrule` : `${path}/${p.field}${p.index !== undefined ? `/${p.index}` : ''}`, message: p.message };
    const value = r?.[p.field];
    const shown = p.index !== undefined && Array.isArray(value) ? value[p.index] : Array.isArray(value) ? value.join(',') : value instanceof Date ? formatUtc(value) : value;
    return { path: `${path}/rrule`, message: `${PART_OF_FIELD[p.field]}=${String(shown).toUpperCase()}: ${p.message}` };
  });
  if (errors.length === 1) throw AppError.invalid(errors[0]!.path, errors[0]!.message);
  throw new AppError('bad_request', 'the recurrence is invalid', { errors });
}

/**
 * The same rule with its lists as sets: duplicates dropped, empty lists removed, values sorted
 * (positives ascending, then negatives from -1 down; BYDAY by weekday then ordinal), BYDAY upper
 * case without `+`, `wkst` removed when it is the default MO, `until` cut to whole seconds. Two
 * rules with the same occurrences for every DTSTART normalise to the same value as far as the
 * notation goes (not semantically: `BYMONTH=1,2,…,12` stays as given). Assumes a valid rule.
 */
export function normalizeRecurrence(r: Recurrence): Recurrence {
  const out: Recurrence = { frequency: r.frequency, interval: r.interval };
  if (r.count != null) out.count = r.count;
  if (r.until != null) out.until = new Date(Math.floor(r.until.getTime() / 1000) * 1000);
  for (const field of BY_FIELDS) {
    const values = r[field];
    if (!values?.length) continue;
    if (field === 'byDay') {
      const days = [...new Set((values as string[]).map((v) => formatWeekdayNum(parseWeekdayNum(v)!)))];
      out.byDay = days.sort((a, b) => weekdayKey(a) - weekdayKey(b));
    } else {
      out[field] = [...new Set(values as number[])].sort((a, b) => numberKey(a) - numberKey(b));
    }
  }
  if (r.wkst != null && r.wkst !== 'MO') out.wkst = r.wkst;
  return out;
}

function formatWeekdayNum({ weekday, ordinal }: { weekday: Weekday; ordinal?: number }): string {
  return `${ordinal ?? ''}${weekday}`;
}

function weekdayKey(v: string): number {
  const { weekday, ordinal } = parseWeekdayNum(v)!;
  return WEEKDAYS.indexOf(weekday) * 1000 + (ordinal === undefined ? 0 : numberKey(ordinal));
}

/** Positives first (ascending), then negatives (-1, -2, …). */
function numberKey(n: number): number {
  return n >= 0 ? n : 500 - n;
}

/** `YYYYMMDDTHHMMSSZ` (RFC 5545 §3.3.5, UTC form), sub-seconds dropped. */
export function formatUtc(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}
