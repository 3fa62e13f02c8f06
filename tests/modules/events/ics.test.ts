import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import { expandWithIcalJs } from '../../helpers/ical';
import { buildCalendarIcs, type IcsEntry } from '../../../src/modules/events/ical/ics';
import { expandOccurrences, type Occurrence } from '../../../src/modules/events/domain/recurrence';

const HOUR = 3_600_000;
const d = (iso: string) => new Date(iso);

// VTIMEZONEs of the current rules (since 1996 in the EU, 2007 in the US), as a generator library
// would emit them; enough for the dates below.
const VTIMEZONES: Record<string, string> = {
  'Europe/Paris': [
    'BEGIN:VTIMEZONE', 'TZID:Europe/Paris',
    'BEGIN:DAYLIGHT', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'TZNAME:CEST', 'DTSTART:19700329T020000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'END:DAYLIGHT',
    'BEGIN:STANDARD', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'TZNAME:CET', 'DTSTART:19701025T030000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'END:STANDARD',
    'END:VTIMEZONE',
  ].join('\n'),
  'America/New_York': [
    'BEGIN:VTIMEZONE', 'TZID:America/New_York',
    'BEGIN:DAYLIGHT', 'TZOFFSETFROM:-0500', 'TZOFFSETTO:-0400', 'TZNAME:EDT', 'DTSTART:19700308T020000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU', 'END:DAYLIGHT',
    'BEGIN:STANDARD', 'TZOFFSETFROM:-0400', 'TZOFFSETTO:-0500', 'TZNAME:EST', 'DTSTART:19701101T020000', 'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU', 'END:STANDARD',
    'END:VTIMEZONE',
  ].join('\n'),
};
const vtimezone = (tz: string) => VTIMEZONES[tz] ?? null;
const calendar = { id: randomUUID(), name: 'Team, "A"; work', timeZone: 'Europe/Paris' };
const prodId = '//Example//Calendar Service//EN';
const stamps = { createdAt: d('2026-09-01T10:00:00Z'), updatedAt: d('2026-09-02T11:30:00Z') };

const weeklyParis: IcsEntry = {
  id: randomUUID(),
  title: 'Weekly sync; team, all',
  description: 'Agenda\nline two '.repeat(10),
  location: 'Room 1',
  start: d('2026-10-12T07:00:00Z'), // 09:00 CEST
  end: d('2026-10-12T08:00:00Z'),
  timeZone: 'Europe/Paris',
  ...stamps,
  recurrence: { frequency: 'weekly', interval: 1, count: 8 },
  exdates: [d('2026-11-09T08:00:00Z')],
  overrides: [
    { originalStart: d('2026-10-26T08:00:00Z'), start: d('2026-10-26T10:00:00Z'), end: d('2026-10-26T11:30:00Z'), title: 'Weekly sync (moved)', location: 'Room 2' },
  ],
};
const dailyNewYork: IcsEntry = {
  id: randomUUID(),
  title: 'Stand-up',
  start: d('2026-03-05T14:00:00Z'), // 09:00 EST
  end: d('2026-03-05T14:15:00Z'),
  timeZone: 'America/New_York',
  ...stamps,
  recurrence: { frequency: 'daily', interval: 2, until: d('2026-11-05T14:00:00Z') },
};
const monthlyEndless: IcsEntry = {
  id: randomUUID(),
  title: 'Month end',
  start: d('2026-01-31T08:00:00Z'),
  end: d('2026-01-31T09:00:00Z'),
  timeZone: 'Europe/Paris',
  ...stamps,
  recurrence: { frequency: 'monthly', interval: 1 },
};
const singleUtc: IcsEntry = {
  id: randomUUID(),
  title: 'One-off',
  start: d('2026-10-20T15:00:00Z'),
  end: d('2026-10-20T16:00:00Z'),
  timeZone: 'UTC',
  ...stamps,
};
const entries = [weeklyParis, dailyNewYork, monthlyEndless, singleUtc];

/** What the service would list: expanded occurrences with overrides applied. */
function expected(entry: IcsEntry, window: { from: Date; to: Date }): Occurrence[] {
  if (!entry.recurrence) return entry.start < window.to && entry.end > window.from ? [{ originalStart: entry.start, start: entry.start, end: entry.end }] : [];
  const occ = expandOccurrences(
    { start: entry.start, durationMs: entry.end.getTime() - entry.start.getTime(), timeZone: entry.timeZone, recurrence: entry.recurrence, exdates: entry.exdates },
    { from: new Date(window.from.getTime() - 2 * 24 * HOUR), to: window.to }, // overrides may move into the window
  );
  return occ
    .map((o) => {
      const moved = entry.overrides?.find((x) => x.originalStart.getTime() === o.originalStart.getTime());
      return moved ? { originalStart: o.originalStart, start: moved.start, end: moved.end } : o;
    })
    .filter((o) => o.start < window.to && o.end > window.from);
}

