import type { EntityManager } from '@mikro-orm/postgresql';
import { type PreparedStatement, queryPrepared } from '../../../infra/prepared';
import type { TimelineRows, Window } from '../domain/timeline';
import type { EventRecord } from '../event.entity';
import { lowestStarts } from './timeline.repository';

/**
 * Extra columns computed by the listing statement itself, in its snapshot: a select list over `$1`
 * (the calendar id), e.g. the calendar's sync point, so that a page and the point it is as of are
 * one round trip and exactly consistent.
 */
export interface AlsoSelected {
  /** Distinguishes the prepared statement (one per distinct `columns`). */
  name: string;
  /** `<expr> as <name>, …`; may use `$1`, nothing else. */
  columns: string;
}

/** Epoch milliseconds of a `timestamptz` column (floored), as a `float8` the driver reads as a number. */
const ms = (column: string) => `floor(extract(epoch from ${column}) * 1000)::float8`;

/**
 * The columns a listing shows, times as epoch milliseconds: no date string is parsed and no entity
 * built. The rule and date lists are read for series only (`series` is true for kind 2).
 */
const columns = (series: boolean) => `e.id, e.title, e.description, e.location, e.all_day, e.status, e.sequence, e.transparency,
  ${ms('e.start_at')} as start_ms, ${ms('e.end_at')} as end_ms, e.time_zone, e.host_id,
  ${series ? `e.recurrence, ${ms('e.series_end')} as series_end_ms, e.rdates, e.exdates` : 'null::jsonb as recurrence, null::float8 as series_end_ms, null::jsonb as rdates, null::jsonb as exdates'},
  e.series_id, ${ms('e.original_start')} as original_ms, ${ms('e.created_at')} as created_ms, ${ms('e.updated_at')} as updated_ms`;

/**
 * Parameters: $1 calendar, $2 owner, $3 window start, $4 window end, $5/$6 keyset position after which
 * singles are read (start, UUID; null for the first page), $7 how many singles, $8 the lowest start of
 * a timed row reaching into the window, $9 of an all-day one ({@link lowestStarts} of $3). Indexes:
 * `events_calendar_range_idx` (singles), `events_all_day_idx`, `events_series_idx` (series),
 * `events_series_id_idx` (overrides).
 */
function calendarRowsSql(also?: AlsoSelected): string {
  return `with owned as (select id from calendars where id = $1 and owner_id = $2),
    singles as (
      select 1 as kind, ${columns(false)} from events e
      where e.calendar_id = (select id from owned) and e.recurrence is null and e.series_id is null
        and e.start_at < $4 and (e.start_at > $8 or (e.all_day and e.start_at > $9)) and e.end_at > $3
        and ($5::timestamptz is null or (e.start_at, e.id) > ($5::timestamptz, $6::uuid))
      order by e.start_at, e.id limit $7),
    series as (
      select 2 as kind, ${columns(true)} from events e
      where e.calendar_id = (select id from owned) and e.recurrence is not null and e.series_id is null
        and e.start_at < $4 and (e.series_end is null or e.series_end > $3)),
    overrides as (
      select 3 as kind, ${columns(false)} from events e
      where e.series_id in (select id from series)
        and ((e.original_start < $4 and (e.original_start > $8 or (e.all_day and e.original_start > $9)))
          or (e.start_at < $4 and (e.start_at > $8 or (e.all_day and e.start_at > $9)) and e.end_at > $3))),
    found as (select * from singles union all select * from series union all select * from overrides)
    select one.*, found.* from (select exists (select 1 from owned) as owned${also ? `, ${also.columns}` : ''}) as one
      left join found on true
    order by found.kind, found.start_ms, found.id`;
}

const statements = new Map<string, PreparedStatement>();

function statementFor(also?: AlsoSelected): PreparedStatement {
  const name = also ? `calendar-rows+${also.name}` : 'calendar-rows';
  let statement = statements.get(name);
  if (!statement) statements.set(name, (statement = { name, text: calendarRowsSql(also) }));
  return statement;
}

/** A listing row as {@link calendarRowsSql} selects it. */
interface ListingRow {
  kind: number | null;
  id: string;
  title: string;
  description: string | null;
  location: string | null;
  all_day: boolean;
  status: EventRecord['status'];
  sequence: number;
  transparency: EventRecord['transparency'];
  start_ms: number;
  end_ms: number;
  time_zone: string;
  host_id: string;
  recurrence: EventRecord['recurrence'];
  series_end_ms: number | null;
  rdates: string[] | null;
  exdates: string[] | null;
  series_id: string | null;
  original_ms: number | null;
  created_ms: number;
  updated_ms: number;
}

/** A row of {@link calendarRowsSql} as a record of calendar `calendarId`. */
function toRecord(r: ListingRow, calendar: { id: string }): EventRecord {
  return {
    id: r.id,
    calendar,
    title: r.title,
    description: r.description,
    location: r.location,
    allDay: r.all_day,
    status: r.status,
    sequence: r.sequence,
    transparency: r.transparency,
    start: new Date(r.start_ms),
    end: new Date(r.end_ms),
    timeZone: r.time_zone,
    host: { id: r.host_id },
    recurrence: r.recurrence,
    seriesEnd: r.series_end_ms === null ? null : new Date(r.series_end_ms),
    rdates: r.rdates ?? [],
    exdates: r.exdates ?? [],
    series: r.series_id === null ? null : { id: r.series_id },
    originalStart: r.original_ms === null ? null : new Date(r.original_ms),
    createdAt: new Date(r.created_ms),
    updatedAt: new Date(r.updated_ms),
  };
}

/**
 * What {@link mergeTimeline} needs for one calendar of `ownerId` over `window`, in ONE prepared
 * statement (src/infra/prepared.ts): whether the calendar is the owner's, the singles intersecting
 * the window (the first `page.limit` after `page.after`), the series whose span intersects it and
 * their overrides that were or now are in it, plus the `also` columns. Only the shown columns are
 * read, times as epoch milliseconds, straight into records: the ORM's row mapping, date parsing and
 * query formatting were most of a listing's own CPU in the profile of `npm run bench -- --profile`.
 * @param page.after - keyset position `[start ms, id]` (an occurrence id compares by its series UUID).
 * @returns null when the calendar does not exist or is not the owner's; else the rows, and a row
 *   carrying the `also` columns under their names (it has the listing's columns too; empty without
 *   `also`).
 */
export async function loadCalendarRows(
  em: EntityManager,
  calendarId: string,
  ownerId: string,
  window: Window,
  page: { after?: (string | number)[]; limit: number },
  also?: AlsoSelected,
): Promise<{ rows: TimelineRows; also: Record<string, unknown> } | null> {
  const after = page.after ? [new Date(Number(page.after[0])), String(page.after[1]).slice(0, 36)] : [null, null];
  const rows = await queryPrepared<ListingRow & { owned: boolean }>(em, statementFor(also), [
    calendarId, ownerId, window.from, window.to, after[0], after[1], page.limit, ...lowestStarts(window.from),
  ]);
  const first = rows[0];
  if (!first?.owned) return null;
  const out: TimelineRows = { singles: [], series: [], overrides: [] };
  const lists = [undefined, out.singles, out.series, out.overrides];
  const calendar = { id: calendarId };
  for (const row of rows) if (row.kind !== null) lists[row.kind]!.push(toRecord(row, calendar));
  // The `also` columns are in every row (the first is always there): the caller reads them by name.
  return { rows: out, also: also ? (first as unknown as Record<string, unknown>) : {} };
}
