import { AppError } from '../../infra/errors';
import type { Actor } from '../../infra/actor';
import type { CalendarService } from '../calendars/calendar.service';
import type { EntryService } from '../events/entries/entry.service';
import type { EventView } from '../events/event.views';
import type { EntryChange, InvitationChange, EventChange } from '../events/changes/event-changes';
import { calendarTopic, type LiveHub, type OverflowHandler, userTopic } from './live-hub';

/**
 * GraphQL subscriptions of one caller: the same ownership rules as the queries (a calendar the caller
 * does not own is NOT_FOUND at subscribe time, not a silent stream), and the changed items read with
 * the caller's own rights when each change is sent.
 */
export class LiveService {
  constructor(
    private readonly hub: LiveHub,
    private readonly calendars: CalendarService,
    private readonly entries: EntryService,
  ) {}

  /** Changes of the entries of an owned calendar, from now on. @throws AppError 404 (not the actor's calendar). */
  async calendarChanges(actor: Actor, calendarId: string, onOverflow: OverflowHandler): Promise<AsyncIterableIterator<EventChange>> {
    await this.calendars.getOwned(actor, calendarId);
    return this.hub.subscribe(calendarTopic(calendarId), onOverflow);
  }

  /** The actor's invitations (invited, updated, removed) and responses to the events it hosts, from now on. */
  myInvitations(actor: Actor, onOverflow: OverflowHandler): AsyncIterableIterator<EventChange> {
    return this.hub.subscribe(userTopic(actor.userId), onOverflow);
  }

  /** The changed entry as it is now; null when deleted or no longer in that calendar. */
  async entryOf(actor: Actor, change: EntryChange): Promise<EventView | null> {
    if (change.kind === 'deleted') return null;
    return this.orNull(this.entries.view(actor, change.entryId, { calendarId: change.calendarId }));
  }

  /** The event of an invitation as the actor sees it now; null once the actor can no longer see it. */
  async eventOf(actor: Actor, change: InvitationChange): Promise<EventView | null> {
    return this.orNull(this.entries.view(actor, change.eventId));
  }

  private async orNull(view: Promise<EventView>): Promise<EventView | null> {
    try {
      return await view;
    } catch (err) {
      if (err instanceof AppError && err.kind === 'not_found') return null;
      throw err;
    }
  }
}
