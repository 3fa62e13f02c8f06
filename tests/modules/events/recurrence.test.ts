import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { toZoned } from '../../../src/modules/events/domain/event-time';
import { RRuleTemporal } from 'rrule-temporal';
import { occurrenceId, parseEntryId } from '../../../src/modules/events/domain/event-id';
import { expandOccurrences, MAX_OCCURRENCES, normalizeSeriesDates, seriesEnd, type SeriesTiming, validateSeries } from '../../../src/modules/events/domain/recurrence';
import type { Recurrence } from '../../../src/modules/events/domain/rrule';
import { toRRule } from '../../../src/modules/events/domain/rrule-text';
import { fieldErrors, problems } from '../../helpers/errors';

const HOUR = 3_600_000;
const d = (iso: string) => new Date(iso);
const iso = (xs: { start: Date }[]) => xs.map((o) => o.start.toISOString());
const local = (xs: { start: Date }[], tz: string) => xs.map((o) => toZoned(o.start, tz).toPlainDateTime().toString());

function series(start: string, timeZone: string, recurrence: Recurrence, extra: Partial<SeriesTiming> = {}): SeriesTiming {
  return { start: d(start), durationMs: HOUR, timeZone, recurrence, ...extra };
}

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

describe('expandOccurrences: BYxxx parts', () => {
  const all = { from: d('2026-01-01T00:00:00Z'), to: d('2030-01-01T00:00:00Z') };

  it('when a weekly Monday/Wednesday 09:00 Paris rule crosses the October DST change, then both days stay 09:00 local', () => {
    const s = series('2026-10-19T07:00:00Z', 'Europe/Paris', { frequency: 'weekly', interval: 1, count: 4, byDay: ['MO', 'WE'] });
    expect(local(expandOccurrences(s, all), 'Europe/Paris')).toEqual(['2026-10-19T09:00:00', '2026-10-21T09:00:00', '2026-10-26T09:00:00', '2026-10-28T09:00:00']);
  });

  it('when a rule says the last Friday of the month, then it is the last Friday of each month', () => {
    const s = series('2026-01-30T09:00:00Z', 'UTC', { frequency: 'monthly', interval: 1, byDay: ['-1FR'] });
    expect(iso(expandOccurrences(s, all, { limit: 4 })).map((t) => t.slice(0, 10))).toEqual(['2026-01-30', '2026-02-27', '2026-03-27', '2026-04-24']);
  });

  it('when a yearly rule says 14 July, then it is every 14 July', () => {
    const s = series('2026-07-14T08:00:00Z', 'Europe/Paris', { frequency: 'yearly', interval: 1, byMonth: [7], byMonthDay: [14] });
    expect(local(expandOccurrences(s, all), 'Europe/Paris')).toEqual(['2026-07-14T10:00:00', '2027-07-14T10:00:00', '2028-07-14T10:00:00', '2029-07-14T10:00:00']);
  });

  it('when a BYHOUR time falls in the spring-forward gap, then that occurrence is skipped; in the fall-back fold, the earlier instant is used', () => {
    // 01:30 and 02:30 New York: 02:30 does not exist on 8 March 2026; 01:30 happens twice on 1 November.
    const s = series('2026-03-07T06:30:00Z', 'America/New_York', { frequency: 'daily', interval: 1, byHour: [1, 2], byMinute: [30] }, { durationMs: 30 * 60_000 });
    expect(local(expandOccurrences(s, { from: d('2026-03-07T00:00:00Z'), to: d('2026-03-10T00:00:00Z') }), 'America/New_York')).toEqual([
      '2026-03-07T01:30:00', '2026-03-07T02:30:00', '2026-03-08T01:30:00', '2026-03-09T01:30:00', '2026-03-09T02:30:00',
    ]);
    expect(iso(expandOccurrences(s, { from: d('2026-11-01T04:00:00Z'), to: d('2026-11-01T09:00:00Z') }))).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-01T07:30:00.000Z']);
  });

  it('when a sparse rule is asked for a long window with a small limit, then it still finds the first occurrences', () => {
    const s = series('2026-01-01T09:00:00Z', 'UTC', { frequency: 'yearly', interval: 3, byYearDay: [1, 100, 200] });
    expect(iso(expandOccurrences(s, { from: d('2027-01-01T00:00:00Z'), to: d('2100-01-01T00:00:00Z') }, { limit: 2 })).map((t) => t.slice(0, 10))).toEqual(['2029-01-01', '2029-04-10']);
  });
});

