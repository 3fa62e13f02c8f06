/**
 * Bounds of free/busy and meeting-suggestion requests, against abuse: each request costs SQL and CPU
 * in proportion to its window, its items and their entries. Stated in the README and the OpenAPI
 * document; a request beyond one is a 400.
 */

/** Longest window `[timeMin, timeMax)`: 62 days (two months of free/busy, as a month view plus its neighbours). */
export const MAX_WINDOW_DAYS = 62;
/** Most items of one free/busy request (Google Calendar's calendarExpansionMax is at most 50). */
export const MAX_FREE_BUSY_ITEMS = 50;
/** Most attendees of one meeting-suggestion request. */
export const MAX_ATTENDEES = 50;
/** Meeting suggestions returned by default, and at most. */
export const DEFAULT_SUGGESTIONS = 10;
export const MAX_SUGGESTIONS = 100;
/** Longest meeting to suggest a time for: one day (a timed entry stays within one day). */
export const MAX_MEETING_MS = 24 * 3_600_000;

export const MAX_WINDOW_MS = MAX_WINDOW_DAYS * 86_400_000;
