import type DataLoader from 'dataloader';
import type { Page } from '../../infra/cursor';
import type { AppModule } from '../../infra/module';
import { AvailabilityService } from './availability/availability.service';
import { EntryService } from './entries/entry.service';
import { entryRoutes } from './entry.routes';
import { Event } from './event.entity';
import { EventResolver, UserEventsResolver } from './event.resolver';
import { eventRoutes } from './event.routes';
import { EventSchema, RecurrenceSchema } from './event.schemas';
import { EventTags, tagsOfCalendars } from './event-tags';
import type { EventView } from './event.views';
import { CalendarFeed } from './ical/calendar-feed.entity';
import { CalendarFeedService } from './ical/calendar-feed.service';
import { CalendarImportService } from './ical/calendar-import.service';
import { CalendarObject } from './ical/calendar-object.entity';
import { CalendarObjectService } from './ical/calendar-object.service';
import { ICalendarService } from './ical/ical.service';
import { icalRoutes } from './ical/ical.routes';
import { IcsResolver } from './ical/ics-io.resolver';
import { feedRoutes, icsRoutes } from './ical/ics-io.routes';
import { vtimezone } from './ical/vtimezone';
import { Participant } from './participants/participant.entity';
import { participantsByEventIdLoader } from './participants/participant.loaders';
import { ParticipantResolver } from './participants/participant.resolver';
import { participantRoutes } from './participants/participant.routes';
import { ParticipantSchema } from './participants/participant.schemas';
import { ParticipantService } from './participants/participant.service';
import { eventsOfUserLoader, type UserEventsKey } from './timeline/timeline.loaders';
import { TimelineService } from './timeline/timeline.service';
import { ChangeRecorder, type EventChangesHook } from './changes/event-changes';
import { recordChanges } from './sync/change-log';
import { EntryChangeRecord } from './sync/entry-change.entity';
import { CancelledEntrySchema } from './sync/sync.schemas';
import { SyncResolver } from './sync/sync.resolver';
import { SyncService } from './sync/sync.service';
import { EventsSyncService } from './sync/events-sync.service';

declare module '../../infra/services' {
  interface Services {
    /** Reading one entry; creating, changing and deleting entries and series (entries/). */
    entries: EntryService;
    /** Listings over a time range and a user's events (timeline/). */
    timeline: TimelineService;
    /** When calendars are busy: the overlap check (availability/). */
    availability: AvailabilityService;
    /** Participants and their responses (participants/). */
    participants: ParticipantService;
    /** iCalendar export (ical/). */
    icalendar: ICalendarService;
    /** Entries as iCalendar objects, read and written one at a time (CalDAV; ical/). */
    calendarObjects: CalendarObjectService;
    /** iCalendar files imported into a calendar (ical/). */
    calendarImport: CalendarImportService;
    /** A calendar's secret iCalendar feed (ical/). */
    calendarFeeds: CalendarFeedService;
    /** Incremental sync of calendar entries and CalDAV collections over the change record (sync/). */
    sync: SyncService;
    /** Incremental sync of /events (sync/). */
    eventsSync: EventsSyncService;
  }
  interface Hooks {
    /**
     * Changes of entries and participants: each write hands them over inside its transaction and
     * again once it committed (changes/event-changes.ts). Sync (this module), webhooks and subscriptions contribute.
     */
    eventChanges: EventChangesHook;
  }
}

declare module '../../infra/loaders' {
  interface Loaders {
    participantsByEventId: DataLoader<string, Participant[]>;
    eventsOfUser: DataLoader<UserEventsKey, Page<EventView>, string>;
  }
}

/**
 * Events: calendar entries, series (RFC 5545 recurrence) and their occurrences, participants, range
 * listings, and iCalendar (export, secret feeds, import, and objects read and written one at a
 * time for CalDAV), one folder per capability (see ARCHITECTURE.md).
 */
export const eventsModule: AppModule = {
  name: 'events',
  entities: [Event, Participant, CalendarObject, EntryChangeRecord, CalendarFeed],
  resolvers: [EventResolver, ParticipantResolver, UserEventsResolver, IcsResolver, SyncResolver],
  httpSchemas: [ParticipantSchema, RecurrenceSchema, EventSchema, CancelledEntrySchema],
  routes: async (app) => {
    await app.register(entryRoutes);
    await app.register(icalRoutes);
    await app.register(eventRoutes);
    await app.register(participantRoutes);
    await app.register(icsRoutes);
  },
  // A calendar's secret feed: the token in its URL is the credential.
  publicRoutes: feedRoutes,
  services: {
    entries: ({ em, deps, services, hooks }) => new EntryService(em, deps.cache, services.availability, new ChangeRecorder(hooks('eventChanges'))),
    timeline: ({ em, deps }) => new TimelineService(em, deps.cursors, deps.cache, deps.config.cacheTtlSeconds),
    availability: ({ em }) => new AvailabilityService(em),
    participants: ({ em, deps, hooks }) => new ParticipantService(em, deps.cache, new ChangeRecorder(hooks('eventChanges'))),
    icalendar: ({ em }) => new ICalendarService(em),
    calendarObjects: ({ em, deps, services, hooks }) => new CalendarObjectService(em, deps.cache, services.availability, vtimezone, new ChangeRecorder(hooks('eventChanges')), services.sync),
    calendarImport: ({ em, deps, services, hooks }) => new CalendarImportService(em, deps.cache, services.availability, new ChangeRecorder(hooks('eventChanges'))),
    calendarFeeds: ({ em, services }) => new CalendarFeedService(em, services.icalendar, vtimezone),
    sync: ({ em, deps, services }) => new SyncService(em, deps.cursors, services.timeline, deps.cache, deps.config.cacheTtlSeconds),
    eventsSync: ({ em, deps, services }) => new EventsSyncService(em, deps.cursors, services.timeline),
  },
  hooks: {
    // The change record of incremental sync, written in the writer's transaction (sync/change-log.ts).
    eventChanges: () => ({ inTransaction: (em, changes) => recordChanges(em, changes) }),
    // A user's deletion takes its calendars, their entries and its participations with it.
    userDeleting: ({ em }) => async (userId) => [EventTags.eventsOf(userId), ...(await tagsOfCalendars(em, { ownerId: userId }))],
    calendarDeleting: ({ em }) => (calendarId) => tagsOfCalendars(em, { calendarId }),
  },
  loaders: {
    participantsByEventId: ({ services }) => participantsByEventIdLoader(services.participants),
    eventsOfUser: ({ services, actor }) => eventsOfUserLoader(services.timeline, actor),
  },
};
