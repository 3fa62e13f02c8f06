import { AppError } from '../../../infra/errors';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a canonical textual UUID (any version). */
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** @throws AppError 400 (`path`) unless `id` is a UUID, so a malformed id never reaches SQL. */
export function assertUuid(id: string, path = '/id'): string {
  if (!isUuid(id)) throw AppError.invalid(path, `${JSON.stringify(id.slice(0, 80))} is not a UUID`);
  return id;
}
