import { applyPatch, followSeries, resolveScope, sameSeries, snapshotOf } from '../../../src/modules/events/entries/series-rules';
import { Event } from '../../../src/modules/events/event.entity';
import { fieldErrors } from '../../helpers/errors';

const HOUR = 3_600_000;
const d = (iso: string) => new Date(iso);

/** A row as the services hold it, without a database (relations are plain references). */
function row(fields: Partial<Event> = {}): Event {
  const e = new Event({ calendar: { id: 'c' } as never, host: { id: 'h' } as never, title: 'Standup', start: d('2026-03-02T08:00:00Z'), end: d('2026-03-02T09:00:00Z'), timeZone: 'Europe/Paris' });
  return Object.assign(e, { description: 'notes', location: 'room 1' }, fields);
}

describe('resolveScope', () => {
  const at = d('2026-03-09T08:00:00Z');

  it('when the entry is no series, then every edit is of the whole entry, whatever is asked', () => {
    expect(resolveScope(false, undefined, undefined)).toBe('all');
    expect(resolveScope(false, at, 'single')).toBe('all');
  });

  it('when no scope is given, then an occurrence means single and the series id means all', () => {
    expect(resolveScope(true, at, undefined)).toBe('single');
    expect(resolveScope(true, undefined, undefined)).toBe('all');
  });

  it('when a scope is given with an occurrence, then it is kept', () => {
    expect(resolveScope(true, at, 'following')).toBe('following');
    expect(resolveScope(true, at, 'all')).toBe('all');
  });

  it('when single or following is asked without an occurrence, then it is a 400 at /scope', () => {
    expect(fieldErrors(() => resolveScope(true, undefined, 'single'))).toEqual(['/scope']);
    expect(fieldErrors(() => resolveScope(true, undefined, 'following'))).toEqual(['/scope']);
  });
});

describe('applyPatch', () => {
  it('when PATCH moves only the start, then the duration is kept and the other fields stay', () => {
    const e = row();
    applyPatch(e, { start: d('2026-03-02T10:30:00Z') }, 'patch');
    expect([e.start, e.end]).toEqual([d('2026-03-02T10:30:00Z'), d('2026-03-02T11:30:00Z')]);
    expect([e.title, e.description, e.location]).toEqual(['Standup', 'notes', 'room 1']);
  });

  it('when PUT leaves out the optional fields, then they become null', () => {
    const e = row();
    applyPatch(e, { title: 'Retro', start: d('2026-03-02T08:00:00Z'), duration: 'PT30M' }, 'put');
    expect([e.title, e.description, e.location, e.end]).toEqual(['Retro', null, null, d('2026-03-02T08:30:00Z')]);
  });

  it('when PATCH gives a null description, then it is cleared; absent, it is kept', () => {
    const e = row();
    applyPatch(e, { description: null }, 'patch');
    expect([e.description, e.location]).toEqual([null, 'room 1']);
  });

  it('when a recurrence is given, then the row becomes a series with its last end; null makes it single again', () => {
    const e = row();
    applyPatch(e, { recurrence: { frequency: 'daily', count: 3 } }, 'patch');
    expect(e.recurrence).toEqual({ frequency: 'daily', interval: 1, count: 3 });
    expect(e.seriesEnd).toEqual(d('2026-03-04T09:00:00Z'));
    applyPatch(e, { recurrence: null }, 'patch');
    expect([e.recurrence, e.seriesEnd, e.exdates]).toEqual([null, null, []]);
  });

  it('when a series with an until moves by a day, then its until moves with it and no occurrence is lost', () => {
    const e = row();
    applyPatch(e, { recurrence: { frequency: 'daily', until: d('2026-03-04T08:00:00Z') } }, 'patch');
    applyPatch(e, { start: d('2026-03-03T08:00:00Z') }, 'patch');
    expect(e.recurrence!.until).toBe('2026-03-05T08:00:00.000Z');
    expect(e.seriesEnd).toEqual(d('2026-03-05T09:00:00Z'));
  });

  it('when the end is before the start, then it is a 400 at /end', () => {
    expect(fieldErrors(() => applyPatch(row(), { end: d('2026-03-02T07:00:00Z') }, 'patch'))).toEqual(['/end']);
  });
});

describe('followSeries (an override when its series changes)', () => {
  const series = () => row({ recurrence: { frequency: 'daily', interval: 1 }, seriesEnd: null });
  const original = d('2026-03-03T08:00:00Z');
  const key = d('2026-03-03T09:00:00Z');

  function override(fields: Partial<Event>): Event {
    return row({ start: original, end: new Date(original.getTime() + HOUR), originalStart: original, ...fields });
  }

  it('when the override kept its series\' time, length and texts, then it takes all of the new ones', () => {
    const before = snapshotOf(series());
    const changed = Object.assign(series(), { title: 'Daily', end: d('2026-03-02T09:30:00Z') });
    const o = override({});
    followSeries(o, original, key, before, snapshotOf(changed));
    expect([o.start, o.end, o.title, o.originalStart]).toEqual([key, new Date(key.getTime() + 1.5 * HOUR), 'Daily', key]);
  });

  it('when the override was moved, retitled and lengthened on its own, then it keeps those', () => {
    const before = snapshotOf(series());
    const changed = Object.assign(series(), { title: 'Daily', location: 'room 2' });
    const moved = d('2026-03-03T14:00:00Z');
    const o = override({ start: moved, end: new Date(moved.getTime() + 2 * HOUR), title: 'Demo' });
    followSeries(o, original, key, before, snapshotOf(changed));
    expect([o.start, o.end, o.title, o.location, o.originalStart]).toEqual([moved, new Date(moved.getTime() + 2 * HOUR), 'Demo', 'room 2', key]);
  });
});

describe('sameSeries', () => {
  it('when nothing an exception depends on changed, then it is the same; a new title or time is not', () => {
    const s = row({ recurrence: { frequency: 'weekly', interval: 1 } });
    expect(sameSeries(snapshotOf(s), snapshotOf(s))).toBe(true);
    expect(sameSeries(snapshotOf(s), snapshotOf(Object.assign(row({ recurrence: s.recurrence }), { title: 'Other' })))).toBe(false);
    expect(sameSeries(snapshotOf(s), snapshotOf(row({ recurrence: s.recurrence, start: d('2026-03-02T08:30:00Z') })))).toBe(false);
  });
});
