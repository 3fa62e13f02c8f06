import { containsSpan, intersectSpans, type Span } from './spans';

/**
 * Pure meeting-time search (as Microsoft Graph's findMeetingTimes and Cal.com's slots): the slots of
 * a given length in which every required attendee is free, ranked by how many optional attendees are
 * free too, then by earliest start. Attendees' free time comes in as normalised spans (see spans.ts):
 * their working hours minus their busy time, clipped to the search window.
 */

/** Candidate starts are on this grid from the start of each free stretch (Graph uses 30 minutes). */
export const SLOT_STEP_MS = 30 * 60_000;
/** Starts are rounded up to this boundary (a quarter hour: every UTC offset in use is a multiple of it). */
export const SLOT_ALIGN_MS = 15 * 60_000;

/** One attendee's free time in the window. */
export interface AttendeeFreeTime<K = string> {
  key: K;
  free: readonly Span[];
}

/** A suggested slot, `[start, start + duration)`, with the optional attendees free during all of it. */
export interface Slot<K = string> {
  start: number;
  end: number;
  /** In the order the optional attendees were given. */
  optionalFree: K[];
}

/** Where the slots of {@link suggestSlots} may start: the earliest start of each required free stretch, then every step; and where an optional attendee becomes free. */
function candidateStarts(common: readonly Span[], optional: readonly AttendeeFreeTime<unknown>[], durationMs: number): number[] {
  const starts = new Set<number>();
  const alignUp = (t: number) => Math.ceil(t / SLOT_ALIGN_MS) * SLOT_ALIGN_MS;
  for (const stretch of common) {
    const last = stretch.end - durationMs;
    for (let t = alignUp(stretch.start); t <= last; t += SLOT_STEP_MS) starts.add(t);
  }
  for (const o of optional) {
    for (const f of intersectSpans(o.free, common)) {
      const t = alignUp(f.start);
      if (containsSpan(common, { start: t, end: t + durationMs })) starts.add(t);
    }
  }
  return [...starts];
}

/**
 * Up to `limit` slots of `durationMs` in which every attendee of `required` is free, ranked by the
 * number of `optional` attendees free for the whole slot (more first), then by start (earlier first).
 * Slots may overlap each other (they are alternatives). With no required attendee there is no slot.
 * Cost: O(R·n) to intersect the required attendees' n spans, then O(C·O·log n) for C candidates and O
 * optional attendees; C is bounded by the window length over {@link SLOT_STEP_MS}.
 */
export function suggestSlots<K>(input: { required: readonly AttendeeFreeTime<K>[]; optional: readonly AttendeeFreeTime<K>[]; durationMs: number; limit: number }): Slot<K>[] {
  const { required, optional, durationMs, limit } = input;
  if (required.length === 0 || durationMs <= 0 || limit <= 0) return [];
  const common = required.slice(1).reduce<readonly Span[]>((acc, a) => intersectSpans(acc, a.free), required[0]!.free);
  const slots = candidateStarts(common, optional, durationMs).map((start): Slot<K> => {
    const span = { start, end: start + durationMs };
    return { ...span, optionalFree: optional.filter((o) => containsSpan(o.free, span)).map((o) => o.key) };
  });
  slots.sort((a, b) => b.optionalFree.length - a.optionalFree.length || a.start - b.start);
  return slots.slice(0, limit);
}
