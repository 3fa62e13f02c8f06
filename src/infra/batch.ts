import { AppError } from './errors';

/**
 * Orders batch-loaded rows by the requested keys, as DataLoader requires: one result per key, in key
 * order, and an error (404) for each key without a row, so one missing key fails only its own load.
 */
export function byKeys<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string, what: string): (T | Error)[] {
  const found = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => found.get(k) ?? AppError.notFound(what, k));
}

/** `items` grouped by `keyOf`, groups and items in first-seen order (DataLoader batches split by query). */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}
