import { AppError } from './errors';

/**
 * Fixed-window attempt counters, one window per key (e.g. `client:<address>`, `account:<email>`):
 * each key may be hit `max` times per `windowMs`; a hit beyond that is refused until its window ends.
 * Kept in this process's memory (as @fastify/rate-limit's default store): each replica counts its own
 * attempts. Expired windows are swept when the map grows past `sweepAbove` keys.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  /**
   * @param max - hits per window and key; 0 turns the limiter off.
   * @param windowMs - default 60 000 ms.
   * @param now - clock in ms (tests pass their own).
   */
  constructor(
    private readonly max: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
    private readonly sweepAbove = 10_000,
  ) {}

  /**
   * Counts one hit on each key.
   * @throws AppError 429 (`too_many_requests`, with `retryAfterSeconds` until the latest window of an
   *   exhausted key ends) when any key is over its budget.
   */
  hit(keys: readonly string[]): void {
    if (this.max <= 0) return;
    const now = this.now();
    if (this.windows.size > this.sweepAbove) this.sweep(now);
    let retryAfterMs = 0;
    for (const key of keys) {
      let window = this.windows.get(key);
      if (!window || window.resetAt <= now) {
        window = { count: 0, resetAt: now + this.windowMs };
        this.windows.set(key, window);
      }
      window.count++;
      if (window.count > this.max) retryAfterMs = Math.max(retryAfterMs, window.resetAt - now);
    }
    if (retryAfterMs > 0) {
      throw new AppError('too_many_requests', 'too many attempts; retry later', { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) });
    }
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
