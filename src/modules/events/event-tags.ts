/** Cache tags of the events module (src/infra/cache.ts): what its cached listings were read from. */
export const EventTags = {
  /** Entries of a calendar (listings over a range). */
  calendar: (calendarId: string) => `calendar:${calendarId}`,
  /** Events a user hosts or attends (/events listings, meeting anchors). */
  eventsOf: (userId: string) => `events-of:${userId}`,
};
