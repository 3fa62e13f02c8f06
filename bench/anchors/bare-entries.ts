import { createHmac } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { jwtVerify } from 'jose';
import type { Pool } from 'pg';

/**
 * The anchor of the REST listing: `GET /calendars/:calendarId/entries?start=&end=&limit=` as a bare
 * Fastify + pg handler would write it. It checks the bearer token (HS256, `sub`), reads the calendar's
 * sync point (as the service, for `nextSyncToken`), then runs ONE indexed SQL statement that checks
 * ownership, reads the singles of the window, expands the series in PostgreSQL (`generate_series` in
 * the series' local time) and sorts the page; Fastify serialises it with fast-json-stringify from a
 * response schema. The body is byte-identical to the service's for the
 * data the bench seeds (a smoke test checks it).
 *
 * Deliberately bare: no cursor parameter (first pages only), series limited to what the bench seeds
 * (endless daily or weekly rules without exception dates or overrides), no ETag, no logging.
 */
export function buildBareApp(opts: { pool: Pool; jwtSecret: string }): FastifyInstance {
  const app = Fastify({ logger: false });
  const key = new TextEncoder().encode(opts.jwtSecret);
  const cursorKey = `cursor:${opts.jwtSecret}`;

  app.get<{ Params: { calendarId: string }; Querystring: { start: string; end: string; limit: number } }>('/calendars/:calendarId/entries', {
    schema: {
      querystring: {
        type: 'object',
        required: ['start', 'end'],
        properties: { start: { type: 'string' }, end: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
      },
      response: { 200: PageSchema },
    },
  }, async (req, reply) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    let sub: string | undefined;
    try {
      sub = token ? (await jwtVerify(token, key, { algorithms: ['HS256'] })).payload.sub : undefined;
    } catch {
      sub = undefined;
    }
    if (!sub) return reply.code(401).send();
    const { calendarId } = req.params;
    const { limit } = req.query;
    // The sync point first (as the service: taken before the page is read), then the page.
    const { rows: [point] } = await opts.pool.query<{ point: string }>({ name: 'bare-sync-point', text: SYNC_POINT_SQL, values: [calendarId] });
    const { rows } = await opts.pool.query<Row>({ name: 'bare-entries', text: ENTRIES_SQL, values: [calendarId, sub, new Date(req.query.start), new Date(req.query.end), limit + 1] });
    if (rows.length === 0 && !(await owns(opts.pool, calendarId, sub))) return reply.code(404).send();
    const items = rows.slice(0, limit).map(toItem);
    const last = items[items.length - 1];
    const inner = rows.length > limit && last ? cursor(cursorKey, `entries:${calendarId}`, [last.start.getTime(), last.id]) : null;
    if (inner) return { items, nextCursor: cursor(cursorKey, `entries-page:${calendarId}:${sub}`, [inner, point!.point]), nextSyncToken: null };
    const day = Math.floor(Date.now() / 86_400_000);
    const window = [new Date(req.query.start).getTime(), new Date(req.query.end).getTime()];
    return { items, nextCursor: null, nextSyncToken: cursor(cursorKey, `entries-sync:${calendarId}:${sub}`, [point!.point, day, ...window]) };
  });
  return app;
}

/** Only for an empty page: tells "not yours" (404) from "nothing in the window". */
async function owns(pool: Pool, calendarId: string, userId: string): Promise<boolean> {
  const { rowCount } = await pool.query('select 1 from calendars where id = $1 and owner_id = $2', [calendarId, userId]);
  return (rowCount ?? 0) > 0;
}

