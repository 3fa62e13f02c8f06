import { toIcsEntries, toIcsEntry } from '../../../src/modules/events/ical/ical-mapping';
import type { EventRecord } from '../../../src/modules/events/event.entity';

const d = (iso: string) => new Date(iso);

function record(id: string, fields: Partial<EventRecord> = {}): EventRecord {
  const now = d('2026-01-01T00:00:00Z');
  return {
    id, title: id, description: null, location: null, status: 'confirmed', transparency: 'opaque', allDay: false, sequence: 0, start: d('2026-03-02T08:00:00Z'), end: d('2026-03-02T09:00:00Z'), timeZone: 'Europe/Paris',
    recurrence: null, seriesEnd: null, rdates: [], exdates: [], originalStart: null, createdAt: now, updatedAt: now, calendar: { id: 'c' }, host: { id: 'h' }, series: null, ...fields,
  };
}

describe('toIcsEntries', () => {
  const series = record('s', { recurrence: { frequency: 'daily', interval: 1, count: 5 }, exdates: ['2026-03-04T08:00:00.000Z'] });
  const moved = record('o1', { series: { id: 's' }, originalStart: d('2026-03-03T08:00:00Z'), start: d('2026-03-03T10:00:00Z'), end: d('2026-03-03T11:00:00Z'), title: 'moved' });
  const cancelled = record('o2', { series: { id: 's' }, originalStart: d('2026-03-04T08:00:00Z') });
  const single = record('x');

  it('when rows hold singles, series and overrides, then each single or series is one entry, in order', () => {
    expect(toIcsEntries([single, moved, series, cancelled]).map((e) => e.id)).toEqual(['x', 's']);
  });

  it('when a series has overrides, then they go with it, keyed by original start; a cancelled one is left out', () => {
    const [, entry] = toIcsEntries([single, moved, series, cancelled]);
    expect(entry!.recurrence).toEqual({ frequency: 'daily', interval: 1, count: 5 });
    expect(entry!.exdates).toEqual([d('2026-03-04T08:00:00Z')]);
    expect(entry!.overrides).toEqual([{ originalStart: d('2026-03-03T08:00:00Z'), start: d('2026-03-03T10:00:00Z'), end: d('2026-03-03T11:00:00Z'), title: 'moved', description: null, location: null, status: 'confirmed', transparency: 'opaque', sequence: 0 }]);
  });

  it('when a UID is given, then it replaces the row id (a CalDAV client chose it)', () => {
    expect(toIcsEntry(single, [], 'client-uid@example.com').id).toBe('client-uid@example.com');
  });
});
