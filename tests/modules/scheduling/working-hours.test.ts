import { Temporal } from '@js-temporal/polyfill';
import fc from 'fast-check';
import { DEFAULT_WORKING_HOURS, WEEKDAYS, workingHoursProblems, workingSpans } from '../../../src/modules/scheduling/domain/working-hours';

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const window = (from: string, to: string) => ({ start: Date.parse(from), end: Date.parse(to) });

describe('working hours (pure)', () => {
  it('when the week crosses the spring-forward change of Europe/Paris, then 09:00–17:00 stays local time', () => {
    // 2026-03-29: CET (+01:00) becomes CEST (+02:00).
    const spans = workingSpans(DEFAULT_WORKING_HOURS, 'Europe/Paris', window('2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z'));
    expect(spans.map((x) => [iso(x.start), iso(x.end)])).toEqual([
      ['2026-03-27T08:00', '2026-03-27T16:00'],
      ['2026-03-30T07:00', '2026-03-30T15:00'],
    ]);
  });

  it('when the fall-back change of America/New_York passes, then the next Monday starts an hour later in UTC', () => {
    const spans = workingSpans({ daysOfWeek: ['friday', 'monday'], startTime: '09:00', endTime: '17:00' }, 'America/New_York', window('2026-10-30T00:00:00Z', '2026-11-03T00:00:00Z'));
    expect(spans.map((x) => [iso(x.start), iso(x.end)])).toEqual([
      ['2026-10-30T13:00', '2026-10-30T21:00'],
      ['2026-11-02T14:00', '2026-11-02T22:00'],
    ]);
  });

  it('when a start time does not exist on a DST day, then it moves forward by the gap', () => {
    const spans = workingSpans({ daysOfWeek: ['sunday'], startTime: '02:30', endTime: '04:00' }, 'Europe/Paris', window('2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z'));
    // 02:30 does not exist: 03:30 CEST = 01:30Z; 04:00 CEST = 02:00Z.
    expect(spans.map((x) => [iso(x.start), iso(x.end)])).toEqual([['2026-03-29T01:30', '2026-03-29T02:00']]);
  });

  it('when whole days are working hours, then consecutive days merge and the window clips them', () => {
    const spans = workingSpans({ daysOfWeek: ['monday', 'tuesday'], startTime: '00:00', endTime: '24:00' }, 'UTC', window('2027-01-04T12:00:00Z', '2027-01-10T00:00:00Z'));
    expect(spans.map((x) => [iso(x.start), iso(x.end)])).toEqual([['2027-01-04T12:00', '2027-01-06T00:00']]);
  });

  it('when working hours are malformed, then each problem is named by its path', () => {
    expect(workingHoursProblems(DEFAULT_WORKING_HOURS)).toEqual([]);
    expect(workingHoursProblems({ daysOfWeek: ['monday', 'monday'], startTime: '17:00', endTime: '09:00' }).map(([p]) => p)).toEqual(['/endTime', '/daysOfWeek/1']);
    expect(workingHoursProblems({ daysOfWeek: [], startTime: '24:00', endTime: '25:00' }).map(([p]) => p)).toEqual(['/startTime', '/endTime']);
  });
});

describe('working hours (property)', () => {
  const ZONES = ['Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham', 'UTC'];
  const at = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

  it('property: an instant is inside the spans exactly when its local weekday and wall-clock time are inside the hours, across DST changes', () => {
    fc.assert(fc.property(
      fc.constantFrom(...ZONES),
      fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 1) }),
      fc.integer({ min: 1, max: 40 * 24 * 4 }),
      fc.subarray([...WEEKDAYS], { minLength: 0 }),
      // Starts from 05:00 and ends from 13:00: DST changes of these zones happen between 00:00 and 04:00 local time.
      fc.integer({ min: 20, max: 48 }),
      fc.integer({ min: 52, max: 96 }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 40, maxLength: 40 }),
      (zone, from, quarters, days, startQ, endQ, probes) => {
        const window = { start: from, end: from + quarters * 15 * 60_000 };
        const hours = { daysOfWeek: days, startTime: at(startQ * 15), endTime: at(endQ * 15) };
        const spans = workingSpans(hours, zone, window);
        spans.forEach((s, i) => {
          expect(s.start).toBeGreaterThanOrEqual(window.start);
          expect(s.end).toBeLessThanOrEqual(window.end);
          expect(s.end).toBeGreaterThan(s.start);
          if (i > 0) expect(s.start).toBeGreaterThan(spans[i - 1]!.end);
        });
        for (const p of probes) {
          const t = Math.floor(window.start + p * (window.end - window.start - 1));
          const local = Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO(zone);
          const minutes = local.hour * 60 + local.minute;
          const expected = days.includes(WEEKDAYS[local.dayOfWeek - 1]!) && minutes >= startQ * 15 && minutes < endQ * 15;
          expect(spans.some((s) => s.start <= t && t < s.end)).toBe(expected);
        }
      },
    ), { numRuns: 200 });
  });
});