describe('expandOccurrences: extra dates (RDATE)', () => {
  const all = { from: d('2026-01-01T00:00:00Z'), to: d('2027-01-01T00:00:00Z') };

  it('when a series has extra dates, then they are occurrences of their own, not limited by COUNT or UNTIL', () => {
    const rdates = [d('2026-01-07T15:00:00Z'), d('2026-03-01T09:00:00Z')];
    const counted = series('2026-01-05T09:00:00Z', 'UTC', { frequency: 'weekly', interval: 1, count: 2 }, { rdates });
    expect(iso(expandOccurrences(counted, all))).toEqual(['2026-01-05T09:00:00.000Z', '2026-01-07T15:00:00.000Z', '2026-01-12T09:00:00.000Z', '2026-03-01T09:00:00.000Z']);
    const until = series('2026-01-05T09:00:00Z', 'UTC', { frequency: 'weekly', interval: 1, until: d('2026-01-12T09:00:00Z') }, { rdates });
    expect(expandOccurrences(until, all)).toHaveLength(4);
    expect(seriesEnd(until)).toEqual(d('2026-03-01T10:00:00Z'));
  });

  it('when an extra date is also an exception date, then it is cancelled', () => {
    const s = series('2026-01-05T09:00:00Z', 'UTC', { frequency: 'weekly', interval: 1, count: 1 }, { rdates: [d('2026-01-07T15:00:00Z')], exdates: [d('2026-01-07T15:00:00Z')] });
    expect(iso(expandOccurrences(s, all))).toEqual(['2026-01-05T09:00:00.000Z']);
  });

  it('when the window holds only an extra date of an endless rule, then the listing finds it by its own time', () => {
    const s = series('2026-01-05T09:00:00Z', 'UTC', { frequency: 'weekly', interval: 1 }, { rdates: [d('2026-01-07T15:00:00Z')] });
    expect(iso(expandOccurrences(s, { from: d('2026-01-07T15:30:00Z'), to: d('2026-01-08T00:00:00Z') }))).toEqual(['2026-01-07T15:00:00.000Z']);
  });
});

describe('expandOccurrences: all-day series', () => {
  const allDay = (start: string, timeZone: string, recurrence: Recurrence, days = 1, extra: Partial<SeriesTiming> = {}): SeriesTiming => {
    const first = toZoned(d(start), timeZone);
    return { start: d(start), durationMs: first.add({ days }).epochMilliseconds - first.epochMilliseconds, timeZone, recurrence, allDay: true, ...extra };
  };

  it('when a weekly all-day Paris series crosses the DST change, then each occurrence is a whole local day', () => {
    const s = allDay('2026-10-17T22:00:00Z', 'Europe/Paris', { frequency: 'weekly', interval: 1, count: 3 });
    expect(expandOccurrences(s, { from: d('2026-10-01T00:00:00Z'), to: d('2026-12-01T00:00:00Z') }).map((o) => [o.start.toISOString(), o.end.toISOString()])).toEqual([
      ['2026-10-17T22:00:00.000Z', '2026-10-18T22:00:00.000Z'],
      ['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z'], // 25 October has 25 hours
      ['2026-10-31T23:00:00.000Z', '2026-11-01T23:00:00.000Z'],
    ]);
  });

  it('when the zone skips midnight (Santiago starts DST at 24:00), then the day is still an occurrence, from its first instant', () => {
    const s = allDay('2026-09-04T04:00:00Z', 'America/Santiago', { frequency: 'daily', interval: 1, count: 4 });
    expect(local(expandOccurrences(s, { from: d('2026-09-01T00:00:00Z'), to: d('2026-10-01T00:00:00Z') }), 'America/Santiago')).toEqual([
      '2026-09-04T00:00:00', '2026-09-05T00:00:00', '2026-09-06T01:00:00', '2026-09-07T00:00:00',
    ]);
  });

  it('when an all-day entry spans three days, then a window on its last day finds it, and one at its end does not', () => {
    const s = allDay('2026-12-23T23:00:00Z', 'Europe/Paris', { frequency: 'yearly', interval: 1 }, 3);
    expect(iso(expandOccurrences(s, { from: d('2027-12-26T12:00:00Z'), to: d('2027-12-26T13:00:00Z') }))).toEqual(['2027-12-23T23:00:00.000Z']);
    expect(expandOccurrences(s, { from: d('2027-12-26T23:00:00Z'), to: d('2027-12-27T00:00:00Z') })).toEqual([]);
  });

  it('when until is any instant of a day, then that day is the last one, and seriesEnd is the end of it', () => {
    const s = allDay('2026-01-04T23:00:00Z', 'Europe/Paris', { frequency: 'daily', interval: 1, until: d('2026-01-07T12:00:00Z') });
    expect(iso(expandOccurrences(s, { from: d('2026-01-01T00:00:00Z'), to: d('2026-02-01T00:00:00Z') }))).toEqual([
      '2026-01-04T23:00:00.000Z', '2026-01-05T23:00:00.000Z', '2026-01-06T23:00:00.000Z',
    ]);
    expect(seriesEnd(s)).toEqual(d('2026-01-07T23:00:00Z'));
  });
});

