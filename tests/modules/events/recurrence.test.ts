import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { AppError } from '../../../src/infra/errors';
import { toZoned } from '../../../src/modules/events/event-time';
import {
  expandOccurrences,
  MAX_OCCURRENCES,
  occurrenceId,
  parseEntryId,
  rekeyOriginalStarts,
  seriesEnd,
  shiftWallClock,
  splitRecurrence,
  toRRule,
  validateRecurrence,
  type Recurrence,
  type SeriesTiming,
} from '../../../src/modules/events/recurrence';

const HOUR = 3_600_000;
const d = (iso: string) => new Date(iso);
const iso = (xs: { start: Date }[]) => xs.map((o) => o.start.toISOString());
const local = (xs: { start: Date }[], tz: string) => xs.map((o) => toZoned(o.start, tz).toPlainDateTime().toString());

function series(start: string, timeZone: string, recurrence: Recurrence, extra: Partial<SeriesTiming> = {}): SeriesTiming {
  return { start: d(start), durationMs: HOUR, timeZone, recurrence, ...extra };
}

function fieldErrors(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).status).toBe(400);
    return ((e as AppError).details.errors ?? []).map((x) => x.path);
  }
  throw new Error('expected an AppError');
}

describe('validateRecurrence', () => {
  const first = d('2026-01-10T09:00:00Z');

  it('when the recurrence is sound, then it passes', () => {
    expect(() => validateRecurrence({ frequency: 'weekly', interval: 1 }, first)).not.toThrow();
    expect(() => validateRecurrence({ frequency: 'daily', interval: 1000, count: 10_000 }, first)).not.toThrow();
    expect(() => validateRecurrence({ frequency: 'monthly', interval: 1, until: first }, first)).not.toThrow();
  });

  it.each([
    [{ frequency: 'daily', interval: 0 }, ['/recurrence/interval']],
    [{ frequency: 'daily', interval: 1001 }, ['/recurrence/interval']],
    [{ frequency: 'daily', interval: 1.5 }, ['/recurrence/interval']],
    [{ frequency: 'daily', interval: 1, count: 0 }, ['/recurrence/count']],
    [{ frequency: 'daily', interval: 1, count: 10_001 }, ['/recurrence/count']],
    [{ frequency: 'yearly', interval: 1 }, ['/recurrence/frequency']],
    [{ frequency: 'daily', interval: 1, count: 3, until: d('2026-02-01T00:00:00Z') }, ['/recurrence/until']],
    [{ frequency: 'daily', interval: 1, until: d('2026-01-10T08:59:59Z') }, ['/recurrence/until']],
    [{ frequency: 'daily', interval: 1, until: new Date(NaN) }, ['/recurrence/until']],
    [{ frequency: 'hourly', interval: -1, count: 0 }, ['/recurrence/frequency', '/recurrence/interval', '/recurrence/count']],
  ])('when the recurrence is %o, then it is a 400 on %o', (r, paths) => {
    expect(fieldErrors(() => validateRecurrence(r as Recurrence, first))).toEqual(paths);
  });

  it('when a path is given, then the field errors are under it', () => {
    expect(fieldErrors(() => validateRecurrence({ frequency: 'daily', interval: 0 }, first, '/input/recurrence'))).toEqual(['/input/recurrence/interval']);
  });
});

describe('toRRule', () => {
  it('when count is set, then it is FREQ;INTERVAL;COUNT', () => {
    expect(toRRule({ frequency: 'weekly', interval: 1, count: 10 })).toBe('FREQ=WEEKLY;INTERVAL=1;COUNT=10');
  });
  it('when until is set, then it is written in UTC with Z and whole seconds (RFC 5545 3.3.10)', () => {
    expect(toRRule({ frequency: 'daily', interval: 2, until: d('2026-12-31T23:59:59.789+00:00') })).toBe('FREQ=DAILY;INTERVAL=2;UNTIL=20261231T235959Z');
    expect(toRRule({ frequency: 'monthly', interval: 3, until: d('2027-01-01T00:59:59+01:00') })).toBe('FREQ=MONTHLY;INTERVAL=3;UNTIL=20261231T235959Z');
  });
  it('when the series is endless, then there is neither COUNT nor UNTIL', () => {
    expect(toRRule({ frequency: 'monthly', interval: 1 })).toBe('FREQ=MONTHLY;INTERVAL=1');
  });
});

