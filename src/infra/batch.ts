import { AppError } from './errors';

/**
 * Orders batch-loaded rows by the requested keys, as DataLoader requires: one result per key, in key
 * order, and an error (404) for each key without a row, so one missing key fails only its own load.
 */
export function byKeys<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string, what: string): (T | Error)[] {
  const found = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => found.get(k) ?? AppError.notFound(what, k));
}
