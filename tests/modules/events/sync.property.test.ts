import fc from 'fast-check';
import { createTestApp, registerUser, type TestApp, type TestUser } from '../../helpers/app';

/**
 * A client that keeps a copy of a window and syncs after every write of a random sequence (singles
 * and series created, changed, moved out of the window and deleted; occurrences edited and deleted
 * with every scope) always holds exactly what a full read of the window returns. Sync pages are small
 * so that paging is exercised too.
 */

const START = '2027-03-01T00:00:00Z';
const END = '2027-03-15T00:00:00Z';
const WINDOW = `start=${START}&end=${END}`;

type Scope = 'single' | 'following' | 'all';
type Op =
  | { kind: 'single'; day: number; hour: number }
  | { kind: 'series'; day: number; hour: number; frequency: 'daily' | 'weekly'; count: number | null }
  | { kind: 'edit'; pos: number; scope: Scope; change: 'title' | 'later' | 'nextDay' | 'away' }
  | { kind: 'delete'; pos: number; scope: Scope };

const scopeArb = fc.constantFrom<Scope>('single', 'following', 'all');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('single' as const), day: fc.integer({ min: 0, max: 16 }), hour: fc.integer({ min: 6, max: 20 }) }),
  fc.record({ kind: fc.constant('series' as const), day: fc.integer({ min: -3, max: 12 }), hour: fc.integer({ min: 6, max: 20 }), frequency: fc.constantFrom<'daily' | 'weekly'>('daily', 'weekly'), count: fc.option(fc.integer({ min: 1, max: 8 })) }),
  fc.record({ kind: fc.constant('edit' as const), pos: fc.nat(40), scope: scopeArb, change: fc.constantFrom<'title' | 'later' | 'nextDay' | 'away'>('title', 'later', 'nextDay', 'away') }),
  fc.record({ kind: fc.constant('delete' as const), pos: fc.nat(40), scope: scopeArb }),
);

interface Item {
  id: string;
  title?: string;
  start: string;
  status?: string;
}

describe('incremental sync against full reads (property)', () => {
  let t: TestApp;
  let ann: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    ann = await registerUser(t.app, { timeZone: 'Europe/Paris' });
  });
  afterAll(() => t.close());

  /** Every page of a listing; returns its items and the last page's nextSyncToken. */
  async function readAll(cal: string, query: string, limit: number): Promise<{ items: Item[]; token: string }> {
    const items: Item[] = [];
    let cursor: string | null = null;
    for (;;) {
      const res = await ann.request({ method: 'GET', url: `/calendars/${cal}/entries?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}` });
      expect(res.statusCode).toBe(200);
      const page = res.json();
      items.push(...page.items);
      if (!page.nextCursor) return { items, token: page.nextSyncToken };
      expect(page.nextSyncToken).toBeNull();
      cursor = page.nextCursor;
    }
  }

  const at = (day: number, hour: number) => new Date(Date.UTC(2027, 2, 1 + day, hour)).toISOString();

  async function apply(cal: string, op: Op, shown: Item[]): Promise<void> {
    const url = (id: string, scope: Scope) => `/calendars/${cal}/entries/${id}?scope=${scope}&force=true`;
    switch (op.kind) {
      case 'single':
        await ann.request({ method: 'POST', url: `/calendars/${cal}/entries?force=true`, payload: { title: 'single', start: at(op.day, op.hour), duration: 'PT1H' } });
        return;
      case 'series':
        await ann.request({ method: 'POST', url: `/calendars/${cal}/entries?force=true`, payload: { title: 'series', start: at(op.day, op.hour), duration: 'PT1H', recurrence: { frequency: op.frequency, ...(op.count && { count: op.count }) } } });
        return;
      case 'edit': {
        const target = shown[op.pos % Math.max(shown.length, 1)];
        if (!target) return;
        const start = new Date(target.start).getTime();
        const payload = op.change === 'title' ? { title: `t${op.pos}` } : { start: new Date(start + (op.change === 'later' ? 3_600_000 : op.change === 'nextDay' ? 86_400_000 : 60 * 86_400_000)).toISOString() };
        await ann.request({ method: 'PATCH', url: url(target.id, op.scope), payload });
        return;
      }
      case 'delete': {
        const target = shown[op.pos % Math.max(shown.length, 1)];
        if (target) await ann.request({ method: 'DELETE', url: url(target.id, op.scope) });
      }
    }
  }

  it('when a client syncs after every write, then its copy equals a full read', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 8 }), async (ops) => {
        const cal = (await ann.request({ method: 'POST', url: '/calendars', payload: { name: 'property' } })).json().id;
        const copy = new Map<string, Item>();
        let { token } = await readAll(cal, WINDOW, 500);
        for (const op of ops) {
          const before = (await readAll(cal, WINDOW, 500)).items;
          await apply(cal, op, before);
          const changes = await readAll(cal, `${WINDOW}&syncToken=${encodeURIComponent(token)}`, 3);
          for (const item of changes.items) {
            // A tombstone has no title: the item is gone. Anything else is the item as it is now.
            if (item.title === undefined) copy.delete(item.id);
            else copy.set(item.id, item);
          }
          token = changes.token;
          const full = (await readAll(cal, WINDOW, 500)).items;
          const sorted = [...copy.values()].sort((a, b) => a.start.localeCompare(b.start) || (a.id < b.id ? -1 : 1));
          expect(sorted).toEqual(full);
        }
      }),
      { numRuns: 25 },
    );
  }, 300_000);
});
