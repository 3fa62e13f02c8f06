/**
 * Default retry delays in seconds after a failed webhook delivery: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
 * 10 h — 27.6 hours from the first attempt to the last (8 attempts), the schedule the Standard
 * Webhooks reference implementation (Svix) uses. `WEBHOOK_RETRY_SCHEDULE` replaces it.
 */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [5, 300, 1800, 7200, 18000, 36000, 36000];

/**
 * The delay before the attempt after attempt number `attempt` (1-based), or null when the schedule is
 * exhausted (the message has failed for good and the endpoint is disabled).
 * @param schedule - delays in seconds, e.g. {@link DEFAULT_RETRY_SCHEDULE}
 */
export function nextRetryDelay(schedule: readonly number[], attempt: number): number | null {
  return attempt >= 1 && attempt <= schedule.length ? schedule[attempt - 1]! : null;
}
