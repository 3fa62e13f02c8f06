import fc from 'fast-check';
import { clipSpans, containsSpan, intersectSpans, mergeSpans, type Span, subtractSpans } from '../../../src/modules/scheduling/domain/spans';

const s = (start: number, end: number): Span => ({ start, end });
const covers = (spans: readonly Span[], t: number) => spans.some((x) => x.start <= t && t < x.end);

/** Small integer spans, possibly empty or overlapping. */
const spanArb = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 30 })).map(([start, len]) => s(start, start + len));
const spansArb = fc.array(spanArb, { maxLength: 20 });

function isNormalised(spans: readonly Span[]): boolean {
  return spans.every((x, i) => x.end > x.start && (i === 0 || x.start > spans[i - 1]!.end));
}

/** Every integer instant and half-step of the range the arbitraries draw from. */
const instants = Array.from({ length: 2 * 135 }, (_, i) => i / 2);

describe('spans (pure)', () => {
  it('when spans overlap or touch, then merging joins them and drops empty ones', () => {
    expect(mergeSpans([s(5, 6), s(1, 3), s(3, 4), s(2, 2), s(8, 10), s(9, 9.5)])).toEqual([s(1, 4), s(5, 6), s(8, 10)]);
  });

  it('when lists intersect or subtract, then the result has exactly the expected pieces', () => {
    expect(intersectSpans([s(0, 10), s(20, 30)], [s(5, 25)])).toEqual([s(5, 10), s(20, 25)]);
    expect(subtractSpans([s(0, 10), s(20, 30)], [s(2, 3), s(9, 21), s(29, 40)])).toEqual([s(0, 2), s(3, 9), s(21, 29)]);
    expect(clipSpans([s(0, 10), s(20, 30)], s(5, 22))).toEqual([s(5, 10), s(20, 22)]);
  });

  it('when a span sits inside a list, then containsSpan finds it, and not one that crosses a gap', () => {
    const list = [s(0, 10), s(20, 30), s(40, 50)];
    expect(containsSpan(list, s(20, 30))).toBe(true);
    expect(containsSpan(list, s(42, 45))).toBe(true);
    expect(containsSpan(list, s(25, 41))).toBe(false);
    expect(containsSpan(list, s(10, 11))).toBe(false);
    expect(containsSpan([], s(1, 2))).toBe(false);
  });

  it('property: merge is normalised and covers exactly the instants of its input', () => {
    fc.assert(fc.property(spansArb, (spans) => {
      const merged = mergeSpans(spans);
      expect(isNormalised(merged)).toBe(true);
      for (const t of instants) expect(covers(merged, t)).toBe(covers(spans, t));
    }));
  });

  it('property: intersection and difference are the set operations on instants', () => {
    fc.assert(fc.property(spansArb, spansArb, (a0, b0) => {
      const [a, b] = [mergeSpans(a0), mergeSpans(b0)];
      const both = intersectSpans(a, b);
      const diff = subtractSpans(a, b);
      expect(isNormalised(both)).toBe(true);
      expect(isNormalised(mergeSpans(diff))).toBe(true);
      for (const t of instants) {
        expect(covers(both, t)).toBe(covers(a, t) && covers(b, t));
        expect(covers(diff, t)).toBe(covers(a, t) && !covers(b, t));
      }
    }));
  });

  it('property: containsSpan agrees with a linear search', () => {
    fc.assert(fc.property(spansArb, spanArb, (a0, probe) => {
      const a = mergeSpans(a0);
      fc.pre(probe.end > probe.start);
      expect(containsSpan(a, probe)).toBe(a.some((x) => x.start <= probe.start && probe.end <= x.end));
    }));
  });
});
