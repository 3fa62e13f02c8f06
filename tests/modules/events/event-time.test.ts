import { Temporal } from '@js-temporal/polyfill';
import fc from 'fast-check';
import { isTimeZone } from '../../../src/infra/time-zone';
import { addDuration, assertWithinOneDay, formatDuration, overlaps, resolveInterval } from '../../../src/modules/events/domain/event-time';

const d = (iso: string) => new Date(iso);

describe('event time rules', () => {
  it('when a duration with days crosses a DST change, then it is added in wall-clock time', () => {
    // Europe/Paris falls back on 2026-10-25: that local day lasts 25 hours.
    expect(addDuration(d('2026-10-25T00:00:00+02:00'), 'P1D', 'Europe/Paris').toISOString()).toBe('2026-10-25T23:00:00.000Z');
    // and springs forward on 2026-03-29: 23 hours.
    expect(addDuration(d('2026-03-29T00:00:00+01:00'), 'P1D', 'Europe/Paris').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(addDuration(d('2026-03-29T00:00:00+01:00'), 'PT24H', 'Europe/Paris').toISOString()).toBe('2026-03-29T23:00:00.000Z');
  });

  it('when the end is the next local midnight, then the entry is within one day; a minute more is not', () => {
    expect(() => assertWithinOneDay({ start: d('2026-06-01T20:00:00-04:00'), end: d('2026-06-02T00:00:00-04:00') }, 'America/New_York')).not.toThrow();
    expect(() => assertWithinOneDay({ start: d('2026-06-01T20:00:00-04:00'), end: d('2026-06-02T00:01:00-04:00') }, 'America/New_York')).toThrow(/one day/);
  });

  it('when local midnight is skipped by DST, then the next day starts at the first instant that exists', () => {
    // America/Santiago springs forward at 24:00 on 2026-09-05 → 2026-09-06 starts at 01:00 local.
    const start = d('2026-09-05T20:00:00-04:00');
    expect(() => assertWithinOneDay({ start, end: d('2026-09-06T01:00:00-03:00') }, 'America/Santiago')).not.toThrow();
  });

  it('when durations are formatted, then they use hours, minutes and seconds', () => {
    expect(formatDuration(90 * 60_000)).toBe('PT1H30M');
    expect(formatDuration(25 * 3_600_000)).toBe('PT25H');
    expect(formatDuration(45_000)).toBe('PT45S');
  });

  it('when time zones are checked, then IANA names pass and offsets or unknown names do not', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('+01:00')).toBe(false);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('when end and duration disagree, then both paths are reported', () => {
    expect(() => resolveInterval({ start: d('2026-01-01T10:00:00Z'), end: d('2026-01-01T11:00:00Z'), duration: 'PT30M', timeZone: 'UTC' })).toThrow(/disagree/);
  });

  it('formatDuration matches Temporal.Duration balanced to hours (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200 * 3_600_000, max: 200 * 3_600_000 }), (ms) => {
        expect(formatDuration(ms)).toBe(Temporal.Duration.from({ milliseconds: ms }).round({ largestUnit: 'hours' }).toString());
      }),
    );
  });

  it('overlap is half-open and symmetric (property)', () => {
    const interval = fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 500 })).map(([s, len]) => ({ start: new Date(s * 60_000), end: new Date((s + len) * 60_000) }));
    fc.assert(
      fc.property(interval, interval, (a, b) => {
        const brute = a.start < b.end && b.start < a.end;
        expect(overlaps(a, b)).toBe(brute);
        expect(overlaps(a, b)).toBe(overlaps(b, a));
        expect(overlaps(a, { start: a.end, end: new Date(a.end.getTime() + 1) })).toBe(false);
      }),
    );
  });
});
