import { type EntityManager, LockMode } from '@mikro-orm/postgresql';
import type { Actor } from '../../../infra/actor';
import type { Cache } from '../../../infra/cache';
import { AppError } from '../../../infra/errors';
import { Calendar } from '../../calendars/calendar.entity';
import type { AvailabilityService } from '../availability/availability.service';
import { isUuid } from '../domain/event-id';
import { Event } from '../event.entity';
import { tagsOfEvents } from '../event-tags';
import { CalendarObject } from './calendar-object.entity';
import { emailOf, writeObject } from './calendar-object.write';
import { IcsError, parseIcs } from './ics-parse';
import type { ChangeRecorder, EntryChange } from '../changes/event-changes';

/** Largest iCalendar file `POST /calendars/:calendarId/import` takes: 5 MiB (a few thousand events). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** What happened to one UID of an import. */
export interface ImportItem {
  uid: string;
  status: 'created' | 'updated' | 'skipped';
  /** The entry or series it is now (null when skipped). */
  eventId: string | null;
  /** Why it was skipped: the property the domain cannot hold, or the entries it overlaps. */
  reason: string | null;
}

/** The report of an import: counts and one item per UID (and per unsupported component), in file order. */
export interface ImportReport {
  created: number;
  updated: number;
  skipped: number;
  items: ImportItem[];
}

/**
 * Imports an iCalendar file (RFC 5545) into a calendar: each UID becomes an entry or a series (RRULE,
 * EXDATE and RECURRENCE-ID overrides kept, VTIMEZONE honoured), and a UID imported before is updated
 * in place, so importing the same file twice changes nothing. One transaction: a malformed file
 * imports nothing. A UID the domain cannot hold, or one that overlaps an entry (unless `force` or the
 * calendar's rules allow), is skipped and says why; the rest is imported.
 */
export class CalendarImportService {
  constructor(
    private readonly em: EntityManager,
    private readonly cache: Cache,
    private readonly availability: AvailabilityService,
    private readonly changes: ChangeRecorder,
  ) {}

  /** @throws AppError 404 (calendar), 413 (too large), 400 naming the line of a malformed file. */
  async import(actor: Actor, calendarId: string, text: string, opts: { force: boolean }): Promise<ImportReport> {
    if (Buffer.byteLength(text) > MAX_IMPORT_BYTES) throw new AppError('payload_too_large', `an import may be at most ${MAX_IMPORT_BYTES} bytes`);
    const email = await emailOf(this.em, actor.userId);
    const { report, tags, changes } = await this.em.transactional(async (em) => {
      const calendar = isUuid(calendarId) ? await em.findOne(Calendar, { id: calendarId, owner: actor.userId }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
      if (!calendar) throw AppError.notFound('calendar', calendarId);
      let parsed;
      try {
        parsed = parseIcs(text, { floatingZone: calendar.timeZone });
      } catch (err) {
        if (err instanceof IcsError) throw AppError.invalid('/body', `line ${err.line}: ${err.message}`);
        throw err;
      }
      const items: ImportItem[] = parsed.otherComponents.map((c) => ({ uid: c.uid ?? '', status: 'skipped', eventId: null, reason: `${c.name} components are not supported (line ${c.line})` }));
      const touched: string[] = [];
      for (const object of parsed.objects) {
        const existing = await rowOfUid(em, calendarId, object.uid);
        try {
          // A savepoint per UID: a skipped one leaves no trace, the others stay in the one transaction.
          const written = await em.transactional((sp) => writeObject(sp, this.availability, calendar, object, { existing, ownerEmail: email, force: opts.force || calendar.allowOverlaps }));
          touched.push(written.event.id);
          items.push({ uid: object.uid, status: written.created ? 'created' : 'updated', eventId: written.event.id, reason: null });
        } catch (err) {
          if (!(err instanceof AppError) || (err.kind !== 'bad_request' && err.kind !== 'conflict')) throw err;
          const clashes = err.details.conflicts?.map((c) => `${c.title} (${c.start.toISOString()})`).join(', ');
          items.push({ uid: object.uid, status: 'skipped', eventId: null, reason: clashes ? `overlaps ${clashes}; import with force=true to keep both` : err.message });
        }
      }
      // Each imported UID is one change of its entry or series (an update even when nothing differed).
      const changes = items.flatMap((i): EntryChange[] => (i.eventId && i.status !== 'skipped' ? [{ type: 'entry', kind: i.status, calendarId, ownerId: actor.userId, entryId: i.eventId, seriesId: null, originalStart: null }] : []));
      await this.changes.inTransaction(em, changes);
      return { report: summarise(items), tags: await tagsOfEvents(em, calendarId, touched), changes };
    });
    this.changes.afterCommit(changes);
    await this.cache.invalidate(tags);
    return report;
  }
}

/** The top-level row of `uid` in the calendar: imported or written by CalDAV before, or an entry id used as UID. */
async function rowOfUid(em: EntityManager, calendarId: string, uid: string): Promise<Event | null> {
  const mapping = await em.findOne(CalendarObject, { calendar: calendarId, uid });
  const id = mapping?.eventId ?? (isUuid(uid) ? uid : null);
  return id ? em.findOne(Event, { id, calendar: calendarId, series: null }) : null;
}

function summarise(items: ImportItem[]): ImportReport {
  const count = (s: ImportItem['status']) => items.filter((i) => i.status === s).length;
  return { created: count('created'), updated: count('updated'), skipped: count('skipped'), items };
}
