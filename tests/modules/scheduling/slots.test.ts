import fc from 'fast-check';
import { SLOT_ALIGN_MS, suggestSlots } from '../../../src/modules/scheduling/domain/slots';
import { mergeSpans, type Span } from '../../../src/modules/scheduling/domain/spans';

const MIN = 60_000;
const H = 60 * MIN;
const at = (h: number, m = 0) => Date.UTC(2027, 0, 4, h, m);
const s = (start: number, end: number): Span => ({ start, end });

describe('suggestSlots (pure)', () => {
  it('when two required attendees share one free hour, then the slots fall in it, earliest first', () => {
    const slots = suggestSlots({
      required: [{ key: 'a', free: [s(at(9), at(12))] }, { key: 'b', free: [s(at(10, 10), at(11, 30))] }],
      optional: [],
      durationMs: 30 * MIN,
      limit: 10,
    });
    // 10:10 rounds up to 10:15; then every 30 minutes while the slot fits before 11:30.
    expect(slots.map((x) => [new Date(x.start).toISOString(), new Date(x.end).toISOString()])).toEqual([
      ['2027-01-04T10:15:00.000Z', '2027-01-04T10:45:00.000Z'],
      ['2027-01-04T10:45:00.000Z', '2027-01-04T11:15:00.000Z'],
    ]);
  });

  it('when an optional attendee is free only later, then that slot ranks first, and ties go to the earliest', () => {
    const slots = suggestSlots({
      required: [{ key: 'a', free: [s(at(9), at(17))] }],
      optional: [{ key: 'o1', free: [s(at(14, 15), at(15, 15))] }, { key: 'o2', free: [s(at(14), at(16))] }],
      durationMs: H,
      limit: 3,
    });
    expect(slots[0]).toEqual({ start: at(14, 15), end: at(15, 15), optionalFree: ['o1', 'o2'] });
    expect(slots[1]).toEqual({ start: at(14), end: at(15), optionalFree: ['o2'] });
    expect(slots[2]).toEqual({ start: at(14, 30), end: at(15, 30), optionalFree: ['o2'] });
  });

  it('when nobody is required, the duration does not fit or the limit is 0, then there is no slot', () => {
    expect(suggestSlots({ required: [], optional: [{ key: 'o', free: [s(at(9), at(17))] }], durationMs: H, limit: 5 })).toEqual([]);
    expect(suggestSlots({ required: [{ key: 'a', free: [s(at(9), at(9, 45))] }], optional: [], durationMs: H, limit: 5 })).toEqual([]);
    expect(suggestSlots({ required: [{ key: 'a', free: [s(at(9), at(17))] }], optional: [], durationMs: H, limit: 0 })).toEqual([]);
  });

  const freeArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 12 })), { maxLength: 6 })
    .map((pairs) => mergeSpans(pairs.map(([q, len]) => s(at(8) + q * SLOT_ALIGN_MS, at(8) + (q + len) * SLOT_ALIGN_MS))));

  it('property: every slot is inside every required attendee\'s free time, lists exactly the optional ones free, and the ranking holds', () => {
    fc.assert(fc.property(fc.array(freeArb, { minLength: 1, maxLength: 3 }), fc.array(freeArb, { maxLength: 3 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 20 }), (req, opt, quarters, limit) => {
      const durationMs = quarters * SLOT_ALIGN_MS;
      const inside = (free: Span[], x: Span) => free.some((f) => f.start <= x.start && x.end <= f.end);
      const slots = suggestSlots({ required: req.map((free, i) => ({ key: i, free })), optional: opt.map((free, i) => ({ key: i, free })), durationMs, limit });
      expect(slots.length).toBeLessThanOrEqual(limit);
      expect(new Set(slots.map((x) => x.start)).size).toBe(slots.length);
      for (const [i, slot] of slots.entries()) {
        expect(slot.end - slot.start).toBe(durationMs);
        expect(slot.start % SLOT_ALIGN_MS).toBe(0);
        for (const free of req) expect(inside(free, slot)).toBe(true);
        expect(slot.optionalFree).toEqual(opt.map((free, k) => (inside(free, slot) ? k : -1)).filter((k) => k >= 0));
        const prev = slots[i - 1];
        if (prev) expect(prev.optionalFree.length > slot.optionalFree.length || (prev.optionalFree.length === slot.optionalFree.length && prev.start < slot.start)).toBe(true);
      }
      // Some slot exists whenever the required attendees share a quarter-aligned stretch of the length.
      const grid = Array.from({ length: 60 }, (_, q) => s(at(8) + q * SLOT_ALIGN_MS, at(8) + q * SLOT_ALIGN_MS + durationMs));
      if (grid.some((x) => req.every((free) => inside(free, x)))) expect(slots.length).toBeGreaterThan(0);
    }));
  });
});