describe('normalizeSeriesDates', () => {
  it('when dates repeat or carry milliseconds, then they are sorted whole-second sets; for an all-day series, the starts of their days', () => {
    const timed = normalizeSeriesDates({ timeZone: 'UTC', rdates: [d('2026-01-02T09:00:00.500Z'), d('2026-01-01T09:00:00Z'), d('2026-01-02T09:00:00Z')] });
    expect(timed.rdates).toEqual([d('2026-01-01T09:00:00Z'), d('2026-01-02T09:00:00Z')]);
    const days = normalizeSeriesDates({ timeZone: 'Europe/Paris', allDay: true, exdates: [d('2026-07-14T21:59:59Z'), d('2026-07-13T22:00:00Z')] });
    expect(days.exdates).toEqual([d('2026-07-13T22:00:00Z')]);
  });
});

describe('validateSeries', () => {
  const horizon = d('2027-06-01T00:00:00Z');
  const weekly = (extra: Partial<SeriesTiming> = {}, recurrence: Partial<Recurrence> = {}) =>
    series('2026-01-05T09:00:00Z', 'UTC', { frequency: 'weekly', interval: 1, byDay: ['MO'], ...recurrence }, extra);

  it('when the series is sound, then it returns what it occupies up to the horizon, cancelled occurrences left out', () => {
    const occupied = validateSeries(weekly({ exdates: [d('2026-01-12T09:00:00Z')], rdates: [d('2026-01-07T09:00:00Z')] }, { count: 3 }), { horizon });
    expect(iso(occupied)).toEqual(['2026-01-05T09:00:00.000Z', '2026-01-07T09:00:00.000Z', '2026-01-19T09:00:00.000Z']);
  });

  it('when the rule has no occurrence at all, then it is a 400 on /recurrence', () => {
    expect(problems(() => validateSeries(series('2026-01-05T09:00:00Z', 'UTC', { frequency: 'yearly', interval: 1, byMonth: [2], byMonthDay: [30] }), { horizon }))).toEqual([
      { path: '/recurrence', message: expect.stringMatching(/has no occurrence/) },
    ]);
  });

  it('when the start is not an occurrence of the rule, then it is a 400 on /start naming the first occurrence', () => {
    expect(problems(() => validateSeries(series('2026-01-06T09:00:00Z', 'UTC', { frequency: 'weekly', interval: 1, byDay: ['MO'] }), { horizon }))).toEqual([
      { path: '/start', message: expect.stringContaining('2026-01-12T09:00:00.000Z') },
    ]);
  });

  it('when an extra date is not after the start or is already an occurrence, then it is a 400 on it', () => {
    expect(fieldErrors(() => validateSeries(weekly({ rdates: [d('2026-01-01T09:00:00Z')] }), { horizon }))).toEqual(['/recurrence/rdates/0']);
    expect(fieldErrors(() => validateSeries(weekly({ rdates: [d('2026-01-07T09:00:00Z'), d('2026-01-12T09:00:00Z')] }), { horizon }))).toEqual(['/recurrence/rdates/1']);
  });

  it('when an exception date is not an occurrence, then it is a 400 on it', () => {
    expect(fieldErrors(() => validateSeries(weekly({ exdates: [d('2026-01-12T09:00:00Z'), d('2026-01-13T09:00:00Z')] }), { horizon }))).toEqual(['/recurrence/exdates/1']);
  });

  it('when occurrences overlap each other, then it is a 400 on /recurrence', () => {
    const twice = series('2026-01-05T09:00:00Z', 'UTC', { frequency: 'daily', interval: 1, byHour: [9, 10] }, { durationMs: 90 * 60_000 });
    expect(fieldErrors(() => validateSeries(twice, { horizon }))).toEqual(['/recurrence']);
    expect(fieldErrors(() => validateSeries(weekly({ rdates: [d('2026-01-05T09:30:00Z')] }), { horizon }))).toEqual(['/recurrence']);
  });

  it('when only the spring-forward day brings two occurrences too close, then it is a 400 too', () => {
    // 01:30 and 03:30 New York are two hours apart, except on 8 March 2026 (01:30 EST → 03:30 EDT is one hour).
    const s = series('2026-01-05T06:30:00Z', 'America/New_York', { frequency: 'daily', interval: 1, byHour: [1, 3], byMinute: [30] }, { durationMs: 90 * 60_000 });
    expect(problems(() => validateSeries(s, { horizon }))[0]!.message).toContain('2026-03-08');
  });

  it('when an extra date far beyond the horizon overlaps an occurrence, then it is a 400 too', () => {
    expect(fieldErrors(() => validateSeries(weekly({ rdates: [d('2030-01-07T09:30:00Z')] }), { horizon }))).toEqual(['/recurrence']);
    expect(() => validateSeries(weekly({ rdates: [d('2030-01-08T09:30:00Z')] }), { horizon })).not.toThrow();
  });
});

