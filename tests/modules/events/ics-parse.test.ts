import { vtimezone } from '../../../src/modules/events/ical/vtimezone';
import { buildCalendarIcs } from '../../../src/modules/events/ical/ics';
import { IcsError, parseIcs } from '../../../src/modules/events/ical/ics-parse';

const cal = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const event = (...lines: string[]) => ['BEGIN:VEVENT', 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'];
const parse = (text: string, floatingZone = 'Europe/Paris') => parseIcs(text, { floatingZone });

function errorOf(fn: () => unknown): IcsError {
  try {
    fn();
  } catch (err) {
    if (err instanceof IcsError) return err;
    throw err;
  }
  throw new Error('expected an IcsError');
}

describe('iCalendar → domain', () => {
  it('when a VEVENT has TZID, UTC and floating times, then each becomes the right instant and zone', () => {
    const { objects } = parse(cal(
      ...event('UID:a', 'DTSTART;TZID=Europe/Paris:20260701T090000', 'DTEND;TZID=Europe/Paris:20260701T100000', 'SUMMARY:Paris'),
      ...event('UID:b', 'DTSTART:20260701T090000Z', 'DURATION:PT30M', 'SUMMARY:UTC'),
      ...event('UID:c', 'DTSTART:20260115T090000', 'DTEND:20260115T093000', 'SUMMARY:Floating', 'LOCATION:Room 1', 'DESCRIPTION:a\\, b\\nc'),
    ));
    expect(objects.map((o) => [o.uid, o.master!.start.toISOString(), o.master!.end.toISOString(), o.master!.timeZone, o.master!.title])).toEqual([
      ['a', '2026-07-01T07:00:00.000Z', '2026-07-01T08:00:00.000Z', 'Europe/Paris', 'Paris'],
      ['b', '2026-07-01T09:00:00.000Z', '2026-07-01T09:30:00.000Z', 'UTC', 'UTC'],
      ['c', '2026-01-15T08:00:00.000Z', '2026-01-15T08:30:00.000Z', 'Europe/Paris', 'Floating'],
    ]);
    expect(objects[2]!.master).toMatchObject({ location: 'Room 1', description: 'a, b\nc' });
    expect(objects.every((o) => o.problems.length === 0)).toBe(true);
  });

  it('when TZID is an Outlook name defined by a VTIMEZONE or an old Mozilla path, then the VTIMEZONE and the IANA suffix are honoured', () => {
    const { objects } = parse(cal(
      'BEGIN:VTIMEZONE', 'TZID:W. Europe Standard Time',
      'BEGIN:STANDARD', 'DTSTART:16011028T030000', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'END:STANDARD',
      'BEGIN:DAYLIGHT', 'DTSTART:16010325T020000', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'END:DAYLIGHT',
      'END:VTIMEZONE',
      ...event('UID:outlook', 'DTSTART;TZID=W. Europe Standard Time:20260701T090000', 'DTEND;TZID=W. Europe Standard Time:20260701T100000'),
      ...event('UID:moz', 'DTSTART;TZID=/mozilla.org/20050126_1/America/New_York:20260105T090000', 'DURATION:PT1H'),
    ), 'Europe/Berlin');
    expect(objects[0]!.master).toMatchObject({ start: new Date('2026-07-01T07:00:00Z'), timeZone: 'Europe/Berlin' });
    expect(objects[1]!.master).toMatchObject({ start: new Date('2026-01-05T14:00:00Z'), timeZone: 'America/New_York' });
  });

  it('when DURATION has days across a DST change, then the days are wall-clock days', () => {
    const { objects } = parse(cal(...event('UID:d', 'DTSTART;TZID=Europe/Paris:20260328T120000', 'DURATION:P1DT1H')));
    // 28 March 12:00 CET + 1 day = 29 March 12:00 CEST (23 h later), then 1 h.
    expect(objects[0]!.master!.end.toISOString()).toBe('2026-03-29T11:00:00.000Z');
  });

  it('when a weekly series has restating BYDAY, COUNT, EXDATE and a moved occurrence, then all of it is kept', () => {
    const { objects } = parse(cal(
      ...event('UID:s', 'DTSTART;TZID=Europe/Paris:20261006T090000', 'DTEND;TZID=Europe/Paris:20261006T100000', 'SUMMARY:Weekly', 'RRULE:FREQ=WEEKLY;BYDAY=TU;WKST=MO;COUNT=10',
        'EXDATE;TZID=Europe/Paris:20261013T090000,20261020T090000', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT15M', 'DESCRIPTION:soon', 'END:VALARM', 'X-MOZ-GENERATION:3'),
      ...event('UID:s', 'RECURRENCE-ID;TZID=Europe/Paris:20261027T090000', 'DTSTART;TZID=Europe/Paris:20261027T150000', 'DTEND;TZID=Europe/Paris:20261027T160000', 'SUMMARY:Moved'),
    ));
    expect(objects).toHaveLength(1);
    const [s] = objects;
    expect(s!.problems).toEqual([]);
    expect(s!.master!.recurrence).toEqual({ frequency: 'weekly', interval: 1, count: 10, byDay: ['TU'] });
    expect(s!.master!.exdates.map((d) => d.toISOString())).toEqual(['2026-10-13T07:00:00.000Z', '2026-10-20T07:00:00.000Z']);
    // 27 October is after the clock change: 09:00 local is 08:00Z.
    expect(s!.overrides).toEqual([expect.objectContaining({ recurrenceId: new Date('2026-10-27T08:00:00Z'), start: new Date('2026-10-27T14:00:00Z'), title: 'Moved' })]);
    expect(s!.preserved.master!.map((p) => (p as unknown[])[0])).toEqual(['x-moz-generation', 'valarm']);
  });

  it('when a VEVENT has a full RRULE with RDATE and EXDATE, then all of it maps to the series', () => {
    const { objects } = parse(cal(...event('UID:u', 'DTSTART;TZID=Europe/Paris:20260105T090000', 'DURATION:PT1H', 'RRULE:FREQ=MONTHLY;BYDAY=1MO,-1FR;WKST=SU;COUNT=6',
      'RDATE;TZID=Europe/Paris:20260110T090000,20260111T090000', 'RDATE;VALUE=DATE:20260112', 'EXDATE:20260130T080000Z')));
    expect(objects[0]!.problems).toEqual([]);
    expect(objects[0]!.master!.recurrence).toEqual({ frequency: 'monthly', interval: 1, count: 6, byDay: ['1MO', '-1FR'], wkst: 'SU' });
    expect(objects[0]!.master!.rdates.map((d) => d.toISOString())).toEqual(['2026-01-10T08:00:00.000Z', '2026-01-11T08:00:00.000Z', '2026-01-12T08:00:00.000Z']);
    expect(objects[0]!.master!.exdates.map((d) => d.toISOString())).toEqual(['2026-01-30T08:00:00.000Z']);
  });

  it('when UNTIL is a date, then the last occurrence on that date is included', () => {
    const { objects } = parse(cal(...event('UID:u', 'DTSTART;TZID=Europe/Paris:20260105T090000', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;UNTIL=20260110')));
    expect(objects[0]!.master!.recurrence).toEqual({ frequency: 'daily', interval: 1, until: new Date('2026-01-10T08:00:00Z') });
  });

  it.each([
    ['an RDATE period', ['RDATE;VALUE=PERIOD:20260110T090000Z/PT1H', 'RRULE:FREQ=DAILY'], 'RDATE;VALUE=PERIOD'],
    ['an EXRULE', ['EXRULE:FREQ=WEEKLY', 'RRULE:FREQ=DAILY'], 'EXRULE'],
    ['an ordinal BYDAY in a weekly rule', ['RRULE:FREQ=WEEKLY;BYDAY=MO,2WE'], 'RRULE BYDAY'],
    ['FREQ=HOURLY', ['RRULE:FREQ=HOURLY'], 'RRULE FREQ=HOURLY'],
    ['an RRULE with RFC 7529 RSCALE and SKIP', ['RRULE:FREQ=MONTHLY;RSCALE=HEBREW;SKIP=FORWARD;BYMONTHDAY=1'], 'RRULE RSCALE'],
    ['an RRULE with an X- part', ['RRULE:FREQ=WEEKLY;BYDAY=MO;X-NAME=1'], 'RRULE X-NAME'],
    ['an RRULE with a misspelt part', ['RRULE:FREQ=WEEKLY;BYDAYS=MO'], 'RRULE BYDAYS'],
    ['a STATUS of another component', ['STATUS:NEEDS-ACTION'], 'STATUS:NEEDS-ACTION'],
    ['a 201-character SUMMARY', [`SUMMARY:${'x'.repeat(201)}`], 'SUMMARY'],
  ])('when a VEVENT has %s, then it is a problem naming the property, not a silent loss', (_what, lines, property) => {
    const { objects } = parse(cal(...event('UID:p', 'DTSTART;TZID=Europe/Paris:20260105T090000', 'DURATION:PT1H', ...lines)));
    expect(objects[0]!.problems).toEqual([expect.objectContaining({ property, line: expect.any(Number) })]);
  });

  it('when a VEVENT has STATUS and TRANSP, then they map to status and transparency (absent: confirmed, opaque)', () => {
    const { objects } = parse(cal(
      ...event('UID:a', 'DTSTART:20260105T090000Z', 'DURATION:PT1H', 'STATUS:TENTATIVE', 'TRANSP:TRANSPARENT'),
      ...event('UID:b', 'DTSTART:20260106T090000Z', 'DURATION:PT1H', 'STATUS:cancelled'),
      ...event('UID:c', 'DTSTART:20260107T090000Z', 'DURATION:PT1H'),
    ));
    expect(objects.map((o) => [o.problems, o.master!.status, o.master!.transparency])).toEqual([
      [[], 'tentative', 'transparent'],
      [[], 'cancelled', 'opaque'],
      [[], 'confirmed', 'opaque'],
    ]);
  });

  it('when DTSTART is a date, then it is an all-day entry floating in the calendar zone; a timed DTEND or an orphan override is a problem', () => {
    const { objects } = parse(cal(
      ...event('UID:allday', 'DTSTART;VALUE=DATE:20260105', 'DTEND;VALUE=DATE:20260108'),
      ...event('UID:oneday', 'DTSTART;VALUE=DATE:20260110'),
      ...event('UID:mixed', 'DTSTART;VALUE=DATE:20260111', 'DTEND:20260111T120000Z'),
      ...event('UID:orphan', 'RECURRENCE-ID:20260105T090000Z', 'DTSTART:20260105T100000Z', 'DURATION:PT1H'),
    ));
    expect(objects.map((o) => o.problems.map((p) => p.property))).toEqual([[], [], ['DTEND'], ['RECURRENCE-ID']]);
    // The test calendar's zone is Europe/Paris: days start at 23:00Z in winter.
    expect(objects[0]!.master).toMatchObject({ allDay: true, start: new Date('2026-01-04T23:00:00Z'), end: new Date('2026-01-07T23:00:00Z'), timeZone: 'Europe/Paris' });
    expect(objects[1]!.master).toMatchObject({ allDay: true, start: new Date('2026-01-09T23:00:00Z'), end: new Date('2026-01-10T23:00:00Z') });
  });

  it('when the text is malformed, has an unknown TZID, a VEVENT without UID or a UID twice, then it is an IcsError naming the line', () => {
    expect(errorOf(() => parse(cal(...event('UID:x', 'DTSTART:20260105T090000Z', 'this line has no colon')))).line).toBe(8);
    expect(errorOf(() => parse(cal(...event('UID:x', 'DTSTART;TZID=Mars/Olympus:20260105T090000')))).message).toMatch(/TZID=Mars\/Olympus/);
    expect(errorOf(() => parse(cal(...event('DTSTART:20260105T090000Z')))).line).toBe(4);
    const twice = errorOf(() => parse(cal(...event('UID:x', 'DTSTART:20260105T090000Z'), ...event('UID:x', 'DTSTART:20260106T090000Z'))));
    expect(twice).toMatchObject({ line: 9, property: 'UID' });
    expect(errorOf(() => parse(cal(...event('UID:x', 'DTSTART:20261345T090000Z')))).property).toBe('DTSTART');
    expect(() => parse('hello')).toThrow(IcsError);
  });

  it('when the export of a series with an override and exceptions is read back, then the same entry comes out', () => {
    const series = {
      id: 'round-trip', title: 'Sync', description: 'notes; with, punctuation', location: null,
      start: new Date('2026-10-05T07:00:00Z'), end: new Date('2026-10-05T08:00:00Z'), timeZone: 'Europe/Paris',
      createdAt: new Date('2026-01-01T00:00:00Z'), updatedAt: new Date('2026-01-02T00:00:00Z'),
      recurrence: { frequency: 'weekly' as const, interval: 2, until: new Date('2026-12-28T08:00:00Z') },
      exdates: [new Date('2026-10-19T07:00:00Z')],
      overrides: [{ originalStart: new Date('2026-11-02T08:00:00Z'), start: new Date('2026-11-02T13:00:00Z'), end: new Date('2026-11-02T13:30:00Z'), title: 'Moved' }],
    };
    const text = buildCalendarIcs({ id: 'c', name: 'Work', timeZone: 'Europe/Paris' }, [series], { prodId: '//test//test//EN', vtimezone });
    const [o] = parse(text, 'UTC').objects;
    expect(o!.problems).toEqual([]);
    expect(o!.master).toMatchObject({ title: 'Sync', description: series.description, start: series.start, end: series.end, timeZone: 'Europe/Paris', recurrence: { frequency: 'weekly', interval: 2, until: series.recurrence.until }, exdates: series.exdates });
    expect(o!.overrides).toEqual([expect.objectContaining({ recurrenceId: series.overrides[0]!.originalStart, start: series.overrides[0]!.start, end: series.overrides[0]!.end, title: 'Moved' })]);
  });
});
