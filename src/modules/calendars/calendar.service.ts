import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../infra/actor';
import type { Cache } from '../../infra/cache';
import { type CursorCodec, type Page, toPage } from '../../infra/cursor';
import { AppError } from '../../infra/errors';
import { User } from '../users/user.entity';
import type { UserCreatedHook } from '../users/user.service';
import { Calendar } from './calendar.entity';

/** A calendar as the front doors show it. */
export interface CalendarView {
  id: string;
  ownerId: string;
  name: string;
  description: string | null;
  timeZone: string;
  isPrimary: boolean;
  /** CalDAV writes and imports may overlap other entries. */
  allowOverlaps: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewCalendar {
  name: string;
  description?: string | null;
  /** IANA zone; default: the owner's. */
  timeZone?: string;
  /** Default false: CalDAV writes and imports may overlap other entries. */
  allowOverlaps?: boolean;
}

/** The calendar as REST and GraphQL show it (`ownerId` from the reference, no extra query). */
export function toCalendarView(c: Calendar): CalendarView {
  return {
    id: c.id,
    ownerId: c.owner.id,
    name: c.name,
    description: c.description ?? null,
    timeZone: c.timeZone,
    isPrimary: c.isPrimary,
    allowOverlaps: c.allowOverlaps,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/**
 * Called before a calendar is deleted (its entries go with it, by FK cascade): the cache tags of what
 * goes with it, invalidated once it is gone. The events module answers for the entries.
 */
export type CalendarDeletingHook = (calendarId: string) => Promise<string[]>;

/** The `userCreated` hook: every new user gets its primary calendar, named after it, in its time zone. */
export const createPrimaryCalendar: UserCreatedHook = async (em, user) => {
  const primary = new Calendar(em.getReference(User, user.id, { wrapped: true }), user.name, user.timeZone);
  primary.isPrimary = true;
  await em.persist(primary).flush();
};

/** The caller's calendars. Someone else's calendar reads as 404 (its existence is not revealed). */
export class CalendarService {
  constructor(
    private readonly em: EntityManager,
    private readonly cursors: CursorCodec,
    private readonly cache: Cache,
    /** Run before a deletion (the `calendarDeleting` hook). */
    private readonly onDeleting: readonly CalendarDeletingHook[] = [],
  ) {}

  /** @throws AppError 404 unless the actor owns the calendar. */
  async getOwned(actor: Actor, id: string): Promise<Calendar> {
    const calendar = await this.em.findOne(Calendar, { id, owner: actor.userId });
    if (!calendar) throw AppError.notFound('calendar', id);
    return calendar;
  }

  /**
   * The ids among `ids` of calendars the actor owns (one statement). The others are unknown or
   * someone else's: callers report both alike, so a calendar's existence is not revealed.
   */
  async ownedAmong(actor: Actor, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.em.find(Calendar, { id: { $in: [...new Set(ids)] }, owner: actor.userId }, { fields: ['id'] });
    return new Set(rows.map((c) => c.id));
  }

  /** The actor's primary calendar. @throws AppError 404 if the user has none (never after creation). */
  async getPrimary(userId: string): Promise<Calendar> {
    const calendar = await this.em.findOne(Calendar, { owner: userId, isPrimary: true });
    if (!calendar) throw AppError.notFound('primary calendar of user', userId);
    return calendar;
  }

  /** The actor's calendars, primary first, then by creation. @throws AppError 400 for a foreign cursor. */
  async list(actor: Actor, query: { limit: number; cursor?: string }): Promise<Page<Calendar>> {
    const where: Record<string, unknown> = { owner: actor.userId };
    if (query.cursor) {
      const [primaryRank, at, id] = this.cursors.decode('calendars', query.cursor);
      const after = new Date(Number(at));
      const isPrimary = primaryRank === 0;
      where.$or = [
        ...(isPrimary ? [{ isPrimary: false }] : []),
        { isPrimary, createdAt: { $gt: after } },
        { isPrimary, createdAt: after, id: { $gt: String(id) } },
      ];
    }
    const rows = await this.em.find(Calendar, where, {
      orderBy: { isPrimary: 'desc', createdAt: 'asc', id: 'asc' },
      limit: query.limit + 1,
    });
    return toPage(rows, query.limit, this.cursors, 'calendars', (c) => [c.isPrimary ? 0 : 1, c.createdAt.getTime(), c.id]);
  }

  async create(actor: Actor, input: NewCalendar): Promise<Calendar> {
    const owner = await this.em.findOneOrFail(User, actor.userId);
    const calendar = new Calendar(this.em.getReference(User, owner.id, { wrapped: true }), input.name, input.timeZone ?? owner.timeZone);
    calendar.description = input.description ?? null;
    calendar.allowOverlaps = input.allowOverlaps ?? false;
    await this.em.persist(calendar).flush();
    return calendar;
  }

  /** PUT replaces name, description, time zone and allowOverlaps; PATCH sets only what it gives. @throws AppError 404 */
  async update(actor: Actor, id: string, patch: Partial<NewCalendar>, mode: 'put' | 'patch'): Promise<Calendar> {
    const calendar = await this.getOwned(actor, id);
    if (mode === 'put') {
      calendar.name = patch.name ?? calendar.name;
      calendar.description = patch.description ?? null;
      if (patch.timeZone) calendar.timeZone = patch.timeZone;
      calendar.allowOverlaps = patch.allowOverlaps ?? false;
    } else {
      if (patch.name !== undefined) calendar.name = patch.name;
      if (patch.description !== undefined) calendar.description = patch.description;
      if (patch.timeZone !== undefined) calendar.timeZone = patch.timeZone;
      if (patch.allowOverlaps !== undefined) calendar.allowOverlaps = patch.allowOverlaps;
    }
    await this.em.flush();
    return calendar;
  }

  /**
   * Deletes a calendar and, by FK cascade, its entries.
   * @throws AppError 404, or 409 for the primary calendar (deleted only with its user).
   */
  async delete(actor: Actor, id: string): Promise<void> {
    const calendar = await this.getOwned(actor, id);
    if (calendar.isPrimary) throw new AppError('conflict', 'the primary calendar is deleted only with its user');
    const tags: string[] = [];
    for (const hook of this.onDeleting) tags.push(...(await hook(calendar.id)));
    await this.em.nativeDelete(Calendar, { id: calendar.id });
    await this.cache.invalidate(tags);
  }
}
