import { pastRecord, type PastRow, syncItems } from '../../../src/modules/events/domain/sync-diff';
import type { EventRecord } from '../../../src/modules/events/event.entity';

/** The pure part of incremental sync: items and tombstones of changed entries in a window. */
const WINDOW = { from: new Date('2027-01-01T00:00:00Z'), to: new Date('2027-01-08T00:00:00Z') };
const S = '00000000-0000-4000-8000-000000000001';
const E = '00000000-0000-4000-8000-000000000002';

const daily = (over: Partial<PastRow> = {}): PastRow => ({
  id: S, start: '2027-01-01T09:00:00.000Z', end: '2027-01-01T10:00:00.000Z', timeZone: 'UTC',
  recurrence: { frequency: 'daily', interval: 1, count: 3 }, exdates: [], seriesId: null, originalStart: null, ...over,
});
const single = (start: string): PastRow => ({ id: E, start, end: start.replace('T09', 'T10'), timeZone: 'UTC', recurrence: null, exdates: [], seriesId: null, originalStart: null });
const current = (...rows: PastRow[]): EventRecord[] => rows.map(pastRecord);
const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

describe('syncItems', () => {
  it('when an occurrence was cancelled (EXDATE), then it is a tombstone and the others are current items', () => {
    const { items, cancelled } = syncItems(current(daily({ exdates: ['2027-01-02T09:00:00.000Z'] })), [[daily()]], WINDOW, { limit: 50 });
    expect(ids(items)).toEqual([`${S}_20270101T090000Z`, `${S}_20270103T090000Z`]);
    expect(cancelled).toEqual([{ id: `${S}_20270102T090000Z`, seriesId: S, originalStart: new Date('2027-01-02T09:00:00Z'), start: new Date('2027-01-02T09:00:00Z') }]);
  });

  it('when an override moved an occurrence within the window, then it keeps its id and is no tombstone', () => {
    const moved: PastRow = { ...single('2027-01-05T09:00:00.000Z'), id: '00000000-0000-4000-8000-000000000003', seriesId: S, originalStart: '2027-01-02T09:00:00.000Z', recurrence: null };
    const { items, cancelled } = syncItems(current(daily(), moved), [[daily()]], WINDOW, { limit: 50 });
    expect(items.find((i) => i.id === `${S}_20270102T090000Z`)?.start).toEqual(new Date('2027-01-05T09:00:00Z'));
    expect(cancelled).toEqual([]);
  });

  it('when an entry was deleted or moved out of the window, then its past item is a tombstone', () => {
    expect(ids(syncItems([], [[single('2027-01-03T09:00:00.000Z')]], WINDOW, { limit: 50 }).cancelled)).toEqual([E]);
    expect(ids(syncItems(current(single('2027-03-03T09:00:00.000Z')), [[single('2027-01-03T09:00:00.000Z')]], WINDOW, { limit: 50 }).cancelled)).toEqual([E]);
  });

  it('when a page cursor is given, then only items and tombstones after it are returned', () => {
    const after = { start: new Date('2027-01-02T09:00:00Z'), id: `${S}_20270102T090000Z` };
    const { items, cancelled } = syncItems(current(daily({ recurrence: { frequency: 'daily', interval: 1, count: 2 } })), [[daily()]], WINDOW, { after, limit: 50 });
    expect(items).toEqual([]);
    expect(ids(cancelled)).toEqual([`${S}_20270103T090000Z`]);
  });
});
