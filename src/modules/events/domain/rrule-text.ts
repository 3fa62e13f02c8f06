import { Temporal } from '@js-temporal/polyfill';
import { AppError } from '../../../infra/errors';
import { BY_FIELDS, FIELD_OF_PART, formatUtc, type Frequency, FREQUENCIES, MAX_TIMES_PER_DAY, normalizeRecurrence, PART_OF_FIELD, parseWeekdayNum, type Recurrence, validateRecurrence, type Weekday, WEEKDAYS } from './rrule';

/**
 * The text of an RRULE (RFC 5545 §3.3.10): its strict parser, its canonical form, and the rule of an
 * API input given as structured fields, as text, or both. Pure; the rule itself is rrule.ts.
 */

/**
 * The canonical RRULE text (without the `RRULE:` prefix) of a rule: `FREQ` and `INTERVAL` (always
 * written, even when 1), `COUNT` or `UNTIL`, then the BYxxx parts in RFC 5545 grammar order, then
 * `WKST` (only when not MO), lists normalised ({@link normalizeRecurrence}). E.g.
 * `FREQ=MONTHLY;INTERVAL=1;COUNT=10;BYDAY=-1FR`.
 *
 * UNTIL is UTC (`…Z`), as §3.3.10 requires when DTSTART has a TZID or is UTC. For an all-day series
 * (DTSTART;VALUE=DATE) it must be a DATE: pass `opts.dateIn`, the zone whose local date of `until`
 * is written (`UNTIL=20261231`).
 */
export function toRRule(r: Recurrence, opts: { dateIn?: string } = {}): string {
  const n = normalizeRecurrence(r);
  const parts = [`FREQ=${n.frequency.toUpperCase()}`, `INTERVAL=${n.interval}`];
  if (n.count != null) parts.push(`COUNT=${n.count}`);
  if (n.until != null) parts.push(`UNTIL=${opts.dateIn ? formatDate(n.until, opts.dateIn) : formatUtc(n.until)}`);
  for (const field of BY_FIELDS) if (n[field]) parts.push(`${PART_OF_FIELD[field]}=${n[field]!.join(',')}`);
  if (n.wkst) parts.push(`WKST=${n.wkst}`);
  return parts.join(';');
}

/**
 * Reads an RRULE value (RFC 5545 §3.3.10), with or without the `RRULE:` prefix; names and values are
 * case-insensitive, parts in any order, a trailing `;` is tolerated. Syntax only: call
 * {@link validateRecurrence} for the rules.
 *
 * UNTIL is a UTC date-time (`20261231T235959Z`) or a date (`20261231`): a date means the end of that
 * day in `opts.timeZone` (the whole day is included, as for an all-day series' DATE). A floating
 * date-time (no `Z`) is refused: RFC 5545 requires UTC when DTSTART has a time zone.
 *
 * @param opts.path - Where the text was given, for errors (default `/recurrence/rrule`).
 * @throws AppError 400 at `opts.path`, naming the part: unknown or repeated parts, a missing FREQ,
 *   malformed numbers, dates or weekdays, other properties (DTSTART, RDATE…) in the text.
 */
export function parseRRule(text: string, opts: { timeZone: string; path?: string }): Recurrence {
  const path = opts.path ?? '/recurrence/rrule';
  const fail = (message: string): never => {
    throw AppError.invalid(path, message);
  };
  const body = text.trim().replace(/^RRULE:/i, '');
  if (body.length === 0) fail('the rule is empty: give at least FREQ, e.g. FREQ=WEEKLY;BYDAY=MO');
  if (/[\r\n:]/.test(body)) fail('give the RRULE value only (FREQ=…;…): DTSTART is the entry start, RDATE and EXDATE are the rdates and exdates fields');
  const raw = body.endsWith(';') ? body.slice(0, -1) : body;
  const seen = new Set<string>();
  const r: Partial<Recurrence> & Record<string, unknown> = {};
  for (const part of raw.split(';')) {
    const m = /^([A-Za-z-]+)=(.+)$/.exec(part);
    if (!m) fail(`${JSON.stringify(part.slice(0, 40))} is not a NAME=VALUE rule part`);
    const name = m![1]!.toUpperCase();
    const value = m![2]!;
    if (seen.has(name)) fail(`${name} is given twice (RFC 5545: each part at most once)`);
    seen.add(name);
    const field = FIELD_OF_PART[name];
    if (!field) fail(`${name} is not a rule part this service accepts (RFC 5545 §3.3.10 parts only; no RSCALE, SKIP or X- parts)`);
    const bad = (what: string): never => fail(`${name}=${value.slice(0, 40)}: ${what}`);
    switch (field) {
      case 'frequency': {
        const f = value.toLowerCase();
        if (['hourly', 'minutely', 'secondly'].includes(f)) bad(`frequencies finer than DAILY are not offered: use FREQ=DAILY with BYHOUR/BYMINUTE (at most ${MAX_TIMES_PER_DAY} times a day)`);
        if (!FREQUENCIES.includes(f as Frequency)) bad(`FREQ must be one of ${FREQUENCIES.map((x) => x.toUpperCase()).join(', ')}`);
        r.frequency = f as Frequency;
        break;
      }
      case 'interval':
      case 'count':
        if (!/^\d{1,9}$/.test(value)) bad('not a positive integer');
        r[field] = Number(value);
        break;
      case 'until':
        r.until = parseUntil(value, opts.timeZone) ?? bad('not a UTC date-time (20261231T235959Z) or a date (20261231)');
        break;
      case 'wkst':
        if (!WEEKDAYS.includes(value.toUpperCase() as Weekday)) bad(`not one of ${WEEKDAYS.join(', ')}`);
        r.wkst = value.toUpperCase() as Weekday;
        break;
      case 'byDay':
        r.byDay = value.split(',').map((v) => (parseWeekdayNum(v) ? v.toUpperCase().replace(/^\+/, '') : bad(`${JSON.stringify(v)} is not a weekday (MO…SU) with an optional ordinal such as 2TU or -1FR`)));
        break;
      default:
        (r as Record<string, number[]>)[field] = value.split(',').map((v) => (/^[+-]?\d{1,3}$/.test(v) ? Number(v) : bad(`${JSON.stringify(v)} is not an integer`)));
    }
  }
  if (!r.frequency) fail('FREQ is required (RFC 5545), e.g. FREQ=WEEKLY');
  return { interval: 1, ...r } as Recurrence;
}

