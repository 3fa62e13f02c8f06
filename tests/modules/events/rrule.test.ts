import { normalizeRecurrence, type Recurrence, validateRecurrence } from '../../../src/modules/events/domain/rrule';
import { parseRRule, resolveRecurrence, toRRule } from '../../../src/modules/events/domain/rrule-text';
import { fieldErrors, problems } from '../../helpers/errors';

const d = (iso: string) => new Date(iso);
const first = d('2026-01-10T09:00:00Z');
const UTC = { timeZone: 'UTC' };

describe('validateRecurrence', () => {
  it('when the recurrence is sound, then it passes', () => {
    expect(() => validateRecurrence({ frequency: 'weekly', interval: 1 }, first)).not.toThrow();
    expect(() => validateRecurrence({ frequency: 'daily', interval: 1000, count: 10_000 }, first)).not.toThrow();
    expect(() => validateRecurrence({ frequency: 'monthly', interval: 1, until: first }, first)).not.toThrow();
    expect(() => validateRecurrence({ frequency: 'yearly', interval: 1, byMonth: [7], byMonthDay: [14] }, first)).not.toThrow();
    expect(() => validateRecurrence({ frequency: 'monthly', interval: 1, byDay: ['MO', 'TU', 'WE', 'TH', 'FR'], bySetPos: [-1] }, first)).not.toThrow();
    expect(() => validateRecurrence({ frequency: 'yearly', interval: 1, byWeekNo: [20, -1], byDay: ['MO'], wkst: 'SU' }, first)).not.toThrow();
    expect(() => validateRecurrence({ frequency: 'daily', interval: 1, byHour: [9, 10, 11, 12, 13, 14, 15, 16], byMinute: [0, 20, 40] }, first)).not.toThrow();
    expect(() => validateRecurrence({ frequency: 'yearly', interval: 1, byYearDay: [1, 100, 200, -1], byDay: ['-53MO', '53SU'] }, first)).not.toThrow();
  });

  it.each([
    [{ frequency: 'daily', interval: 0 }, ['/recurrence/interval']],
    [{ frequency: 'daily', interval: 1001 }, ['/recurrence/interval']],
    [{ frequency: 'daily', interval: 1.5 }, ['/recurrence/interval']],
    [{ frequency: 'daily', interval: 1, count: 0 }, ['/recurrence/count']],
    [{ frequency: 'daily', interval: 1, count: 10_001 }, ['/recurrence/count']],
    [{ frequency: 'fortnightly', interval: 1 }, ['/recurrence/frequency']],
    [{ frequency: 'daily', interval: 1, count: 3, until: d('2026-02-01T00:00:00Z') }, ['/recurrence/until']],
    [{ frequency: 'daily', interval: 1, until: d('2026-01-10T08:59:59Z') }, ['/recurrence/until']],
    [{ frequency: 'daily', interval: 1, until: new Date(NaN) }, ['/recurrence/until']],
    [{ frequency: 'hourly', interval: -1, count: 0 }, ['/recurrence/frequency', '/recurrence/interval', '/recurrence/count']],
    [{ frequency: 'weekly', interval: 1, byDay: ['MO', 'XX', '2TU'] }, ['/recurrence/byDay/1', '/recurrence/byDay/2']],
    [{ frequency: 'monthly', interval: 1, byDay: ['6MO', '0TU', '-5FR'] }, ['/recurrence/byDay/0', '/recurrence/byDay/1']],
    [{ frequency: 'yearly', interval: 1, byDay: ['54MO', '20MO'] }, ['/recurrence/byDay/0']],
    [{ frequency: 'yearly', interval: 1, byWeekNo: [1], byDay: ['1MO'] }, ['/recurrence/byDay/0']],
    [{ frequency: 'monthly', interval: 1, byMonthDay: [0, 32, -31, -32, 1.5] }, ['/recurrence/byMonthDay/0', '/recurrence/byMonthDay/1', '/recurrence/byMonthDay/3', '/recurrence/byMonthDay/4']],
    [{ frequency: 'weekly', interval: 1, byMonthDay: [1] }, ['/recurrence/byMonthDay']],
    [{ frequency: 'monthly', interval: 1, byYearDay: [1] }, ['/recurrence/byYearDay']],
    [{ frequency: 'yearly', interval: 1, byYearDay: [367, -366] }, ['/recurrence/byYearDay/0']],
    [{ frequency: 'monthly', interval: 1, byWeekNo: [1] }, ['/recurrence/byWeekNo']],
    [{ frequency: 'yearly', interval: 1, byWeekNo: [54] }, ['/recurrence/byWeekNo/0']],
    [{ frequency: 'yearly', interval: 1, byMonth: [0, 13, -1] }, ['/recurrence/byMonth/0', '/recurrence/byMonth/1', '/recurrence/byMonth/2']],
    [{ frequency: 'monthly', interval: 1, bySetPos: [1] }, ['/recurrence/bySetPos']],
    [{ frequency: 'monthly', interval: 1, byDay: ['MO'], bySetPos: [0, 367] }, ['/recurrence/bySetPos/0', '/recurrence/bySetPos/1']],
    [{ frequency: 'daily', interval: 1, byHour: [24], byMinute: [60], bySecond: [60] }, ['/recurrence/bySecond/0', '/recurrence/byMinute/0', '/recurrence/byHour/0']],
    [{ frequency: 'daily', interval: 1, byHour: [8, 9, 10, 11, 12], byMinute: [0, 10, 20, 30, 40] }, ['/recurrence/byHour']],
    [{ frequency: 'weekly', interval: 1, wkst: 'XX' }, ['/recurrence/wkst']],
  ])('when the recurrence is %o, then it is a 400 on %o', (r, paths) => {
    expect(fieldErrors(() => validateRecurrence(r as Recurrence, first))).toEqual(paths);
  });

  it('when a frequency finer than daily is given, then the message says to use daily with byHour', () => {
    expect(problems(() => validateRecurrence({ frequency: 'hourly' as never, interval: 1 }, first))[0]!.message).toMatch(/daily with byHour/);
  });

  it('when a path is given, then the field errors are under it', () => {
    expect(fieldErrors(() => validateRecurrence({ frequency: 'daily', interval: 0 }, first, { path: '/input/recurrence' }))).toEqual(['/input/recurrence/interval']);
  });

  it('when the rule came as text, then every error is on /rrule and names its part', () => {
    const errs = problems(() => validateRecurrence({ frequency: 'weekly', interval: 1, byDay: ['2TU'], byMonthDay: [3] }, first, { source: 'rrule' }));
    expect(errs.map((e) => e.path)).toEqual(['/recurrence/rrule', '/recurrence/rrule']);
    expect(errs[0]!.message).toMatch(/^BYDAY=2TU: /);
    expect(errs[1]!.message).toMatch(/^BYMONTHDAY=3: /);
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
  it('when the series is all-day, then UNTIL is the local date (DTSTART;VALUE=DATE needs a DATE)', () => {
    expect(toRRule({ frequency: 'yearly', interval: 1, until: d('2030-12-31T22:59:59Z') }, { dateIn: 'Europe/Paris' })).toBe('FREQ=YEARLY;INTERVAL=1;UNTIL=20301231');
  });
  it('when the series is endless, then there is neither COUNT nor UNTIL', () => {
    expect(toRRule({ frequency: 'monthly', interval: 1 })).toBe('FREQ=MONTHLY;INTERVAL=1');
  });
  it('when BY parts are given in any order, then they are written in RFC 5545 order as sorted sets, WKST last and only when not MO', () => {
    const r: Recurrence = { frequency: 'yearly', interval: 2, wkst: 'SU', bySetPos: [-1, 1], byMonth: [12, 1, 1], byDay: ['-1FR', 'SU', 'MO', '+2MO', 'FR'], byHour: [17, 9], byMinute: [30] };
    expect(toRRule(r)).toBe('FREQ=YEARLY;INTERVAL=2;BYMINUTE=30;BYHOUR=9,17;BYDAY=MO,2MO,FR,-1FR,SU;BYMONTH=1,12;BYSETPOS=1,-1;WKST=SU');
    expect(toRRule({ ...r, wkst: 'MO' })).not.toMatch(/WKST/);
  });
  it('when negative values are mixed with positive ones, then positives come first, then -1, -2…', () => {
    expect(toRRule({ frequency: 'monthly', interval: 1, byMonthDay: [-2, 15, -1, 1] })).toBe('FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=1,15,-1,-2');
  });
});

describe('parseRRule', () => {
  it('when the text has the RRULE: prefix, lower case and any part order, then it reads the same rule', () => {
    const a = parseRRule('RRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=10', UTC);
    const b = parseRRule('count=10;byday=-1fr;freq=monthly;', UTC);
    expect(a).toEqual({ frequency: 'monthly', interval: 1, count: 10, byDay: ['-1FR'] });
    expect(b).toEqual(a);
  });

  it('when every part is given, then each lands in its field', () => {
    expect(parseRRule('FREQ=YEARLY;INTERVAL=2;UNTIL=20301231T235959Z;BYSECOND=0;BYMINUTE=0,30;BYHOUR=9;BYDAY=+1MO,TU;BYMONTHDAY=-1;BYYEARDAY=100;BYWEEKNO=20;BYMONTH=3;BYSETPOS=2;WKST=SU', UTC)).toEqual({
      frequency: 'yearly', interval: 2, until: d('2030-12-31T23:59:59Z'), bySecond: [0], byMinute: [0, 30], byHour: [9], byDay: ['1MO', 'TU'], byMonthDay: [-1], byYearDay: [100], byWeekNo: [20], byMonth: [3], bySetPos: [2], wkst: 'SU',
    });
  });

  it('when UNTIL is a date, then the whole of that day in the series zone is included', () => {
    expect(parseRRule('FREQ=DAILY;UNTIL=20261231', { timeZone: 'Europe/Paris' }).until).toEqual(d('2026-12-31T22:59:59Z'));
  });

  it.each([
    ['', /empty/],
    ['INTERVAL=2', /FREQ is required/],
    ['FREQ=HOURLY', /finer than DAILY/],
    ['FREQ=FORTNIGHTLY', /FREQ must be one of/],
    ['FREQ=DAILY;FREQ=WEEKLY', /given twice/],
    ['FREQ=DAILY;X-FOO=1', /not a rule part/],
    ['FREQ=DAILY;RSCALE=HEBREW', /not a rule part/],
    ['FREQ=DAILY;COUNT=-1', /COUNT=-1: not a positive integer/],
    ['FREQ=DAILY;UNTIL=20261231T235959', /UNTIL=20261231T235959: not a UTC date-time/],
    ['FREQ=DAILY;UNTIL=20260231', /UNTIL=20260231/],
    ['FREQ=WEEKLY;BYDAY=MO,XY', /"XY" is not a weekday/],
    ['FREQ=MONTHLY;BYMONTHDAY=1,a', /"a" is not an integer/],
    ['FREQ=WEEKLY;WKST=XX', /WKST=XX/],
    ['FREQ=WEEKLY;;COUNT=2', /is not a NAME=VALUE rule part/],
    ['DTSTART:20260101T090000Z\nRRULE:FREQ=DAILY', /RRULE value only/],
  ])('when the text is %p, then it is a 400 on /recurrence/rrule saying %p', (text, message) => {
    const errs = problems(() => parseRRule(text, UTC));
    expect(errs).toEqual([{ path: '/recurrence/rrule', message: expect.stringMatching(message) }]);
  });
});

describe('normalizeRecurrence', () => {
  it('when lists repeat values or are empty, then they become sorted sets and empty ones go', () => {
    expect(normalizeRecurrence({ frequency: 'weekly', interval: 1, byDay: ['fr', 'MO', 'FR'], byMonth: [], wkst: 'MO' })).toEqual({ frequency: 'weekly', interval: 1, byDay: ['MO', 'FR'] });
  });
});

describe('resolveRecurrence', () => {
  const ctx = { timeZone: 'Europe/Paris', firstStart: first };

  it('when only the fields are given, then they are the rule, interval defaulting to 1 and nulls and empty lists ignored', () => {
    expect(resolveRecurrence({ frequency: 'weekly', byDay: ['WE', 'MO'], count: null, byMonth: [] }, ctx)).toEqual({ frequency: 'weekly', interval: 1, byDay: ['MO', 'WE'] });
  });

  it('when only the text is given, then it is the rule', () => {
    expect(resolveRecurrence({ rrule: 'RRULE:FREQ=MONTHLY;BYDAY=2TU' }, ctx)).toEqual({ frequency: 'monthly', interval: 1, byDay: ['2TU'] });
  });

  it('when both are given and agree (as a client sends back what it read), then it is that rule', () => {
    const r = resolveRecurrence({ frequency: 'monthly', interval: 1, count: null, until: null, byDay: ['2TU'], rrule: 'FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU' }, ctx);
    expect(toRRule(r)).toBe('FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU');
  });

  it('when both are given and disagree, then it is a 400 on /recurrence/rrule showing both', () => {
    expect(problems(() => resolveRecurrence({ frequency: 'weekly', rrule: 'FREQ=MONTHLY' }, ctx))).toEqual([
      { path: '/recurrence/rrule', message: expect.stringContaining('FREQ=MONTHLY;INTERVAL=1') },
    ]);
  });

  it('when neither is given, or fields without frequency, then it is a 400 on /recurrence/frequency', () => {
    expect(fieldErrors(() => resolveRecurrence({}, ctx))).toEqual(['/recurrence/frequency']);
    expect(fieldErrors(() => resolveRecurrence({ interval: 2 }, ctx))).toEqual(['/recurrence/frequency']);
  });

  it('when the text breaks a rule, then the error is on /recurrence/rrule; when the fields do, on the field', () => {
    expect(fieldErrors(() => resolveRecurrence({ rrule: 'FREQ=WEEKLY;BYDAY=2TU' }, ctx))).toEqual(['/recurrence/rrule']);
    expect(fieldErrors(() => resolveRecurrence({ frequency: 'weekly', byDay: ['2TU'] }, ctx))).toEqual(['/recurrence/byDay/0']);
  });
});