describe('buildCalendarIcs', () => {
  const text = buildCalendarIcs(calendar, entries, { prodId, vtimezone });
  const unfolded = text.replace(/\r\n[ \t]/g, '');

  it('when built, then it is a VCALENDAR with CRLF lines of at most 75 octets', () => {
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(text.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(unfolded).toContain('PRODID:-//Example//Calendar Service//EN');
    expect(unfolded).toContain('X-WR-TIMEZONE:Europe/Paris');
  });

  it('when a series is written, then DTSTART has the TZID and the local time, and RRULE/EXDATE follow RFC 5545', () => {
    expect(unfolded).toContain('DTSTART;TZID=Europe/Paris:20261012T090000');
    expect(unfolded).toContain('DTEND;TZID=Europe/Paris:20261012T100000');
    expect(unfolded).toContain('RRULE:FREQ=WEEKLY;INTERVAL=1;COUNT=8');
    expect(unfolded).toContain('EXDATE;TZID=Europe/Paris:20261109T090000');
    expect(unfolded).toContain('RRULE:FREQ=DAILY;INTERVAL=2;UNTIL=20261105T140000Z');
    expect(unfolded).toContain('RRULE:FREQ=MONTHLY;INTERVAL=1\r\n');
  });

  it('when an occurrence is overridden, then a VEVENT with the same UID has its RECURRENCE-ID in the series zone', () => {
    const blocks = unfolded.split('BEGIN:VEVENT').filter((b) => b.includes(`UID:${weeklyParis.id}`));
    expect(blocks).toHaveLength(2);
    const override = blocks.find((b) => b.includes('RECURRENCE-ID'))!;
    expect(override).toContain('RECURRENCE-ID;TZID=Europe/Paris:20261026T090000');
    expect(override).toContain('DTSTART;TZID=Europe/Paris:20261026T110000');
    expect(override).not.toContain('RRULE');
  });

  it('when an entry is in UTC, then its times are UTC and DTSTAMP/CREATED/LAST-MODIFIED are always UTC', () => {
    expect(unfolded).toContain('DTSTART:20261020T150000Z');
    expect(unfolded.match(/^DTSTAMP:.*$/gm)!.every((l) => l === 'DTSTAMP:20260902T113000Z')).toBe(true);
    expect(unfolded).toContain('CREATED:20260901T100000Z');
    expect(unfolded).toContain('LAST-MODIFIED:20260902T113000Z');
  });

  it('when a VTIMEZONE generator is given, then one VTIMEZONE per zone used is written; without it, none', () => {
    expect(unfolded.match(/BEGIN:VTIMEZONE/g)).toHaveLength(2);
    expect(unfolded).toContain('TZID:America/New_York');
    const bare = buildCalendarIcs(calendar, entries, { prodId });
    expect(bare).not.toContain('VTIMEZONE');
    expect(bare).toContain('DTSTART;TZID=Europe/Paris:20261012T090000');
  });

  it('when the server process runs in another zone, then the output is the same', () => {
    const before = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Tokyo';
      expect(buildCalendarIcs(calendar, entries, { prodId, vtimezone })).toBe(text);
    } finally {
      process.env.TZ = before;
      if (before === undefined) delete process.env.TZ;
    }
  });

  it('when parsed back by ical.js, then every entry yields the same occurrences as expandOccurrences, across DST', () => {
    const window = { from: d('2026-01-01T00:00:00Z'), to: d('2027-06-01T00:00:00Z') };
    const parsed = expandWithIcalJs(text, window);
    for (const entry of entries) {
      const want = expected(entry, window).map((o) => [o.originalStart.toISOString(), o.start.toISOString(), o.end.toISOString()]);
      const got = parsed.get(entry.id)!.map((o) => [o.originalStart.toISOString(), o.start.toISOString(), o.end.toISOString()]);
      expect(got).toEqual(want);
    }
    // Spot checks of the story: 09:00 Paris before and after the October change, the moved one, the cancelled one.
    const weekly = parsed.get(weeklyParis.id)!;
    expect(weekly.map((o) => o.start.toISOString())).toEqual([
      '2026-10-12T07:00:00.000Z',
      '2026-10-19T07:00:00.000Z',
      '2026-10-26T10:00:00.000Z',
      '2026-11-02T08:00:00.000Z',
      '2026-11-16T08:00:00.000Z',
      '2026-11-23T08:00:00.000Z',
      '2026-11-30T08:00:00.000Z',
    ]);
    expect(weekly[2].summary).toBe('Weekly sync (moved)');
    expect(weekly[0].summary).toBe('Weekly sync; team, all');
    expect(parsed.get(monthlyEndless.id)!.map((o) => o.start.toISOString().slice(0, 10))).toEqual(
      ['2026-01-31', '2026-03-31', '2026-05-31', '2026-07-31', '2026-08-31', '2026-10-31', '2026-12-31', '2027-01-31', '2027-03-31', '2027-05-31'],
    );
  });

  it('when parsed by ical.js, then texts with commas, semicolons and newlines round-trip', () => {
    const root = new ICAL.Component(ICAL.parse(text));
    expect(root.getFirstPropertyValue('x-wr-calname') ?? root.getFirstPropertyValue('name')).toBe(calendar.name);
    const master = root.getAllSubcomponents('vevent').find((c) => c.getFirstPropertyValue('uid') === weeklyParis.id && !c.hasProperty('recurrence-id'))!;
    expect(master.getFirstPropertyValue('description')).toBe(weeklyParis.description);
    expect(master.getFirstPropertyValue('location')).toBe('Room 1');
  });
});
