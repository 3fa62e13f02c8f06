import { AppError } from '../../../infra/errors';
import { formatUtc } from './rrule';

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