function parseUntil(value: string, timeZone: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/i.exec(value);
  if (!m) return null;
  const [year, month, day] = [m[1], m[2], m[3]].map(Number) as [number, number, number];
  try {
    const date = Temporal.PlainDate.from({ year, month, day }, { overflow: 'reject' });
    if (m[4] === undefined) {
      // The whole day: one second before the next day starts in the zone.
      return new Date(date.add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds - 1000);
    }
    const time = Temporal.PlainTime.from({ hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6]) }, { overflow: 'reject' });
    return new Date(date.toPlainDateTime(time).toZonedDateTime('UTC').epochMilliseconds);
  } catch {
    return null;
  }
}

/** The rule fields of the structured input form (`recurrence` in REST and GraphQL); `null` = absent. */
export type RecurrenceFields = { [K in keyof Recurrence]?: Recurrence[K] | null };

/**
 * The rule of an input that gives the structured fields, the raw `rrule` text, or both: both are
 * accepted only when they make the same canonical rule (so a client may send back what it read).
 * `interval` defaults to 1; `null` and empty lists are absent.
 *
 * @param ctx.timeZone - The series zone (a DATE UNTIL in the text ends with that day there).
 * @param ctx.firstStart - The series' first start (UNTIL may not be before it).
 * @param ctx.path - JSON pointer of the recurrence (default `/recurrence`).
 * @returns the normalised rule ({@link normalizeRecurrence}).
 * @throws AppError 400: neither form, a malformed text, an invalid rule ({@link validateRecurrence};
 *   errors at the fields or, for the text, at `<path>/rrule`), or forms that disagree.
 */
export function resolveRecurrence(input: RecurrenceFields & { rrule?: string | null }, ctx: { timeZone: string; firstStart: Date; path?: string }): Recurrence {
  const path = ctx.path ?? '/recurrence';
  const { rrule, ...fields } = input;
  const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v != null && !(Array.isArray(v) && v.length === 0))) as Partial<Recurrence>;
  const hasFields = Object.keys(given).length > 0;
  let fromText: Recurrence | undefined;
  if (rrule != null) {
    fromText = parseRRule(rrule, { timeZone: ctx.timeZone, path: `${path}/rrule` });
    validateRecurrence(fromText, ctx.firstStart, { path, source: 'rrule' });
  }
  if (!hasFields) {
    if (!fromText) throw AppError.invalid(`${path}/frequency`, 'give frequency (with the other rule fields) or rrule');
    return normalizeRecurrence(fromText);
  }
  if (given.frequency == null) throw AppError.invalid(`${path}/frequency`, 'frequency is required with the other rule fields');
  const fromFields = { ...given, interval: given.interval ?? 1 } as Recurrence;
  validateRecurrence(fromFields, ctx.firstStart, { path });
  if (fromText && toRRule(fromText) !== toRRule(fromFields)) {
    throw AppError.invalid(`${path}/rrule`, `rrule (${toRRule(fromText)}) and the rule fields (${toRRule(fromFields)}) disagree: give one, or both with the same rule`);
  }
  return normalizeRecurrence(fromFields);
}

/** `YYYYMMDD` (RFC 5545 §3.3.4): the local date of an instant in a zone. */
export function formatDate(d: Date, timeZone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(d.getTime()).toZonedDateTimeISO(timeZone).toPlainDate().toString().replace(/-/g, '');
}
