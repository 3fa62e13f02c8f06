/**
 * Pure rules of an entry's status and transparency (RFC 5545 §3.8.1.11 STATUS, §3.8.2.7 TRANSP) and
 * what they mean for availability. No ORM or HTTP here.
 */

/** STATUS of a VEVENT in the API's spelling; default `confirmed`. */
export const EVENT_STATUSES = ['confirmed', 'tentative', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** TRANSP of a VEVENT in the API's spelling; default `opaque` (RFC 5545 §3.8.2.7). */
export const TRANSPARENCIES = ['opaque', 'transparent'] as const;
export type Transparency = (typeof TRANSPARENCIES)[number];

export const DEFAULT_STATUS: EventStatus = 'confirmed';
export const DEFAULT_TRANSPARENCY: Transparency = 'opaque';

/**
 * The transparency an entry gets when none is given: `opaque`, except all-day entries, which are
 * `transparent` (a birthday, a holiday, a reminder; Google Calendar and Apple Calendar show new
 * all-day events as free). Give `transparency: opaque` to block the days (a vacation). iCalendar
 * input keeps RFC 5545's default instead (TRANSP absent = OPAQUE, §3.8.2.7).
 */
export function defaultTransparency(allDay: boolean): Transparency {
  return allDay ? 'transparent' : DEFAULT_TRANSPARENCY;
}

/**
 * Whether an entry (or the row an occurrence shows) takes up its time: not cancelled and not
 * transparent. A tentative entry is busy, as Google Calendar's and CalDAV's free/busy count it
 * (RFC 4791 §7.10 reports it as BUSY-TENTATIVE, still busy). Rows read before the columns existed
 * (missing fields) are busy.
 *
 * Entries that are not busy never conflict in the overlap check, neither as the entry written nor as
 * one already in the calendar, and free/busy leaves them out.
 */
export function isBusy(entry: { status?: EventStatus | null; transparency?: Transparency | null }): boolean {
  return entry.status !== 'cancelled' && entry.transparency !== 'transparent';
}