describe('expandOccurrences across DST', () => {
  it('when a weekly 09:00 Europe/Paris series crosses the last Sunday of October, then it stays 09:00 local (07:00Z, then 08:00Z)', () => {
    const s = series('2026-10-12T07:00:00Z', 'Europe/Paris', { frequency: 'weekly', interval: 1 });
    const occ = expandOccurrences(s, { from: d('2026-10-01T00:00:00Z'), to: d('2026-11-10T00:00:00Z') });
    expect(iso(occ)).toEqual(['2026-10-12T07:00:00.000Z', '2026-10-19T07:00:00.000Z', '2026-10-26T08:00:00.000Z', '2026-11-02T08:00:00.000Z', '2026-11-09T08:00:00.000Z']);
    expect(new Set(local(occ, 'Europe/Paris').map((t) => t.slice(11)))).toEqual(new Set(['09:00:00']));
  });

  it('when a daily Europe/Paris series crosses the last Sunday of March, then 09:00 CET (08:00Z) becomes 09:00 CEST (07:00Z)', () => {
    const s = series('2026-03-27T08:00:00Z', 'Europe/Paris', { frequency: 'daily', interval: 1, count: 4 });
    expect(iso(expandOccurrences(s, { from: d('2026-03-01T00:00:00Z'), to: d('2026-04-30T00:00:00Z') }))).toEqual([
      '2026-03-27T08:00:00.000Z',
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });

  it('when a weekly America/New_York series crosses the second Sunday of March, then 09:00 EST (14:00Z) becomes 09:00 EDT (13:00Z)', () => {
    const s = series('2026-03-01T14:00:00Z', 'America/New_York', { frequency: 'weekly', interval: 1, count: 3 });
    expect(iso(expandOccurrences(s, { from: d('2026-01-01T00:00:00Z'), to: d('2027-01-01T00:00:00Z') }))).toEqual([
      '2026-03-01T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-15T13:00:00.000Z',
    ]);
  });

  it('when a daily America/New_York series crosses the first Sunday of November, then 09:00 EDT (13:00Z) becomes 09:00 EST (14:00Z)', () => {
    const s = series('2026-10-31T13:00:00Z', 'America/New_York', { frequency: 'daily', interval: 1, until: d('2026-11-02T14:00:00Z') });
    expect(iso(expandOccurrences(s, { from: d('2026-10-01T00:00:00Z'), to: d('2026-12-01T00:00:00Z') }))).toEqual([
      '2026-10-31T13:00:00.000Z',
      '2026-11-01T14:00:00.000Z',
      '2026-11-02T14:00:00.000Z',
    ]);
  });

  it('when a generated local time falls in the spring-forward gap, then that occurrence is skipped and does not count (RFC 5545 3.3.10)', () => {
    // 02:30 New York does not exist on 2026-03-08.
    const s = series('2026-03-07T07:30:00Z', 'America/New_York', { frequency: 'daily', interval: 1, count: 3 });
    expect(local(expandOccurrences(s, { from: d('2026-03-01T00:00:00Z'), to: d('2026-04-01T00:00:00Z') }), 'America/New_York')).toEqual([
      '2026-03-07T02:30:00',
      '2026-03-09T02:30:00',
      '2026-03-10T02:30:00',
    ]);
  });

  it('when a generated local time is repeated on the fall-back day, then the earlier instant is used', () => {
    const s = series('2026-10-31T05:30:00Z', 'America/New_York', { frequency: 'daily', interval: 1, count: 2 });
    expect(iso(expandOccurrences(s, { from: d('2026-10-01T00:00:00Z'), to: d('2026-12-01T00:00:00Z') }))).toEqual([
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z', // 01:30 EDT, not 01:30 EST (06:30Z)
    ]);
  });
});

describe('expandOccurrences: calendar rules', () => {
  const all = { from: d('2000-01-01T00:00:00Z'), to: d('2100-01-01T00:00:00Z') };

  it('when a monthly series starts on the 31st, then months without a 31st are skipped (RFC 5545 3.3.10)', () => {
    const s = series('2026-01-31T09:00:00Z', 'UTC', { frequency: 'monthly', interval: 1, count: 4 });
    expect(iso(expandOccurrences(s, all)).map((t) => t.slice(0, 10))).toEqual(['2026-01-31', '2026-03-31', '2026-05-31', '2026-07-31']);
  });

  it('when a monthly series starts on the 30th, then only February is skipped', () => {
    const s = series('2026-01-30T09:00:00Z', 'Europe/Paris', { frequency: 'monthly', interval: 1, count: 3 });
    expect(local(expandOccurrences(s, all), 'Europe/Paris')).toEqual(['2026-01-30T10:00:00', '2026-03-30T10:00:00', '2026-04-30T10:00:00']);
  });

  it('when a monthly series starts on the 29th, then February is kept in leap years only', () => {
    const s = series('2027-12-29T09:00:00Z', 'UTC', { frequency: 'monthly', interval: 1, count: 4 });
    expect(iso(expandOccurrences(s, all)).map((t) => t.slice(0, 10))).toEqual(['2027-12-29', '2028-01-29', '2028-02-29', '2028-03-29']);
    const s2 = series('2026-01-29T09:00:00Z', 'UTC', { frequency: 'monthly', interval: 1, count: 3 });
    expect(iso(expandOccurrences(s2, all)).map((t) => t.slice(0, 10))).toEqual(['2026-01-29', '2026-03-29', '2026-04-29']);
  });

  it('when a daily series crosses Feb 29 of a leap year, then Feb 29 is an occurrence', () => {
    const s = series('2028-02-27T09:00:00Z', 'UTC', { frequency: 'daily', interval: 1, count: 4 });
    expect(iso(expandOccurrences(s, all)).map((t) => t.slice(0, 10))).toEqual(['2028-02-27', '2028-02-28', '2028-02-29', '2028-03-01']);
  });

  it('when a monthly series starts on Feb 29 with interval 12, then it only recurs in leap years', () => {
    const s = series('2028-02-29T09:00:00Z', 'UTC', { frequency: 'monthly', interval: 12, count: 3 });
    expect(iso(expandOccurrences(s, all)).map((t) => t.slice(0, 10))).toEqual(['2028-02-29', '2032-02-29', '2036-02-29']);
  });

  it('when the interval is greater than 1, then every interval-th period is kept', () => {
    const weekly = series('2026-01-05T09:00:00Z', 'UTC', { frequency: 'weekly', interval: 2, count: 3 });
    expect(iso(expandOccurrences(weekly, all)).map((t) => t.slice(0, 10))).toEqual(['2026-01-05', '2026-01-19', '2026-02-02']);
    const daily = series('2026-01-05T09:00:00Z', 'UTC', { frequency: 'daily', interval: 3, count: 3 });
    expect(iso(expandOccurrences(daily, all)).map((t) => t.slice(0, 10))).toEqual(['2026-01-05', '2026-01-08', '2026-01-11']);
  });

  it('when until is exactly an occurrence start, then that occurrence is included (until is inclusive)', () => {
    const s = series('2026-01-05T09:00:00Z', 'UTC', { frequency: 'daily', interval: 1, until: d('2026-01-07T09:00:00Z') });
    expect(iso(expandOccurrences(s, all))).toEqual(['2026-01-05T09:00:00.000Z', '2026-01-06T09:00:00.000Z', '2026-01-07T09:00:00.000Z']);
    const s2 = series('2026-01-05T09:00:00Z', 'UTC', { frequency: 'daily', interval: 1, until: d('2026-01-07T08:59:59Z') });
    expect(expandOccurrences(s2, all)).toHaveLength(2);
  });

  it('when count is set, then exactly count occurrences are generated and exception dates do not give any back', () => {
    const s = series('2026-01-05T09:00:00Z', 'UTC', { frequency: 'daily', interval: 1, count: 3 }, { exdates: [d('2026-01-06T09:00:00Z')] });
    expect(iso(expandOccurrences(s, all))).toEqual(['2026-01-05T09:00:00.000Z', '2026-01-07T09:00:00.000Z']);
  });

  it('when exception dates are given, then those original starts are removed and others (not occurrences) are ignored', () => {
    const s = series('2026-10-19T07:00:00Z', 'Europe/Paris', { frequency: 'weekly', interval: 1 }, {
      exdates: [d('2026-10-26T08:00:00Z'), d('2026-10-27T08:00:00Z')],
    });
    expect(iso(expandOccurrences(s, { from: d('2026-10-19T00:00:00Z'), to: d('2026-11-03T00:00:00Z') }))).toEqual(['2026-10-19T07:00:00.000Z', '2026-11-02T08:00:00.000Z']);
  });

  it('when occurrences are returned, then originalStart equals start and end is start + duration', () => {
    const s = series('2026-01-05T09:00:00Z', 'UTC', { frequency: 'daily', interval: 1, count: 1 }, { durationMs: 90 * 60_000 });
    expect(expandOccurrences(s, all)).toEqual([{ originalStart: d('2026-01-05T09:00:00Z'), start: d('2026-01-05T09:00:00Z'), end: d('2026-01-05T10:30:00Z') }]);
  });
});

describe('expandOccurrences: the window [from, to)', () => {
  const s = series('2026-01-05T09:00:00Z', 'UTC', { frequency: 'daily', interval: 1 }, { durationMs: 2 * HOUR });

  it('when an occurrence started before the window and ends inside it, then it is included', () => {
    expect(iso(expandOccurrences(s, { from: d('2026-01-06T10:00:00Z'), to: d('2026-01-06T12:00:00Z') }))).toEqual(['2026-01-06T09:00:00.000Z']);
  });

  it('when an occurrence ends exactly at from, then it is excluded (half-open)', () => {
    expect(expandOccurrences(s, { from: d('2026-01-06T11:00:00Z'), to: d('2026-01-07T09:00:00Z') })).toEqual([]);
  });

  it('when an occurrence starts exactly at to, then it is excluded, and one starting at from is included', () => {
    expect(iso(expandOccurrences(s, { from: d('2026-01-06T09:00:00Z'), to: d('2026-01-07T09:00:00Z') }))).toEqual(['2026-01-06T09:00:00.000Z']);
  });

  it('when the window is before the first start or after the last occurrence, then nothing is returned', () => {
    expect(expandOccurrences(s, { from: d('2025-01-01T00:00:00Z'), to: d('2026-01-05T09:00:00Z') })).toEqual([]);
    const counted = { ...s, recurrence: { frequency: 'daily' as const, interval: 1, count: 2 } };
    expect(expandOccurrences(counted, { from: d('2026-01-07T00:00:00Z'), to: d('2027-01-01T00:00:00Z') })).toEqual([]);
  });

  it('when the window is empty or reversed, then nothing is returned', () => {
    expect(expandOccurrences(s, { from: d('2026-01-07T00:00:00Z'), to: d('2026-01-07T00:00:00Z') })).toEqual([]);
    expect(expandOccurrences(s, { from: d('2026-01-08T00:00:00Z'), to: d('2026-01-07T00:00:00Z') })).toEqual([]);
  });

  it('when an endless series is asked for a window centuries later, then it jumps there and answers correctly', () => {
    const paris = series('2026-10-12T07:00:00Z', 'Europe/Paris', { frequency: 'weekly', interval: 3 });
    const occ = expandOccurrences(paris, { from: d('2226-10-01T00:00:00Z'), to: d('2226-12-01T00:00:00Z') });
    expect(occ.length).toBeGreaterThanOrEqual(2);
    expect(new Set(local(occ, 'Europe/Paris').map((t) => t.slice(11)))).toEqual(new Set(['09:00:00']));
    // Phase: whole multiples of 3 weeks after the first start.
    for (const o of occ) expect(Math.round((o.start.getTime() - paris.start.getTime()) / (24 * HOUR)) % 21).toBe(0);
  });

  it('when limit is given, then only the earliest `limit` occurrences are returned; the default is the cap', () => {
    expect(iso(expandOccurrences(s, { from: d('2026-01-01T00:00:00Z'), to: d('2027-01-01T00:00:00Z') }, { limit: 2 }))).toEqual(['2026-01-05T09:00:00.000Z', '2026-01-06T09:00:00.000Z']);
    const wide = expandOccurrences(s, { from: d('2026-01-01T00:00:00Z'), to: d('2100-01-01T00:00:00Z') });
    expect(wide).toHaveLength(MAX_OCCURRENCES);
    expect(wide.at(-1)!.start.toISOString()).toBe(new Date(s.start.getTime() + (MAX_OCCURRENCES - 1) * 24 * HOUR).toISOString());
    expect(expandOccurrences(s, { from: d('2026-01-01T00:00:00Z'), to: d('2100-01-01T00:00:00Z') }, { limit: 50_000 })).toHaveLength(MAX_OCCURRENCES);
  });

  it('when the limit applies and exception dates are in the window, then it still returns `limit` occurrences', () => {
    const ex = { ...s, exdates: [d('2026-01-06T09:00:00Z')] };
    expect(iso(expandOccurrences(ex, { from: d('2026-01-01T00:00:00Z'), to: d('2027-01-01T00:00:00Z') }, { limit: 2 }))).toEqual(['2026-01-05T09:00:00.000Z', '2026-01-07T09:00:00.000Z']);
  });

  it('when a counted series ended long before a wide window with a small limit, then it returns nothing (the walk stops at the last occurrence)', () => {
    const counted = { ...s, recurrence: { frequency: 'daily' as const, interval: 1, count: 3 } };
    expect(expandOccurrences(counted, { from: d('2026-01-01T00:00:00Z'), to: d('2226-01-01T00:00:00Z') }, { limit: 1 })).toHaveLength(1);
    expect(expandOccurrences(counted, { from: d('2026-02-01T00:00:00Z'), to: d('2226-01-01T00:00:00Z') }, { limit: 1 })).toEqual([]);
  });

  it('when a monthly series skips months and the limit is small, then later chunks still find the occurrences', () => {
    const m31 = series('2026-01-31T09:00:00Z', 'UTC', { frequency: 'monthly', interval: 1 });
    expect(iso(expandOccurrences(m31, { from: d('2026-02-01T00:00:00Z'), to: d('2027-01-01T00:00:00Z') }, { limit: 1 }))).toEqual(['2026-03-31T09:00:00.000Z']);
  });

  it('when limit is not a positive integer, then it is a 400', () => {
    expect(fieldErrors(() => expandOccurrences(s, { from: d('2026-01-01T00:00:00Z'), to: d('2026-02-01T00:00:00Z') }, { limit: 0 }))).toEqual(['/limit']);
  });
});

describe('expandOccurrences properties', () => {
  const zones = ['Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC', 'America/Sao_Paulo'];

  it('every occurrence has the wall-clock time of the first start (outside DST gaps), and starts strictly increase', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.date({ min: d('2000-01-01T00:00:00Z'), max: d('2040-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom('daily', 'weekly', 'monthly'),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 1, max: 400 }),
        (timeZone, rawStart, frequency, interval, offsetDays, windowDays) => {
          // Whole minutes, and a local time of day outside 00:00–03:59 where DST gaps and folds live.
          const zoned = toZoned(rawStart, timeZone).round({ smallestUnit: 'minute', roundingMode: 'floor' });
          const safe = zoned.hour < 4 ? zoned.with({ hour: zoned.hour + 9 }) : zoned;
          const start = new Date(safe.epochMilliseconds);
          const s: SeriesTiming = { start, durationMs: HOUR, timeZone, recurrence: { frequency: frequency as Recurrence['frequency'], interval } };
          const from = new Date(start.getTime() + offsetDays * 24 * HOUR);
          const occ = expandOccurrences(s, { from, to: new Date(from.getTime() + windowDays * 24 * HOUR) });
          const wall = safe.toPlainTime().toString();
          for (let i = 0; i < occ.length; i++) {
            expect(toZoned(occ[i].start, timeZone).toPlainTime().toString()).toBe(wall);
            expect(toZoned(occ[i].start, timeZone).day).toBe(frequency === 'monthly' ? safe.day : toZoned(occ[i].start, timeZone).day);
            if (i > 0) expect(occ[i].start.getTime()).toBeGreaterThan(occ[i - 1].start.getTime());
            expect(occ[i].end.getTime()).toBeGreaterThan(from.getTime());
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('seriesEnd', () => {
  it('when the series is endless, then it is null', () => {
    expect(seriesEnd(series('2026-01-05T09:00:00Z', 'UTC', { frequency: 'daily', interval: 1 }))).toBeNull();
  });

  it('when count is set, then it is the end of the count-th occurrence, in local time across DST', () => {
    const s = series('2026-10-12T07:00:00Z', 'Europe/Paris', { frequency: 'weekly', interval: 1, count: 3 });
    expect(seriesEnd(s)).toEqual(d('2026-10-26T09:00:00Z'));
  });

  it('when until is set, then it is the end of the last occurrence at or before until', () => {
    const s = series('2026-01-31T09:00:00Z', 'UTC', { frequency: 'monthly', interval: 1, until: d('2026-05-30T00:00:00Z') });
    expect(seriesEnd(s)).toEqual(d('2026-03-31T10:00:00Z'));
    const far = series('2026-01-01T09:00:00Z', 'UTC', { frequency: 'daily', interval: 1, until: d('2126-01-01T09:00:00Z') });
    expect(seriesEnd(far)).toEqual(d('2126-01-01T10:00:00Z'));
  });

  it('agrees with the last occurrence expandOccurrences yields', () => {
    const s = series('2026-03-01T14:00:00Z', 'America/New_York', { frequency: 'daily', interval: 2, count: 40 });
    const occ = expandOccurrences(s, { from: s.start, to: d('2027-01-01T00:00:00Z') });
    expect(occ).toHaveLength(40);
    expect(seriesEnd(s)).toEqual(occ.at(-1)!.end);
  });
});

describe('occurrenceId and parseEntryId', () => {
  const id = randomUUID();

  it('when an occurrence id is built and parsed, then the series id and original start round-trip', () => {
    const start = d('2026-10-26T08:00:00Z');
    expect(occurrenceId(id, start)).toBe(`${id}_20261026T080000Z`);
    expect(parseEntryId(occurrenceId(id, start))).toEqual({ eventId: id, originalStart: start });
  });

  it('when the id is a plain UUID, then there is no original start', () => {
    expect(parseEntryId(id)).toEqual({ eventId: id });
  });

  it.each([
    ['not-an-id'],
    [`${id}_20260231T090000Z`],
    [`${id}_20261026T250000Z`],
    [`${id}_20261026T080000`],
    [`${id}_2026-10-26T08:00:00Z`],
    [`${id}_20261026T080000Z_x`],
    [`${'g'.repeat(8)}-aaaa-aaaa-aaaa-aaaaaaaaaaaa_20261026T080000Z`],
    [''],
  ])('when the id is %p, then it is a 400 on the given path', (bad) => {
    expect(fieldErrors(() => parseEntryId(bad, '/entryId'))).toEqual(['/entryId']);
  });

  it('round-trips any whole-second instant (property)', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.integer({ min: Date.UTC(1970, 0, 1) / 1000, max: Date.UTC(9999, 11, 31) / 1000 }), (uuid, seconds) => {
        const start = new Date(seconds * 1000);
        expect(parseEntryId(occurrenceId(uuid, start))).toEqual({ eventId: uuid, originalStart: start });
      }),
    );
  });
});

describe('splitRecurrence', () => {
  const paris = { start: d('2026-10-12T07:00:00Z'), timeZone: 'Europe/Paris' };
  const window = { from: d('2026-01-01T00:00:00Z'), to: d('2028-01-01T00:00:00Z') };

  function checkSplit(r: Recurrence, at: Date) {
    const whole = expandOccurrences({ ...paris, durationMs: HOUR, recurrence: r }, window);
    const { before, after } = splitRecurrence(r, paris, at);
    const head = before ? expandOccurrences({ ...paris, durationMs: HOUR, recurrence: before }, window) : [];
    const tail = expandOccurrences({ start: at, timeZone: paris.timeZone, durationMs: HOUR, recurrence: after }, window);
    expect(iso([...head, ...tail])).toEqual(iso(whole));
    expect(head.every((o) => o.start < at)).toBe(true);
    return { before, after };
  }

  it('when the series has a count, then the old series keeps the occurrences before and the new one the rest', () => {
    const { before, after } = checkSplit({ frequency: 'weekly', interval: 1, count: 6 }, d('2026-10-26T08:00:00Z'));
    expect(before).toEqual({ frequency: 'weekly', interval: 1, count: 2 });
    expect(after).toEqual({ frequency: 'weekly', interval: 1, count: 4 });
  });

  it('when the series has an until, then the old one ends 1 s before the occurrence and the new one keeps until', () => {
    const until = d('2026-12-31T23:59:59Z');
    const { before, after } = checkSplit({ frequency: 'weekly', interval: 1, until }, d('2026-11-02T08:00:00Z'));
    expect(before).toEqual({ frequency: 'weekly', interval: 1, until: d('2026-11-02T07:59:59Z') });
    expect(after).toEqual({ frequency: 'weekly', interval: 1, until });
  });

  it('when the series is endless, then the old one gets an until and the new one stays endless', () => {
    const { before, after } = checkSplit({ frequency: 'weekly', interval: 2 }, d('2026-11-09T08:00:00Z'));
    expect(before).toEqual({ frequency: 'weekly', interval: 2, until: d('2026-11-09T07:59:59Z') });
    expect(after).toEqual({ frequency: 'weekly', interval: 2 });
  });

  it('when the split is at the first start, then nothing is left of the old series', () => {
    expect(splitRecurrence({ frequency: 'weekly', interval: 1, count: 3 }, paris, paris.start)).toEqual({ before: null, after: { frequency: 'weekly', interval: 1, count: 3 } });
    expect(splitRecurrence({ frequency: 'weekly', interval: 1 }, paris, paris.start).before).toBeNull();
  });

  it('when the instant is not an occurrence, then it is a 400 on /originalStart', () => {
    expect(fieldErrors(() => splitRecurrence({ frequency: 'weekly', interval: 1 }, paris, d('2026-10-26T07:00:00Z')))).toEqual(['/originalStart']);
    expect(fieldErrors(() => splitRecurrence({ frequency: 'weekly', interval: 1, count: 2 }, paris, d('2026-10-26T08:00:00Z')))).toEqual(['/originalStart']);
    expect(fieldErrors(() => splitRecurrence({ frequency: 'weekly', interval: 1, until: d('2026-10-20T00:00:00Z') }, paris, d('2026-10-26T08:00:00Z')))).toEqual(['/originalStart']);
  });
});

describe('rekeyOriginalStarts and shiftWallClock', () => {
  const weekly: Recurrence = { frequency: 'weekly', interval: 1 };
  const paris = (start: string, recurrence = weekly) => ({ start: d(start), timeZone: 'Europe/Paris', recurrence });

  it('when a weekly Monday 09:00 Paris series moves to Tuesday 10:00, then each key moves to its Tuesday 10:00 local, across the DST change', () => {
    const keys = [d('2026-10-19T07:00:00Z'), d('2026-10-26T08:00:00Z')]; // Mondays 09:00 CEST and CET
    expect(rekeyOriginalStarts(paris('2026-10-05T07:00:00Z'), paris('2026-10-06T08:00:00Z'), keys).map((k) => k?.toISOString())).toEqual([
      '2026-10-20T08:00:00.000Z', '2026-10-27T09:00:00.000Z',
    ]);
  });

  it('when the rule no longer has an occurrence (shorter count, other frequency), then its key is null; an unchanged timing keeps every key', () => {
    const start = '2026-10-05T07:00:00Z';
    const keys = [d('2026-10-12T07:00:00Z'), d('2026-10-19T07:00:00Z')];
    expect(rekeyOriginalStarts(paris(start), paris(start, { ...weekly, count: 2 }), keys)).toEqual([keys[0], null]);
    expect(rekeyOriginalStarts(paris(start), paris(start, { frequency: 'monthly', interval: 1 }), keys)).toEqual([null, null]);
    expect(rekeyOriginalStarts(paris(start), paris(start), keys)).toEqual(keys);
  });

  it('when the shifted local time falls into a spring-forward gap, then the key is null (RFC 5545 skips that occurrence)', () => {
    const ny = (start: string) => ({ start: d(start), timeZone: 'America/New_York', recurrence: { frequency: 'daily', interval: 1 } as Recurrence });
    // daily 01:30 moved to 02:30: 8 March 2026 02:30 does not exist in New York
    const [gap, next] = rekeyOriginalStarts(ny('2026-03-01T06:30:00Z'), ny('2026-03-01T07:30:00Z'), [d('2026-03-08T06:30:00Z'), d('2026-03-09T05:30:00Z')]);
    expect(gap).toBeNull();
    expect(next?.toISOString()).toBe('2026-03-09T06:30:00.000Z');
  });

  it('when nothing moves, then shiftWallClock returns the instant itself', () => {
    const at = d('2027-01-01T00:00:00Z');
    expect(shiftWallClock(at, paris('2026-10-05T07:00:00Z'), paris('2026-10-05T07:00:00Z'))).toBe(at);
  });
});
