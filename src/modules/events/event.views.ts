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
  return {
    id: e.id,
    calendarId: e.calendar.id,
    title: e.title,
    description: e.description ?? null,
    location: e.location ?? null,
    status: e.status ?? 'confirmed',
    transparency: e.transparency ?? 'opaque',
    ...timesOf(e, e.start, e.end),
    timeZone: e.timeZone,
    hostId: e.host.id,
    recurrence: toRecurrenceView(e),
    seriesId: null,
    originalStart: null,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    ...(participants && { participants: toParticipantViews(participants) }),
  };
}

/** An item of a listing: a single entry, or an occurrence showing its override's or its series' fields. */
export function toItemView(item: TimelineItem, participants?: Participant[]): EventView {
  if (!item.series) return toEventView(item.row, participants);
  return {
    ...toEventView(item.row, participants),
    id: item.id,
    ...timesOf(item.row, item.start, item.end),
    recurrence: null,
    seriesId: item.series.id,
    originalStart: item.originalStart ?? null,
  };
}

/** Times of an entry or occurrence as shown: instants, duration and, when all-day, its local dates. */
function timesOf(row: EventRecord, start: Date, end: Date): Pick<EventView, 'allDay' | 'startDate' | 'endDate' | 'start' | 'end' | 'duration'> {
  const allDay = row.allDay ?? false;
  const dates = allDay ? allDayDates({ start, end }, row.timeZone) : { startDate: null, endDate: null };
  return { allDay, ...dates, start, end, duration: formatDuration(end.getTime() - start.getTime()) };
}
