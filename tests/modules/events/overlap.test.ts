import fc from 'fast-check';
import { candidateIntervals, clashesOf, OVERLAP_HORIZON_DAYS, spanOf } from '../../../src/modules/events/availability/overlap';
import { isBusy } from '../../../src/modules/events/domain/event-status';
import type { EventRecord } from '../../../src/modules/events/event.entity';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const d = (iso: string) => new Date(iso);
const at = (start: string, hours = 1) => ({ start: d(start), end: new Date(d(start).getTime() + hours * HOUR) });

function record(fields: Partial<EventRecord>): EventRecord {
  const now = d('2026-01-01T00:00:00Z');
  return {
    id: 'e', title: 't', description: null, location: null, status: 'confirmed', transparency: 'opaque', allDay: false, sequence: 0, ...at('2026-03-02T08:00:00Z'), timeZone: 'UTC', recurrence: null, seriesEnd: null, rdates: [],
    exdates: [], originalStart: null, createdAt: now, updatedAt: now, calendar: { id: 'c' }, host: { id: 'h' }, series: null, ...fields,
  };
}

describe('candidateIntervals', () => {
  it('when the entry is single, then it occupies itself only', () => {
    const e = record({});
    expect(candidateIntervals(e)).toEqual([e]);
  });

  it('when the series ends, then each of its occurrences is a candidate, cancelled ones left out', () => {
    const e = record({ recurrence: { frequency: 'daily', interval: 1, count: 3 }, seriesEnd: d('2026-03-04T09:00:00Z'), exdates: ['2026-03-03T08:00:00.000Z'] });
    expect(candidateIntervals(e).map((c) => c.start.toISOString())).toEqual(['2026-03-02T08:00:00.000Z', '2026-03-04T08:00:00.000Z']);
  });

  it('when the series is endless, then it is checked up to the horizon only', () => {
    const e = record({ recurrence: { frequency: 'daily', interval: 1 } });
    const candidates = candidateIntervals(e);
    expect(candidates).toHaveLength(OVERLAP_HORIZON_DAYS);
    expect(candidates[candidates.length - 1]!.start.getTime()).toBeLessThan(e.start.getTime() + OVERLAP_HORIZON_DAYS * DAY);
  });
});

describe('isBusy and the overlap check', () => {
  it('when an entry is cancelled or transparent, then it is not busy and occupies nothing', () => {
    expect(isBusy(record({}))).toBe(true);
    expect(isBusy(record({ status: 'tentative' }))).toBe(true);
    expect(isBusy(record({ status: 'cancelled' }))).toBe(false);
    expect(isBusy(record({ transparency: 'transparent' }))).toBe(false);
    expect(candidateIntervals(record({ status: 'cancelled' }))).toEqual([]);
    expect(candidateIntervals(record({ transparency: 'transparent', recurrence: { frequency: 'daily', interval: 1, count: 3 } }))).toEqual([]);
  });

  it('when an existing item is cancelled or transparent, then it never clashes', () => {
    const busy = { ...at('2026-03-02T08:00:00Z'), row: record({}) };
    const free = { ...at('2026-03-02T08:00:00Z'), row: record({ transparency: 'transparent' }) };
    const off = { ...at('2026-03-02T08:00:00Z'), row: record({ status: 'cancelled' }) };
    expect(clashesOf([free, off, busy], [at('2026-03-02T08:30:00Z')])).toEqual([busy]);
  });
});

describe('clashesOf and spanOf', () => {
  it('when intervals meet back to back, then they do not clash; sharing one instant does', () => {
    const items = [at('2026-03-02T07:00:00Z'), at('2026-03-02T09:00:00Z'), at('2026-03-02T08:59:00Z')];
    expect(clashesOf(items, [at('2026-03-02T08:00:00Z')])).toEqual([items[2]]);
  });

  it('when more items clash than the maximum, then the first ones in order are returned', () => {
    const items = Array.from({ length: 30 }, (_, i) => at(new Date(d('2026-03-02T00:00:00Z').getTime() + i * 60_000).toISOString()));
    expect(clashesOf(items, [at('2026-03-02T00:00:00Z', 2)], 20)).toEqual(items.slice(0, 20));
  });

  it('when nothing is checked against, then nothing clashes', () => {
    expect(clashesOf([at('2026-03-02T08:00:00Z')], [])).toEqual([]);
  });

  it('the span holds every candidate (property)', () => {
    const interval = fc.tuple(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 1e7 })).map(([s, l]) => ({ start: new Date(s), end: new Date(s + l) }));
    fc.assert(
      fc.property(fc.array(interval, { minLength: 1, maxLength: 20 }), (xs) => {
        const sorted = [...xs].sort((a, b) => a.start.getTime() - b.start.getTime());
        const span = spanOf(sorted);
        return sorted.every((c) => c.start >= span.from && c.end <= span.to);
      }),
    );
  });
});
