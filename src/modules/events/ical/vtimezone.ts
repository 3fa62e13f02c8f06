import { tzlib_get_ical_block } from 'timezones-ical-library';

/** VTIMEZONE block of an IANA zone, from the IANA-derived timezones-ical-library; null if unknown. */
export function vtimezone(timeZone: string): string | null {
  const block = tzlib_get_ical_block(timeZone);
  return Array.isArray(block) && typeof block[0] === 'string' && block[0].startsWith('BEGIN:VTIMEZONE') ? block[0] : null;
}
