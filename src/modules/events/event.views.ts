import type { EventStatus, Transparency } from './domain/event-status';
import { allDayDates, formatDuration } from './domain/event-time';
import type { Recurrence } from './domain/rrule';
import { toRRule } from './domain/rrule-text';
import { toRecurrence } from './domain/recurrence-record';
import type { EventRecord } from './event.entity';
import type { Participant } from './participants/participant.entity';
import { type ParticipantView, toParticipantViews } from './participants/participant.views';
import type { TimelineItem } from './domain/timeline';

/**
 * A series' recurrence as shown: the rule's fields (the BYxxx parts and `wkst` only when the rule has
 * them), the canonical RFC 5545 RRULE text they make, and the extra (RDATE) and cancelled (EXDATE)
 * occurrences as UTC instants, sorted.
 */
export interface RecurrenceView extends Omit<Recurrence, 'count' | 'until'> {
  count: number | null;
  /** Inclusive (RFC 5545), UTC. */
  until: Date | null;
  rrule: string;
  rdates: Date[];
  exdates: Date[];
}

/**
 * An entry as the front doors show it: a single entry, a series record (with `recurrence`), or an
 * occurrence of a series (id `<seriesId>_<YYYYMMDDTHHMMSSZ>`, with `seriesId` and `originalStart`).
 * Times are UTC; `duration` is ISO 8601 (`PT1H30M`).
 */
export interface EventView {
  id: string;
  calendarId: string;
  title: string;
  description: string | null;
  location: string | null;
  /** RFC 5545 STATUS. */
  status: EventStatus;
  /** RFC 5545 TRANSP: transparent entries never conflict and are never busy. */
  transparency: Transparency;
  /** An all-day entry: `startDate`/`endDate` are its dates (end exclusive) in `timeZone`; `start`/`end` the instants they begin. */
  allDay: boolean;
  startDate: string | null;
  endDate: string | null;
  start: Date;
  end: Date;
  duration: string;
  timeZone: string;
  hostId: string;
  recurrence: RecurrenceView | null;
  seriesId: string | null;
  originalStart: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Present when asked for (always on GET of one event): the host first, then by invitation. */
  participants?: ParticipantView[];
}

/** The stored recurrence of a series as shown, or null for any other row. */
export function toRecurrenceView(e: EventRecord): RecurrenceView | null {
  if (!e.recurrence) return null;
  const r = toRecurrence(e.recurrence);
  return {
    ...r,
    count: r.count ?? null,
    until: r.until ?? null,
    rrule: toRRule(r),
    rdates: (e.rdates ?? []).map((d) => new Date(d)),
    exdates: e.exdates.map((d) => new Date(d)),
  };
}

/** A single entry or a series record. */
export function toEventView(e: EventRecord, participants?: Participant[]): EventView {
  return viewOf(e, e.id, e.start, e.end, toRecurrenceView(e), participants);
}

/** An item of a listing: a single entry, or an occurrence showing its override's or its series' fields. */
export function toItemView(item: TimelineItem, participants?: Participant[]): EventView {
  if (!item.series) return toEventView(item.row, participants);
  // An occurrence shows no rule, so the series' is not turned into a view (2.4 % of the CPU of a month
  // with 50 series went to that, for every occurrence).
  const view = viewOf(item.row, item.id, item.start, item.end, null, participants);
  view.seriesId = item.series.id;
  view.originalStart = item.originalStart ?? null;
  return view;
}

/** The view of `row` under `id` at `start`–`end`, with `recurrence` as given. */
function viewOf(row: EventRecord, id: string, start: Date, end: Date, recurrence: RecurrenceView | null, participants?: Participant[]): EventView {
  const allDay = row.allDay ?? false;
  const dates = allDay ? allDayDates({ start, end }, row.timeZone) : undefined;
  const view: EventView = {
    id,
    calendarId: row.calendar.id,
    title: row.title,
    description: row.description ?? null,
    location: row.location ?? null,
    status: row.status ?? 'confirmed',
    transparency: row.transparency ?? 'opaque',
    allDay,
    startDate: dates?.startDate ?? null,
    endDate: dates?.endDate ?? null,
    start,
    end,
    duration: formatDuration(end.getTime() - start.getTime()),
    timeZone: row.timeZone,
    hostId: row.host.id,
    recurrence,
    seriesId: null,
    originalStart: null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
  if (participants) view.participants = toParticipantViews(participants);
  return view;
}