interface Row {
  id: string;
  calendar_id: string;
  title: string;
  description: string | null;
  location: string | null;
  status: string;
  transparency: string;
  all_day: boolean;
  start_at: Date;
  end_at: Date;
  time_zone: string;
  host_id: string;
  series_id: string | null;
  original_start: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The service's sync point of calendar $1 (src/modules/events/sync/change-log.ts). */
const SYNC_POINT_SQL = `select least(pg_snapshot_xmin(pg_current_snapshot())::text::bigint,
  coalesce((select max(txid) from entry_changes where calendar_id = $1)::text::bigint + 1, 1))::text as point`;

/**
 * Singles intersecting [$3, $4) by the (calendar_id, start_at, end_at) index (an entry lasts at most
 * 25 h, which bounds start_at from below), plus the occurrences of the calendar's series in the window,
 * the first $5 in (start, id) order, in the calendar $1 of owner $2.
 */
const ENTRIES_SQL = `
with cal as (select id from calendars where id = $1 and owner_id = $2),
singles as (
  select e.id::text as id, e.calendar_id, e.title, e.description, e.location, e.status, e.transparency, e.all_day, e.start_at, e.end_at, e.time_zone, e.host_id,
         null::text as series_id, null::timestamptz as original_start, e.created_at, e.updated_at
  from events e
  where e.calendar_id = (select id from cal) and e.recurrence is null and e.series_id is null
    and e.start_at < $4 and e.start_at > $3::timestamptz - interval '25 hours' and e.end_at > $3
  order by e.start_at, e.id
  limit $5
),
occurrences as (
  select s.id::text || '_' || to_char(o.at at time zone 'UTC', 'YYYYMMDD"T"HH24MISS"Z"') as id, s.calendar_id, s.title, s.description, s.location, s.status, s.transparency, s.all_day,
         o.at as start_at, o.at + (s.end_at - s.start_at) as end_at, s.time_zone, s.host_id, s.id::text as series_id, o.at as original_start,
         s.created_at, s.updated_at
  from events s
  cross join lateral (select case s.recurrence->>'frequency' when 'daily' then 1 else 7 end * (s.recurrence->>'interval')::int as days) step
  cross join lateral (
    -- From the last step before the window (in local wall-clock time), not from the series' start.
    select g at time zone s.time_zone as at
    from generate_series(
      (s.start_at at time zone s.time_zone) + make_interval(days => step.days * greatest(0, floor(
        extract(epoch from (($3::timestamptz - (s.end_at - s.start_at)) at time zone s.time_zone) - (s.start_at at time zone s.time_zone)) / 86400 / step.days))::int),
      $4::timestamptz at time zone s.time_zone,
      make_interval(days => step.days)) g
  ) o
  where s.calendar_id = (select id from cal) and s.recurrence is not null and s.series_id is null
    and s.start_at < $4 and (s.series_end is null or s.series_end > $3)
    and o.at < $4 and o.at + (s.end_at - s.start_at) > $3
)
select * from (select * from singles union all select * from occurrences) x
order by start_at, id collate "C"
limit $5`;

function toItem(r: Row) {
  return {
    id: r.id,
    calendarId: r.calendar_id,
    title: r.title,
    description: r.description,
    location: r.location,
    status: r.status,
    transparency: r.transparency,
    // The bench seeds timed entries only: an all-day one would need its local dates here.
    allDay: r.all_day,
    startDate: null,
    endDate: null,
    start: r.start_at,
    end: r.end_at,
    duration: isoDuration(r.end_at.getTime() - r.start_at.getTime()),
    timeZone: r.time_zone,
    hostId: r.host_id,
    recurrence: null,
    seriesId: r.series_id,
    originalStart: r.original_start,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** `PT1H30M` for whole minutes (the bench's entries), positive. */
function isoDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}`;
}

/** The service's opaque keyset cursor: base64url(JSON) "." HMAC-SHA256(scope "\n" body), 22 characters. */
function cursor(key: string, scope: string, values: (string | number)[]): string {
  const body = Buffer.from(JSON.stringify(values)).toString('base64url');
  return `${body}.${createHmac('sha256', key).update(`${scope}\n${body}`).digest('base64url').slice(0, 22)}`;
}

const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });
const dateTime = { type: 'string', format: 'date-time' };

/** The service's `{ items: Event[], nextCursor }` page, field for field in the same order. */
const PageSchema = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          calendarId: { type: 'string' },
          title: { type: 'string' },
          description: nullable({ type: 'string' }),
          location: nullable({ type: 'string' }),
          status: { type: 'string' },
          transparency: { type: 'string' },
          allDay: { type: 'boolean' },
          startDate: { type: 'null' },
          endDate: { type: 'null' },
          start: dateTime,
          end: dateTime,
          duration: { type: 'string' },
          timeZone: { type: 'string' },
          hostId: { type: 'string' },
          recurrence: { type: 'null' },
          seriesId: nullable({ type: 'string' }),
          originalStart: nullable(dateTime),
          createdAt: dateTime,
          updatedAt: dateTime,
        },
      },
    },
    nextCursor: nullable({ type: 'string' }),
    nextSyncToken: nullable({ type: 'string' }),
  },
};
