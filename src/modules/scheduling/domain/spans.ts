/**
 * Pure arithmetic on sets of time spans: merge, intersection, difference. A span is half-open,
 * `[start, end)`, in epoch milliseconds (UTC); back-to-back spans touch but do not overlap. A
 * "normalised" list is sorted by start, without empty spans, and with no two spans overlapping or
 * touching: every function here returns one, and those that take two lists expect normalised input.
 * Numbers rather than `Date`s: a free/busy answer merges tens of thousands of entries.
 */

/** `[start, end)`, epoch milliseconds. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The union of `spans` (any order, may overlap, empty ones ignored) as a normalised list: overlapping
 * and touching spans become one (free/busy reports "busy 9:00–11:00" for two back-to-back meetings,
 * as Google Calendar's freebusy.query does). O(n log n).
 */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) {
      if (s.end > last.end) last.end = s.end;
    } else {
      out.push({ start: s.start, end: s.end });
    }
  }
  return out;
}

/** The parts of normalised `spans` inside `window`. */
export function clipSpans(spans: readonly Span[], window: Span): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    const start = Math.max(s.start, window.start);
    const end = Math.min(s.end, window.end);
    if (end > start) out.push({ start, end });
  }
  return out;
}

/** The instants in both normalised lists `a` and `b`, normalised. O(|a| + |b|). */
export function intersectSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (end > start) out.push({ start, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}

/** The instants in normalised `a` that are not in normalised `b` (e.g. working hours minus busy), normalised. O(|a| + |b|). */
export function subtractSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let j = 0;
  for (const x of a) {
    let start = x.start;
    while (j < b.length && b[j]!.end <= start) j++;
    let k = j;
    while (k < b.length && b[k]!.start < x.end) {
      const y = b[k]!;
      if (y.start > start) out.push({ start, end: y.start });
      start = Math.max(start, y.end);
      k++;
    }
    if (x.end > start) out.push({ start, end: x.end });
  }
  return out;
}

/** True when `span` lies inside one span of normalised `spans` (binary search, O(log n)). */
export function containsSpan(spans: readonly Span[], span: Span): boolean {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid]!;
    if (s.end < span.end) lo = mid + 1;
    else if (s.start > span.start) hi = mid - 1;
    else return true;
  }
  return false;
}
