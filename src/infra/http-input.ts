import { AppError } from './errors';

/**
 * Converts a schema-validated RFC 3339 string to a Date.
 * @throws AppError 400 at `path` for values a Date cannot hold (e.g. a leap second or year 275760+).
 */
export function toDate(value: string, path: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw AppError.invalid(path, `${value} is not a representable date-time`);
  return date;
}

/** Like {@link toDate}, passing `undefined` through. */
export function toOptionalDate(value: string | undefined, path: string): Date | undefined {
  return value === undefined ? undefined : toDate(value, path);
}
