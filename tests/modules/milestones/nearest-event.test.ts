import fc from 'fast-check';
import { Temporal } from '@js-temporal/polyfill';
import {
  type Anchor,
  nearestEvent,
  occurrenceOf,
  type RuleSpec,
  triggeredEvents,
  upcomingEvents,
  type UserMilestones,
} from '../../../src/modules/milestones/nearest-event';

const at = (iso: string) => new Date(iso);
const rule = (id: string, eventType: string, offsetDays: number, repeat: 'none' | 'yearly' = 'none', name = id): RuleSpec => ({ id, name, eventType, offsetDays, repeat });
const user = (rules: RuleSpec[], anchors: Record<string, Anchor[]>, timeZone = 'UTC'): UserMilestones => ({ userId: 'u1', timeZone, rules, anchors: new Map(Object.entries(anchors)) });

describe('nearest event (pure)', () => {
  const signup = { inscription: [{ date: at('2025-01-10T09:00:00Z') }] };

  it('when a rule is "2 days after inscription", then the event is two local days after sign-up', () => {
    const e = nearestEvent(user([rule('r', 'inscription', 2)], signup), at('2025-01-01T00:00:00Z'));
    expect(e).toEqual({ type: 'inscription', date: at('2025-01-12T09:00:00Z'), userId: 'u1', ruleId: 'r', ruleName: 'r' });
  });

  it('when the rule has passed, then there is no nearest event', () => {
    expect(nearestEvent(user([rule('r', 'inscription', 2)], signup), at('2025-01-12T09:00:00.001Z'))).toBeNull();
  });

  it('when `after` is exactly the event, then it is the nearest (inclusive)', () => {
    expect(nearestEvent(user([rule('r', 'inscription', 2)], signup), at('2025-01-12T09:00:00Z'))?.date).toEqual(at('2025-01-12T09:00:00Z'));
  });

  it('when the rule is the joining anniversary, then the sign-up day itself is the first one and each year follows', () => {
    const m = user([rule('a', 'inscription', 0, 'yearly')], signup);
    expect(nearestEvent(m, at('2025-01-10T09:00:00Z'))?.date).toEqual(at('2025-01-10T09:00:00Z'));
    expect(nearestEvent(m, at('2025-01-10T09:00:01Z'))?.date).toEqual(at('2026-01-10T09:00:00Z'));
    expect(nearestEvent(m, at('2090-06-01T00:00:00Z'))?.date).toEqual(at('2091-01-10T09:00:00Z'));
    expect(nearestEvent(m, at('1990-06-01T00:00:00Z'))?.date).toEqual(at('2025-01-10T09:00:00Z'));
  });

  it('when the sign-up is on 29 February, then anniversaries fall on 28 February in non-leap years and on the 29th in leap years', () => {
    const m = user([rule('a', 'inscription', 0, 'yearly')], { inscription: [{ date: at('2024-02-29T12:00:00Z') }] });
    expect(nearestEvent(m, at('2024-03-01T00:00:00Z'))?.date).toEqual(at('2025-02-28T12:00:00Z'));
    expect(nearestEvent(m, at('2027-03-01T00:00:00Z'))?.date).toEqual(at('2028-02-29T12:00:00Z'));
    expect(triggeredEvents(m, { from: at('2024-01-01T00:00:00Z'), to: at('2029-01-01T00:00:00Z') }).map((e) => e.date.toISOString().slice(0, 10))).toEqual([
      '2024-02-29', '2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29',
    ]);
  });

  it('when an offset crosses the spring DST change in Europe/Paris, then the local wall-clock time is kept (47 hours)', () => {
    const m = user([rule('r', 'inscription', 2)], { inscription: [{ date: at('2025-03-29T09:00:00+01:00') }] }, 'Europe/Paris');
    expect(nearestEvent(m, at('2025-01-01T00:00:00Z'))?.date).toEqual(at('2025-03-31T09:00:00+02:00'));
  });

  it('when an offset crosses the autumn DST change backwards, then the local time is kept (25 hours)', () => {
    const m = user([rule('r', 'inscription', -1)], { inscription: [{ date: at('2025-10-27T09:00:00+01:00') }] }, 'Europe/Paris');
    expect(nearestEvent(m, at('2025-01-01T00:00:00Z'))?.date).toEqual(at('2025-10-26T09:00:00+01:00'));
    expect(nearestEvent(m, at('2025-01-01T00:00:00Z'))?.date).toEqual(at('2025-10-26T08:00:00Z'));
  });

  it('when the local time falls in the spring-forward gap, then it moves forward by the gap', () => {
    const m = user([rule('r', 'inscription', 1)], { inscription: [{ date: at('2025-03-29T02:30:00+01:00') }] }, 'Europe/Paris');
    expect(nearestEvent(m, at('2025-01-01T00:00:00Z'))?.date).toEqual(at('2025-03-30T03:30:00+02:00'));
  });

  it('when offsets are counted, then they are local calendar days, not UTC days', () => {
    // 23:30 in Tokyo is 14:30 UTC the same day; one local day later is 23:30 the next local day.
    expect(occurrenceOf(at('2025-05-01T14:30:00Z'), 'Asia/Tokyo', 1)).toEqual(at('2025-05-02T14:30:00Z'));
  });

  it('when two rules trigger at the same instant, then the order is by rule name, then rule id, then eventId', () => {
    const anchors = { meeting: [{ date: at('2025-05-01T10:00:00Z'), eventId: 'e2' }, { date: at('2025-05-01T10:00:00Z'), eventId: 'e1' }] };
    const rules = [rule('id-b', 'meeting', -1, 'none', 'B reminder'), rule('id-a2', 'meeting', -1, 'none', 'A reminder'), rule('id-a1', 'meeting', -1, 'none', 'A reminder')];
    const m = user(rules, anchors);
    expect(nearestEvent(m, at('2025-01-01T00:00:00Z'))).toMatchObject({ ruleId: 'id-a1', eventId: 'e1' });
    expect(upcomingEvents(m, at('2025-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'), 10).map((e) => `${e.ruleId}/${e.eventId}`)).toEqual([
      'id-a1/e1', 'id-a1/e2', 'id-a2/e1', 'id-a2/e2', 'id-b/e1', 'id-b/e2',
    ]);
  });

  it('when a rule has no anchors of its type (subscription without end), then it triggers nothing', () => {
    expect(nearestEvent(user([rule('r', 'subscription_end', -3)], { subscription_end: [] }), at('2000-01-01T00:00:00Z'))).toBeNull();
    expect(nearestEvent(user([], signup), at('2000-01-01T00:00:00Z'))).toBeNull();
  });

  it('when upcoming events are asked with a limit, then the first ones in order are returned, `to` excluded', () => {
    const m = user([rule('a', 'inscription', 0, 'yearly'), rule('b', 'inscription', 2)], signup);
    const list = upcomingEvents(m, at('2025-01-01T00:00:00Z'), at('2027-01-10T09:00:00Z'), 10);
    expect(list.map((e) => [e.ruleId, e.date.toISOString()])).toEqual([
      ['a', '2025-01-10T09:00:00.000Z'], ['b', '2025-01-12T09:00:00.000Z'], ['a', '2026-01-10T09:00:00.000Z'],
    ]);
    expect(upcomingEvents(m, at('2025-01-01T00:00:00Z'), at('2030-01-01T00:00:00Z'), 2)).toHaveLength(2);
  });
});

