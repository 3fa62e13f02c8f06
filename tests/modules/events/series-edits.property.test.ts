import { Temporal } from '@js-temporal/polyfill';
import fc from 'fast-check';
import { createTestApp, registerUser, type TestApp, type TestUser } from '../../helpers/app';

/**
 * Random sequences of edits and deletes, with every scope at random positions of a series, against a
 * plain model of the occurrences they should leave: none may vanish or appear that the edits did not
 * ask for. The series is daily at 09:00 Europe/Paris across the October DST change.
 */

const ZONE = 'Europe/Paris';
const HOUR = 3_600_000;
const WINDOW = { from: '2026-10-20T00:00:00Z', to: '2026-11-10T00:00:00Z' };
const FIRST = Temporal.PlainDateTime.from('2026-10-22T09:00');

/** The UTC instant of `days` after the first start, at 09:00 local. */
const dailyAt = (days: number) => FIRST.add({ days }).toZonedDateTime(ZONE).epochMilliseconds;
const basic = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');

/** One occurrence of the model: its series, its original start, and what was changed on it alone. */
interface ModelOccurrence {
  series: number;
  original: number;
  ownStart?: number;
  ownTitle?: string;
  cancelled: boolean;
}
interface ModelSeries {
  id: string;
  start: number;
  title: string;
}

type Scope = 'single' | 'following' | 'all';
type Op = { kind: 'delete'; scope: Scope; pos: number } | { kind: 'edit'; scope: Scope; pos: number; shift: 0 | 1 | 2; title: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), scope: fc.constantFrom<Scope>('single', 'following', 'all'), pos: fc.nat(30) }),
  fc.record({ kind: fc.constant('edit' as const), scope: fc.constantFrom<Scope>('single', 'following', 'all'), pos: fc.nat(30), shift: fc.constantFrom<0 | 1 | 2>(0, 1, 2), title: fc.constantFrom('A', 'B', 'C') }),
);
const endArb = fc.oneof(
  fc.record({ kind: fc.constant('count' as const), n: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('until' as const), n: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('endless' as const) }),
);

describe('series edits against a model (property)', () => {
  let t: TestApp;
  let ann: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    ann = await registerUser(t.app, { timeZone: ZONE });
  });
  afterAll(() => t.close());

  it('when random edits and deletes with every scope are applied, then the listing always equals the model', async () => {
    await fc.assert(
      fc.asyncProperty(endArb, fc.array(opArb, { minLength: 1, maxLength: 6 }), async (end, ops) => {
        const cal = (await ann.request({ method: 'POST', url: '/calendars', payload: { name: 'property' } })).json().id;
        const recurrence = end.kind === 'count' ? { frequency: 'daily', count: end.n } : end.kind === 'until' ? { frequency: 'daily', until: new Date(dailyAt(end.n - 1)).toISOString() } : { frequency: 'daily' };
        const created = await ann.request({ method: 'POST', url: `/calendars/${cal}/entries`, payload: { title: 'S', start: '2026-10-22T09:00:00+02:00', duration: 'PT1H', timeZone: ZONE, recurrence } });
        expect(created.statusCode).toBe(201);
        const series: ModelSeries[] = [{ id: created.json().id, start: dailyAt(0), title: 'S' }];
        const horizon = end.kind === 'endless' ? 19 : end.n; // occurrences in the window
        const model: ModelOccurrence[] = Array.from({ length: horizon }, (_, d) => ({ series: 0, original: dailyAt(d), cancelled: false }));

        const shown = () =>
          model
            .filter((o) => !o.cancelled)
            .map((o) => ({ id: `${series[o.series]!.id}_${basic(o.original)}`, start: new Date(o.ownStart ?? o.original).toISOString(), title: o.ownTitle ?? series[o.series]!.title }))
            .sort((a, b) => a.start.localeCompare(b.start) || (a.id < b.id ? -1 : 1));
        const listed = async () => {
          const res = await ann.request({ method: 'GET', url: `/calendars/${cal}/entries?start=${WINDOW.from}&end=${WINDOW.to}&limit=500` });
          expect(res.statusCode).toBe(200);
          return res.json().items.map((i: { id: string; start: string; title: string }) => ({ id: i.id, start: i.start, title: i.title }));
        };
        /** Moves the occurrences of series `from` at or after `since` to series `to` (its new start `start`, title `title`). */
        const takeOver = (from: number, to: number, since: number, shiftMs: number, before: ModelSeries, target?: number) => {
          for (const o of model) {
            if (o.series !== from || o.original < since) continue;
            o.series = to;
            o.original += shiftMs;
            if (o.ownStart === undefined || o.ownStart === o.original - shiftMs) o.ownStart = undefined;
            if (o.ownTitle === before.title) o.ownTitle = undefined;
            if (target !== undefined && o.original === target) {
              o.ownStart = undefined;
              o.ownTitle = undefined;
            }
          }
        };

        for (const op of ops) {
          const visible = shown();
          if (visible.length === 0) break;
          const pick = visible[op.pos % visible.length]!;
          const occ = model.find((o) => `${series[o.series]!.id}_${basic(o.original)}` === pick.id)!;
          const s = occ.series;
          const url = `/calendars/${cal}/entries/${pick.id}?scope=${op.scope}`;
          if (op.kind === 'delete') {
            const res = await ann.request({ method: 'DELETE', url });
            expect(res.statusCode).toBe(204);
            for (const o of model) {
              if (o.series !== s) continue;
              if (op.scope === 'all' || (op.scope === 'following' && o.original >= occ.original) || o === occ) o.cancelled = true;
            }
          } else {
            const shiftMs = op.shift * HOUR;
            const before = { ...series[s]! };
            const start = op.scope === 'all' ? before.start + shiftMs : occ.original + shiftMs;
            const res = await ann.request({ method: 'PATCH', url, payload: { title: op.title, start: new Date(start).toISOString() } });
            expect(res.statusCode).toBe(200);
            if (op.scope === 'single') {
              occ.ownTitle = op.title;
              occ.ownStart = shiftMs ? start : undefined;
            } else if (op.scope === 'all' || occ.original === before.start) {
              series[s] = { ...before, start: before.start + shiftMs, title: op.title };
              takeOver(s, s, before.start, shiftMs, before, op.scope === 'following' ? start : undefined);
            } else {
              series.push({ id: res.json().id, start, title: op.title });
              takeOver(s, series.length - 1, occ.original, shiftMs, before, start);
            }
          }
          expect(await listed()).toEqual(shown());
        }
      }),
      { numRuns: 40 },
    );
    // About 300 requests: well over Jest's default 30 s when CI shares two cores with the database.
  }, 120_000);
});
