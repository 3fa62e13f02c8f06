import { Temporal } from '@js-temporal/polyfill';
import { AppError } from '../../../infra/errors';

/**
 * Pure time rules of an entry: interval resolution, the one-calendar-day rule, ISO 8601 durations and
 * half-open overlap. No ORM or HTTP here; all instants are UTC `Date`s.
 */

/** `[start, end)` in UTC. */
export interface Interval {
  start: Date;
  end: Date;
}

/**
 * Resolves `end` from `start` plus `duration` or `end` (RFC 5545 DTEND / DURATION semantics: a
 * duration with days is added in wall-clock time of `timeZone`, so `P1D` across a DST change is 23 or
 * 25 hours).
 *
 * @param input.duration - ISO 8601 duration (`PT1H30M`); must be positive.
 * @throws AppError 400 (`/duration` or `/end`) when neither or contradicting values are given, when the
 *   duration is malformed, or when `end <= start`.
 */
export function resolveInterval(input: { start: Date; end?: Date | null; duration?: string | null; timeZone: string }): Interval {
  const { start, timeZone } = input;
  let end = input.end ?? undefined;
  if (input.duration != null) {
    const fromDuration = addDuration(start, input.duration, timeZone);
    if (end && end.getTime() !== fromDuration.getTime()) {
      throw new AppError('bad_request', '`duration` and `end` disagree: give one, or both with the same result', {
        errors: [
          { path: '/duration', message: `start + ${input.duration} is ${fromDuration.toISOString()}` },
          { path: '/end', message: `end is ${end.toISOString()}` },
        ],
      });
    }
    end = fromDuration;
  }
  if (!end) throw AppError.invalid('/end', 'give `end` or `duration`');
  if (end.getTime() <= start.getTime()) throw AppError.invalid('/end', '`end` must be after `start`');
  return { start, end };
}

/** `start` + ISO 8601 `duration` in `timeZone`. @throws AppError 400 (`/duration`) when malformed or not positive. */
export function addDuration(start: Date, duration: string, timeZone: string): Date {
  let parsed: Temporal.Duration;
  try {
    parsed = Temporal.Duration.from(duration);
  } catch {
    throw AppError.invalid('/duration', `\`${duration}\` is not an ISO 8601 duration such as PT1H30M`);
  }
  if (parsed.sign <= 0) throw AppError.invalid('/duration', 'duration must be positive');
  const zoned = Temporal.Instant.fromEpochMilliseconds(start.getTime()).toZonedDateTimeISO(timeZone);
  try {
    return new Date(zoned.add(parsed).epochMilliseconds);
  } catch {
    throw AppError.invalid('/duration', `\`${duration}\` is out of range`);
  }
}

/**
 * The contract's rule: an entry is one contiguous block within one calendar day of its time zone; `end`
 * may be the next local midnight (start of the next day, which DST can move off 00:00).
 * @throws AppError 400 (`/end`) naming the local dates when the interval spans two days.
 */
export function assertWithinOneDay({ start, end }: Interval, timeZone: string): void {
  const localStart = toZoned(start, timeZone);
  const localEnd = toZoned(end, timeZone);
  const day = localStart.toPlainDate();
  if (Temporal.PlainDate.compare(localEnd.toPlainDate(), day) === 0) return;
  const nextMidnight = day.add({ days: 1 }).toZonedDateTime({ timeZone });
  if (Temporal.Instant.compare(localEnd.toInstant(), nextMidnight.toInstant()) === 0) return;
  throw AppError.invalid(
    '/end',
    `an entry must stay within one day of ${timeZone}: it starts on ${day.toString()} and ends ${localEnd.toPlainDateTime().toString()} local time (at most the next midnight)`,
  );
}

/** Milliseconds → ISO 8601 duration in hours, minutes and seconds, e.g. 5_400_000 → `PT1H30M`. */
export function formatDuration(ms: number): string {
  // Plain arithmetic: this runs for every listed entry, and balancing a Temporal.Duration was the
  // costliest step of a month view. Same output as Temporal's Duration#toString (tested).
  if (ms === 0) return 'PT0S';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const secondsPart = seconds || millis ? `${seconds}${millis ? `.${String(millis).padStart(3, '0').replace(/0+$/, '')}` : ''}S` : '';
  return `${sign}PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${secondsPart}`;
}

