import { rekeyOriginalStarts, shiftWallClock, splitRecurrence } from '../../../src/modules/events/domain/recurrence-edits';
import { expandOccurrences } from '../../../src/modules/events/domain/recurrence';
import type { Recurrence } from '../../../src/modules/events/domain/rrule';
import { fieldErrors } from '../../helpers/errors';

const HOUR = 3_600_000;
const d = (iso: string) => new Date(iso);
const iso = (xs: { start: Date }[]) => xs.map((o) => o.start.toISOString());

describe('splitRecurrence', () => {
  const paris = { start: d('2026-10-12T07:00:00Z'), timeZone: 'Europe/Paris' };
  const window = { from: d('2026-01-01T00:00:00Z'), to: d('2028-01-01T00:00:00Z') };

  /** Splits and checks that the two halves are exactly the whole, split at `at`. */
  function checkSplit(r: Recurrence, at: Date, rdates: Date[] = [], base = paris) {
    const whole = expandOccurrences({ ...base, durationMs: HOUR, recurrence: r, rdates }, window);
    const { before, after } = splitRecurrence({ ...base, recurrence: r, rdates }, at);
    const head = before ? expandOccurrences({ ...base, durationMs: HOUR, ...before }, window) : [];
    const tail = expandOccurrences({ start: at, timeZone: base.timeZone, durationMs: HOUR, ...after }, window);
    expect(iso([...head, ...tail])).toEqual(iso(whole));
    expect(head.every((o) => o.start < at)).toBe(true);
    return { before, after };
  }

  it('when the series has a count, then the old series keeps the occurrences before and the new one the rest', () => {
    const { before, after } = checkSplit({ frequency: 'weekly', interval: 1, count: 6 }, d('2026-10-26T08:00:00Z'));
    expect(before).toEqual({ recurrence: { frequency: 'weekly', interval: 1, count: 2 }, rdates: [] });
    expect(after).toEqual({ recurrence: { frequency: 'weekly', interval: 1, count: 4 }, rdates: [] });
  });

  it('when the series has an until, then the old one ends 1 s before the occurrence and the new one keeps until', () => {
    const until = d('2026-12-31T23:59:59Z');
    const { before, after } = checkSplit({ frequency: 'weekly', interval: 1, until }, d('2026-11-02T08:00:00Z'));
    expect(before!.recurrence).toEqual({ frequency: 'weekly', interval: 1, until: d('2026-11-02T07:59:59Z') });
    expect(after.recurrence).toEqual({ frequency: 'weekly', interval: 1, until });
  });

  it('when the series is endless, then the old one gets an until and the new one stays endless', () => {
    const { before, after } = checkSplit({ frequency: 'weekly', interval: 2 }, d('2026-11-09T08:00:00Z'));
    expect(before!.recurrence).toEqual({ frequency: 'weekly', interval: 2, until: d('2026-11-09T07:59:59Z') });
    expect(after.recurrence).toEqual({ frequency: 'weekly', interval: 2 });
  });

  it('when the split is at the first start, then nothing is left of the old series', () => {
    expect(splitRecurrence({ ...paris, recurrence: { frequency: 'weekly', interval: 1, count: 3 } }, paris.start)).toEqual({ before: null, after: { recurrence: { frequency: 'weekly', interval: 1, count: 3 }, rdates: [] } });
    expect(splitRecurrence({ ...paris, recurrence: { frequency: 'weekly', interval: 1 } }, paris.start).before).toBeNull();
  });

  it('when a COUNT rule with BYDAY is split, then the count is split by rule occurrences, whatever the weekday', () => {
    // Mondays and Wednesdays 09:00 from Monday 12 October: 12, 14, 19, 21 (split), 26, 28 October.
    const { before, after } = checkSplit({ frequency: 'weekly', interval: 1, count: 6, byDay: ['MO', 'WE'] }, d('2026-10-21T07:00:00Z'));
    expect(before!.recurrence.count).toBe(3);
    expect(after.recurrence.count).toBe(3);
  });

  it('when an every-other-week BYDAY rule is split in a later week, then the new series keeps the phase', () => {
    const { after } = checkSplit({ frequency: 'weekly', interval: 2, byDay: ['MO', 'TH'], count: 8 }, d('2026-10-29T08:00:00Z'));
    expect(after.recurrence).toEqual({ frequency: 'weekly', interval: 2, byDay: ['MO', 'TH'], count: 5 });
  });

  it('when a monthly last-Friday rule with an until is split, then both halves together are the whole', () => {
    const fri = { start: d('2026-10-30T08:00:00Z'), timeZone: 'Europe/Paris' };
    checkSplit({ frequency: 'monthly', interval: 1, byDay: ['-1FR'], until: d('2027-06-30T00:00:00Z') }, d('2027-01-29T08:00:00Z'), [], fri);
  });

  it('when the series has extra dates (RDATE), then each half keeps those on its side', () => {
    const rdates = [d('2026-10-15T07:00:00Z'), d('2026-11-05T08:00:00Z')];
    const { before, after } = checkSplit({ frequency: 'weekly', interval: 1, count: 4 }, d('2026-10-26T08:00:00Z'), rdates);
    expect(before!.rdates).toEqual([rdates[0]]);
    expect(after.rdates).toEqual([rdates[1]]);
  });

  it('when the split is at an extra date after the rule ended, then the new series is that date and the later ones', () => {
    const rdates = [d('2026-12-01T08:00:00Z'), d('2026-12-08T08:00:00Z')];
    const { after } = checkSplit({ frequency: 'weekly', interval: 1, count: 2 }, rdates[0]!, rdates);
    expect(after).toEqual({ recurrence: { frequency: 'daily', interval: 1, count: 1 }, rdates: [rdates[1]] });
  });

  it('when the split is at an extra date and the rule goes on after it, then it is a 400 on /scope', () => {
    expect(fieldErrors(() => splitRecurrence({ ...paris, recurrence: { frequency: 'weekly', interval: 1 }, rdates: [d('2026-10-15T07:00:00Z')] }, d('2026-10-15T07:00:00Z')))).toEqual(['/scope']);
  });

  it('when an all-day series with an until is split, then the old one ends the day before', () => {
    const day = { start: d('2026-10-11T22:00:00Z'), timeZone: 'Europe/Paris', allDay: true };
    const at = d('2026-10-25T23:00:00Z'); // 26 October 00:00 CET, after the DST change
    const { before } = splitRecurrence({ ...day, recurrence: { frequency: 'weekly', interval: 1, until: d('2026-12-31T22:59:59Z') } }, at);
    const head = expandOccurrences({ ...day, durationMs: 24 * HOUR, ...before! }, window);
    expect(iso(head)).toEqual(['2026-10-11T22:00:00.000Z', '2026-10-18T22:00:00.000Z']);
  });

  it('when the instant is not an occurrence, then it is a 400 on /originalStart', () => {
    const rule = (recurrence: Recurrence) => ({ ...paris, recurrence });
    expect(fieldErrors(() => splitRecurrence(rule({ frequency: 'weekly', interval: 1 }), d('2026-10-26T07:00:00Z')))).toEqual(['/originalStart']);
    expect(fieldErrors(() => splitRecurrence(rule({ frequency: 'weekly', interval: 1, count: 2 }), d('2026-10-26T08:00:00Z')))).toEqual(['/originalStart']);
    expect(fieldErrors(() => splitRecurrence(rule({ frequency: 'weekly', interval: 1, until: d('2026-10-20T00:00:00Z') }), d('2026-10-26T08:00:00Z')))).toEqual(['/originalStart']);
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

  it('when a Monday/Wednesday series moves to Tuesday/Thursday an hour later, then exceptions follow to their new weekday', () => {
    const before = paris('2026-10-05T07:00:00Z', { ...weekly, byDay: ['MO', 'WE'] });
    const after = paris('2026-10-06T08:00:00Z', { ...weekly, byDay: ['TU', 'TH'] });
    expect(rekeyOriginalStarts(before, after, [d('2026-10-14T07:00:00Z'), d('2026-10-26T08:00:00Z')])).toEqual([d('2026-10-15T08:00:00Z'), d('2026-10-27T09:00:00Z')]);
  });

  it('when a key is an extra date (RDATE) of the new timing, then it is kept', () => {
    const rdate = d('2026-10-15T08:00:00Z'); // a Thursday, 10:00 Paris
    const before = { ...paris('2026-10-05T07:00:00Z'), rdates: [d('2026-10-15T07:00:00Z')] };
    const after = { ...paris('2026-10-05T08:00:00Z'), rdates: [rdate] };
    expect(rekeyOriginalStarts(before, after, [d('2026-10-15T07:00:00Z')])).toEqual([rdate]);
  });

  it('when an all-day series moves by two days across a DST change, then keys move to the start of their new day', () => {
    const allDay = (start: string) => ({ start: d(start), timeZone: 'Europe/Paris', allDay: true, recurrence: weekly });
    expect(shiftWallClock(d('2026-10-24T22:00:00Z'), allDay('2026-10-03T22:00:00Z'), allDay('2026-10-05T22:00:00Z'))).toEqual(d('2026-10-26T23:00:00Z'));
    expect(rekeyOriginalStarts(allDay('2026-10-03T22:00:00Z'), allDay('2026-10-05T22:00:00Z'), [d('2026-10-24T22:00:00Z')])).toEqual([d('2026-10-26T23:00:00Z')]);
  });

  it('when nothing moves, then shiftWallClock returns the instant itself', () => {
    const at = d('2027-01-01T00:00:00Z');
    expect(shiftWallClock(at, paris('2026-10-05T07:00:00Z'), paris('2026-10-05T07:00:00Z'))).toBe(at);
  });
});
