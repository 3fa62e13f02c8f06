import { Temporal } from '@js-temporal/polyfill';
import { toZoned } from '../../../src/modules/events/domain/event-time';
import { expandOccurrences, validateSeries } from '../../../src/modules/events/domain/recurrence';
import { validateRecurrence } from '../../../src/modules/events/domain/rrule';
import { parseRRule } from '../../../src/modules/events/domain/rrule-text';
import { expectedLocalStarts, RFC5545_EXAMPLES, RFC_ZONE } from '../../fixtures/rfc5545-recurrence';
import { fieldErrors } from '../../helpers/errors';

/**
 * Every example of RFC 5545 §3.8.5.3 through the pure path the API takes: the rule text is parsed and
 * validated, the series checked as a whole, then expanded; the occurrences must be the RFC's, in its
 * zone. The HTTP test (recurrence-http.test.ts) runs a representative set through the listing.
 */

const instant = (local: string) => new Date(Temporal.PlainDateTime.from(local).toZonedDateTime(RFC_ZONE).epochMilliseconds);
const localOf = (d: Date) => toZoned(d, RFC_ZONE).toPlainDateTime().toString({ smallestUnit: 'minute' });
const TEN_MINUTES = 600_000;
const FAR = new Date('2100-01-01T00:00:00Z');

const cases = RFC5545_EXAMPLES.flatMap((example) => example.rrules.map((rrule) => ({ example, rrule })));

describe('RFC 5545 §3.8.5.3 examples', () => {
  it.each(cases.filter((c) => !c.example.refused).map((c) => [`${c.example.title}: ${c.rrule}`, c] as const))('%s', (_, { example, rrule }) => {
    const expected = expectedLocalStarts(example);
    const recurrence = parseRRule(rrule, { timeZone: RFC_ZONE });
    let start = instant(example.dtstart);
    validateRecurrence(recurrence, start, { source: 'rrule' });
    const series = { start, durationMs: TEN_MINUTES, timeZone: RFC_ZONE, recurrence, exdates: (example.exdates ?? []).map(instant) };
    if (example.unsynchronizedStart) {
      // RFC 5545 counts such a DTSTART (then excludes it); this service wants a start the rule generates.
      expect(fieldErrors(() => validateSeries(series, { horizon: FAR }))).toEqual(['/start']);
      start = instant(expected[0]!);
      Object.assign(series, { start, exdates: [] });
    }
    validateSeries(series, { horizon: new Date(start.getTime() + 366 * 86_400_000) });
    const limit = example.open ? expected.length : expected.length + 1;
    const got = expandOccurrences(series, { from: start, to: FAR }, { limit });
    expect(got.map((o) => localOf(o.start))).toEqual(expected);
  });

  it.each(cases.filter((c) => c.example.refused).map((c) => [`${c.example.title}: ${c.rrule}`, c] as const))('%s is refused (FREQ finer than daily)', (_, { rrule }) => {
    expect(fieldErrors(() => parseRRule(rrule, { timeZone: RFC_ZONE }))).toEqual(['/recurrence/rrule']);
  });
});
