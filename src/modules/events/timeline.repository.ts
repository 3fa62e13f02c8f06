import type { EntityManager } from '@mikro-orm/postgresql';
import { Event } from './event.entity';
import { MAX_ENTRY_MS } from './event-time';
import type { TimelineRows, Window } from './timeline';

/** Filter on the rows a timeline starts from: a calendar, a host, a participant… (MikroORM FilterQuery). */
export type TimelineScope = Record<string, unknown>;

/**
 * Filter of rows intersecting `window`. Entries last at most {@link MAX_ENTRY_MS}, so
 * `start_at > from - MAX_ENTRY_MS` bounds the index scan on (…, start_at) from below.
 */
function intersecting(window: Window): Record<string, unknown> {
  return {
    start: { $lt: window.to, $gt: new Date(window.from.getTime() - MAX_ENTRY_MS) },
    end: { $gt: window.from },
  };
}

/** Keyset condition "after (start, id)" on SQL rows (UUID ids) for a listing cursor `[start ms, id]`. */
export function afterKey([at, id]: (string | number)[]): Record<string, unknown>[] {
  const after = new Date(Number(at));
  // An occurrence id sorts right after its series' UUID, and a series row is never a single: comparing
  // with the UUID part keeps the order exact.
  return [{ start: { $gt: after } }, { start: after, id: { $gt: String(id).slice(0, 36) } }];
}

/**
 * Loads what {@link mergeTimeline} needs for `window`, in at most three statements whatever the
 * number of rows: singles intersecting the window (optionally only the first `page.limit` after a
 * cursor), series whose span `[start, seriesEnd)` intersects it (index `events_series_idx`), and the
 * overrides of those series that were or now are in it.
 */
export async function loadTimelineRows(em: EntityManager, scope: TimelineScope, window: Window, page?: { after?: (string | number)[]; limit: number }): Promise<TimelineRows> {
  const singleWhere: Record<string, unknown> = { ...scope, recurrence: null, series: null, ...intersecting(window) };
  if (page?.after) singleWhere.$and = [{ $or: afterKey(page.after) }];
  // Read-only rows: kept out of the identity map, which costs more than the query for a month view.
  const readOnly = { disableIdentityMap: true } as const;
  const singles = await em.find(Event, singleWhere, { orderBy: { start: 'asc', id: 'asc' }, ...(page && { limit: page.limit }), ...readOnly });
  const series = await em.find(Event, { ...scope, recurrence: { $ne: null }, series: null, start: { $lt: window.to }, $or: [{ seriesEnd: null }, { seriesEnd: { $gt: window.from } }] }, readOnly);
  const overrides = series.length
    ? await em.find(Event, {
        series: { $in: series.map((s) => s.id) },
        $or: [{ originalStart: { $lt: window.to, $gt: new Date(window.from.getTime() - MAX_ENTRY_MS) } }, intersecting(window)],
      }, readOnly)
    : [];
  return { singles, series, overrides };
}
