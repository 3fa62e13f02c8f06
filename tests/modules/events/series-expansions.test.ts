import { occurrencesOf } from '../../../src/modules/events/domain/timeline';
import type { EventRecord } from '../../../src/modules/events/event.entity';
import { SeriesExpansions } from '../../../src/modules/events/timeline/series-expansions';

/** A daily 09:00–10:00 Europe/Paris series from 2027-03-01 (across the switch to summer time, 03-28). */
function dailySeries(overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    calendar: { id: 'c' },
    host: { id: 'h' },
    title: 'Standup',
    description: null,
    location: null,
    status: 'confirmed',
    transparency: 'opaque',
    allDay: false,
    sequence: 0,
    start: new Date('2027-03-01T08:00:00Z'),
    end: new Date('2027-03-01T09:00:00Z'),
    timeZone: 'Europe/Paris',
    recurrence: { frequency: 'daily', interval: 1 },
    seriesEnd: null,
    rdates: [],
    exdates: [],
    series: null,
    originalStart: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...overrides,
  };
}

const MARCH_END = { from: new Date('2027-03-26T00:00:00Z'), to: new Date('2027-04-01T00:00:00Z') };

describe('remembered series expansions', () => {
  it('when the same series and window are expanded twice, then the second is the remembered result, equal to a fresh expansion', () => {
    const expansions = new SeriesExpansions();
    const first = expansions.expand(dailySeries(), MARCH_END, 10);
    expect(expansions.expand(dailySeries(), MARCH_END, 10)).toBe(first);
    expect(first).toEqual(occurrencesOf(dailySeries(), MARCH_END, 10));
    // 09:00 Paris is 08:00Z before the switch to summer time and 07:00Z after it.
    expect(first.map((o) => o.start.toISOString())).toEqual([
      '2027-03-26T08:00:00.000Z', '2027-03-27T08:00:00.000Z', '2027-03-28T07:00:00.000Z',
      '2027-03-29T07:00:00.000Z', '2027-03-30T07:00:00.000Z', '2027-03-31T07:00:00.000Z',
    ]);
  });

  it('when the series changes (an exception date, another rule, another zone), then it is expanded again, never served stale', () => {
    const expansions = new SeriesExpansions();
    const before = expansions.expand(dailySeries(), MARCH_END);
    const cancelled = expansions.expand(dailySeries({ exdates: ['2027-03-27T08:00:00.000Z'] }), MARCH_END);
    expect(cancelled).toHaveLength(before.length - 1);
    expect(cancelled.map((o) => o.start.toISOString())).not.toContain('2027-03-27T08:00:00.000Z');
    expect(expansions.expand(dailySeries({ recurrence: { frequency: 'daily', interval: 2 } }), MARCH_END)).toEqual(occurrencesOf(dailySeries({ recurrence: { frequency: 'daily', interval: 2 } }), MARCH_END));
    expect(expansions.expand(dailySeries({ timeZone: 'UTC' }), MARCH_END).map((o) => o.start.getUTCHours())).toEqual([8, 8, 8, 8, 8, 8]);
    expect(expansions.expand(dailySeries(), MARCH_END)).toBe(before);
  });

  it('when the window or the limit differs, then each is its own expansion', () => {
    const expansions = new SeriesExpansions();
    expect(expansions.expand(dailySeries(), MARCH_END, 2)).toHaveLength(2);
    expect(expansions.expand(dailySeries(), MARCH_END)).toHaveLength(6);
    expect(expansions.expand(dailySeries(), { from: MARCH_END.from, to: new Date('2027-03-27T00:00:00Z') })).toHaveLength(1);
  });
});
