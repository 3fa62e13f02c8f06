import { Temporal } from '@js-temporal/polyfill';

/** True when `name` is an IANA time zone known to this runtime's tz database, e.g. `Europe/Paris`, `UTC`. */
export function isTimeZone(name: string): boolean {
  // Offsets such as +01:00 are valid Temporal zones but not IANA names.
  if (name.length === 0 || name.length > 64 || /^[+-]\d/.test(name)) return false;
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(name);
    return true;
  } catch {
    return false;
  }
}