describe('expandOccurrences against rrule-temporal walked from the start (property)', () => {
  const rules: Recurrence[] = [
    { frequency: 'weekly', interval: 2, byDay: ['MO', 'TH'] },
    { frequency: 'monthly', interval: 1, byDay: ['-1FR', '1MO'] },
    { frequency: 'monthly', interval: 3, byMonthDay: [1, 15, -1] },
    { frequency: 'yearly', interval: 1, byMonth: [1, 7], byDay: ['SU'] },
    { frequency: 'yearly', interval: 2, byYearDay: [1, 100, 200] },
    { frequency: 'yearly', interval: 1, byWeekNo: [1, 20, -1], byDay: ['WE'] },
    { frequency: 'monthly', interval: 1, byDay: ['MO', 'TU', 'WE', 'TH', 'FR'], bySetPos: [-1] },
    { frequency: 'daily', interval: 1, byHour: [8, 12, 18], byMonth: [3, 10] },
  ];

  it('a window with a limit gives the first `limit` occurrences of the whole set in that window', () => {
    fc.assert(
      fc.property(fc.constantFrom(...rules), fc.constantFrom('Europe/Paris', 'America/New_York', 'UTC'), fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 30 }), (recurrence, timeZone, offsetDays, windowDays, limit) => {
        const start = d('2026-01-01T00:00:00Z');
        const s: SeriesTiming = { start, durationMs: HOUR, timeZone, recurrence };
        const first = expandOccurrences(s, { from: start, to: d('2040-01-01T00:00:00Z') }, { limit: 1 })[0]!;
        const aligned = { ...s, start: first.start };
        const from = new Date(start.getTime() + offsetDays * 86_400_000);
        const to = new Date(from.getTime() + windowDays * 86_400_000);
        const reference = new RRuleTemporal({ rruleString: toRRule(recurrence), dtstart: toZoned(first.start, timeZone) })
          .all((z) => z.epochMilliseconds < to.getTime())
          .map((z) => z.epochMilliseconds)
          .filter((ms) => ms + HOUR > from.getTime())
          .slice(0, limit);
        expect(expandOccurrences(aligned, { from, to }, { limit }).map((o) => o.start.getTime())).toEqual(reference);
      }),
      { numRuns: 60 },
    );
  });
});