/** Half-open overlap: `[a.start, a.end)` and `[b.start, b.end)` share an instant (back-to-back do not). */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

/** A UTC instant seen in an IANA zone. */
export function toZoned(instant: Date, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone);
}

/** The longest an entry can last: one local day, 25 h on a DST fall-back day; bounds range queries. */
export const MAX_ENTRY_MS = 25 * 3600 * 1000;

/**
 * Longest all-day entry, in days (a sabbatical, a long trip). Bounds the range queries of all-day
 * rows (their own partial indexes), so that timed entries keep the one-day bound.
 */
export const MAX_ALL_DAY_DAYS = 366;
/** {@link MAX_ALL_DAY_DAYS} in milliseconds, with an hour to spare for DST: bounds range queries of all-day rows. */
export const MAX_ALL_DAY_MS = (MAX_ALL_DAY_DAYS * 24 + 1) * 3600 * 1000;

/**
 * The instants of an all-day entry (Google Calendar's `start.date` / `end.date`, RFC 5545
 * `DTSTART;VALUE=DATE`): from the start of `startDate` to the start of `endDate` (exclusive; default
 * the next day) in `timeZone`, floating in that zone (usually 00:00; where a DST change skips
 * midnight, the first instant of the day).
 * @param startDate - ISO 8601 date `YYYY-MM-DD`.
 * @throws AppError 400 at `/startDate` or `/endDate` for a malformed or impossible date, an end not
 *   after the start, or more than {@link MAX_ALL_DAY_DAYS} days.
 */
export function allDayInterval(startDate: string, endDate: string | null | undefined, timeZone: string): Interval {
  const first = plainDate(startDate, '/startDate');
  const last = endDate != null ? plainDate(endDate, '/endDate') : first.add({ days: 1 });
  const days = first.until(last, { largestUnit: 'days' }).days;
  if (days < 1) throw AppError.invalid('/endDate', `endDate (${last.toString()}) must be after startDate (${first.toString()}); it is exclusive, as in RFC 5545`);
  if (days > MAX_ALL_DAY_DAYS) throw AppError.invalid('/endDate', `an all-day entry lasts at most ${MAX_ALL_DAY_DAYS} days`);
  return { start: dayStart(first, timeZone), end: dayStart(last, timeZone) };
}

/** The local dates of an all-day entry: its first day and the day after its last (exclusive), `YYYY-MM-DD`. */
export function allDayDates({ start, end }: Interval, timeZone: string): { startDate: string; endDate: string } {
  return { startDate: toZoned(start, timeZone).toPlainDate().toString(), endDate: toZoned(end, timeZone).toPlainDate().toString() };
}

/**
 * The time rule of an entry: a timed one stays within one day ({@link assertWithinOneDay}); an
 * all-day one spans whole days, at most {@link MAX_ALL_DAY_DAYS}.
 * @throws AppError 400 (`/end` or `/endDate`).
 */
export function assertEntryTime(entry: Interval & { allDay?: boolean }, timeZone: string): void {
  if (!entry.allDay) return assertWithinOneDay(entry, timeZone);
  if (entry.end.getTime() - entry.start.getTime() > MAX_ALL_DAY_MS) throw AppError.invalid('/endDate', `an all-day entry lasts at most ${MAX_ALL_DAY_DAYS} days`);
}

function plainDate(value: string, path: string): Temporal.PlainDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw AppError.invalid(path, `${JSON.stringify(value.slice(0, 40))} is not an ISO 8601 date (YYYY-MM-DD)`);
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' });
  } catch {
    throw AppError.invalid(path, `${value} is not a real date`);
  }
}

function dayStart(date: Temporal.PlainDate, timeZone: string): Date {
  return new Date(date.toZonedDateTime({ timeZone }).epochMilliseconds);
}
