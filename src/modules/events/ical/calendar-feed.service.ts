import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../../infra/actor';
import { AppError } from '../../../infra/errors';
import { Calendar } from '../../calendars/calendar.entity';
import { isUuid } from '../domain/event-id';
import { CalendarFeed } from './calendar-feed.entity';
import type { ICalendarService } from './ical.service';

/** A calendar's feed as its owner sees it; `path` is relative to the service's base URL. */
export interface FeedView {
  calendarId: string;
  token: string;
  path: string;
  createdAt: Date;
}

/** The secret iCalendar feed of a calendar: rotate, read, revoke (owner) and serve (anyone with the token). */
export class CalendarFeedService {
  constructor(
    private readonly em: EntityManager,
    private readonly icalendar: ICalendarService,
    private readonly vtimezone: (tz: string) => string | null,
  ) {}

  /** The current feed. @throws AppError 404 (not the owner's calendar, or no feed) */
  async get(actor: Actor, calendarId: string): Promise<FeedView> {
    await this.owned(actor, calendarId);
    const feed = await this.em.findOne(CalendarFeed, { calendar: calendarId });
    if (!feed) throw AppError.notFound('feed of calendar', calendarId);
    return toFeedView(calendarId, feed);
  }

  /** Creates the feed, or replaces its token (the old URL stops working at once). @throws AppError 404 */
  async rotate(actor: Actor, calendarId: string): Promise<FeedView> {
    await this.owned(actor, calendarId);
    const token = randomBytes(32).toString('base64url');
    const knex = this.em.getConnection().getKnex();
    const createdAt = new Date();
    await knex('calendar_feeds').insert({ calendar_id: calendarId, token, created_at: createdAt }).onConflict('calendar_id').merge();
    return { calendarId, token, path: feedPath(calendarId, token), createdAt };
  }

  /** Turns the feed off. @throws AppError 404 */
  async revoke(actor: Actor, calendarId: string): Promise<void> {
    await this.owned(actor, calendarId);
    if ((await this.em.nativeDelete(CalendarFeed, { calendar: calendarId })) === 0) throw AppError.notFound('feed of calendar', calendarId);
  }

  /**
   * The calendar as iCalendar for a request that holds its token (compared in constant time).
   * @throws AppError 404 for an unknown calendar, no feed or a wrong token (indistinguishable).
   */
  async serve(calendarId: string, token: string): Promise<string> {
    const feed = isUuid(calendarId) ? await this.em.findOne(CalendarFeed, { calendar: calendarId }, { populate: ['calendar'] }) : null;
    const given = Buffer.from(token);
    const expected = Buffer.from(feed?.token ?? 'x'.repeat(43));
    const ok = given.length === expected.length && timingSafeEqual(given, expected) && feed !== null;
    if (!ok) throw AppError.notFound('feed');
    const owner = feed!.calendar.getEntity().owner.id;
    return this.icalendar.exportCalendar({ userId: owner, role: 'user' }, calendarId, this.vtimezone);
  }

  private async owned(actor: Actor, calendarId: string): Promise<void> {
    if (!(await this.em.count(Calendar, { id: calendarId, owner: actor.userId }))) throw AppError.notFound('calendar', calendarId);
  }
}

function feedPath(calendarId: string, token: string): string {
  return `/calendars/${calendarId}/feed/${token}.ics`;
}

function toFeedView(calendarId: string, feed: CalendarFeed): FeedView {
  return { calendarId, token: feed.token, path: feedPath(calendarId, feed.token), createdAt: feed.createdAt };
}