describe('nearest event (properties)', () => {
  const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Australia/Lord_Howe', 'Pacific/Chatham'];
  const TYPES = ['inscription', 'meeting', 'subscription_end'];
  const MIN = Date.parse('1990-01-01T00:00:00Z');
  const MAX = Date.parse('2040-01-01T00:00:00Z');
  const instant = fc.integer({ min: MIN / 60000, max: MAX / 60000 }).map((m) => new Date(m * 60000));
  const ruleArb = fc.record({
    id: fc.uuid(),
    name: fc.constantFrom('A', 'B', 'C'),
    eventType: fc.constantFrom(...TYPES),
    offsetDays: fc.integer({ min: -400, max: 400 }),
    repeat: fc.constantFrom<'none' | 'yearly'>('none', 'yearly'),
  });
  const anchorsArb = fc.record(Object.fromEntries(TYPES.map((t) => [t, fc.array(fc.record({ date: instant, eventId: fc.option(fc.constantFrom('e1', 'e2', 'e3'), { nil: undefined }) }), { maxLength: 3 })])));
  const milestonesArb = fc.record({ timeZone: fc.constantFrom(...ZONES), rules: fc.array(ruleArb, { maxLength: 4 }), anchors: anchorsArb });

  /**
   * Independent enumeration: every occurrence of every rule for years 0…70 after the anchor, built
   * from plain local dates (29 February → 28 February by hand), then the minimum by the tie order.
   */
  function bruteForce(m: UserMilestones, after: Date) {
    const all: { date: Date; ruleName: string; ruleId: string; eventId: string }[] = [];
    for (const r of m.rules) {
      for (const a of m.anchors.get(r.eventType) ?? []) {
        const local = Temporal.Instant.fromEpochMilliseconds(a.date.getTime()).toZonedDateTimeISO(m.timeZone).toPlainDateTime();
        for (let k = 0; k <= (r.repeat === 'yearly' ? 70 : 0); k++) {
          const year = local.year + k;
          const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
          const day = local.month === 2 && local.day === 29 && !leap ? 28 : local.day;
          const shifted = Temporal.PlainDateTime.from({ year, month: local.month, day, hour: local.hour, minute: local.minute, second: local.second, millisecond: local.millisecond })
            .add({ days: r.offsetDays })
            .toZonedDateTime(m.timeZone, { disambiguation: 'compatible' });
          const date = new Date(shifted.epochMilliseconds);
          if (date >= after) all.push({ date, ruleName: r.name, ruleId: r.id, eventId: a.eventId ?? '' });
        }
      }
    }
    all.sort((x, y) => x.date.getTime() - y.date.getTime() || (x.ruleName < y.ruleName ? -1 : x.ruleName > y.ruleName ? 1 : 0) || (x.ruleId < y.ruleId ? -1 : x.ruleId > y.ruleId ? 1 : 0) || (x.eventId < y.eventId ? -1 : x.eventId > y.eventId ? 1 : 0));
    return all[0] ?? null;
  }

  it('when computed for any rules, anchors, zone and instant, then the nearest event is the minimum of the brute-force enumeration', () => {
    fc.assert(
      fc.property(milestonesArb, instant, ({ timeZone, rules, anchors }, after) => {
        const m = user(rules, anchors, timeZone);
        const expected = bruteForce(m, after);
        const actual = nearestEvent(m, after);
        if (!expected) return actual === null;
        return actual !== null && actual.date.getTime() === expected.date.getTime() && actual.ruleId === expected.ruleId && (actual.eventId ?? '') === expected.eventId;
      }),
      { numRuns: 300 },
    );
  });

  it('when upcoming events are listed over a range, then the first is the nearest event before the end of the range', () => {
    fc.assert(
      fc.property(milestonesArb, instant, fc.integer({ min: 1, max: 800 }), ({ timeZone, rules, anchors }, from, days) => {
        const m = user(rules, anchors, timeZone);
        const to = new Date(from.getTime() + days * 86_400_000);
        const list = triggeredEvents(m, { from, to });
        const sorted = list.every((e, i) => i === 0 || e.date >= list[i - 1]!.date);
        const nearest = nearestEvent(m, from, to);
        return sorted && list.every((e) => e.date >= from && e.date < to) && (nearest === null ? list.length === 0 : list[0]!.date.getTime() === nearest.date.getTime() && list[0]!.ruleId === nearest.ruleId);
      }),
      { numRuns: 200 },
    );
  });
});
