import type DataLoader from 'dataloader';
import type { Page } from '../../infra/cursor';
import type { AppModule } from '../../infra/module';
import { CalendarFeed } from './calendar-feed.entity';
import { CalendarFeedService } from './calendar-feed.service';
import { CalendarImportService } from './calendar-import.service';
import { CalendarObject } from './calendar-object.entity';
import { CalendarObjectService } from './calendar-object.service';
import { CalendarSyncState } from './calendar-sync-state.entity';
import { entryRoutes, vtimezone } from './entry.routes';
import { Event } from './event.entity';
import { type UserEventsKey, eventsOfUserLoader } from './event.loaders';
import { EventResolver, ParticipantResolver, UserEventsResolver } from './event.resolver';
import { eventRoutes } from './event.routes';
import { EventSchema, ParticipantSchema, RecurrenceSchema } from './event.schemas';
import { EventService, type EventView } from './event.service';
import { EventTags } from './event-tags';
import { IcsResolver } from './ics-io.resolver';
import { feedRoutes, icsRoutes } from './ics-io.routes';
import { Participant } from './participant.entity';
import { participantsByEventIdLoader } from './participant.loaders';
import { ParticipantService } from './participant.service';

declare module '../../infra/services' {
  interface Services {
    events: EventService;
    participants: ParticipantService;
    calendarObjects: CalendarObjectService;
    calendarImport: CalendarImportService;
    calendarFeeds: CalendarFeedService;
  }
}

declare module '../../infra/loaders' {
  interface Loaders {
    participantsByEventId: DataLoader<string, Participant[]>;
    eventsOfUser: DataLoader<UserEventsKey, Page<EventView>, string>;
  }
}

/** Events: calendar entries, series (RFC 5545 recurrence) and their occurrences, participants, range listings and the iCalendar export. */
export const eventsModule: AppModule = {
  name: 'events',
  entities: [Event, Participant, CalendarObject, CalendarSyncState, CalendarFeed],
  resolvers: [EventResolver, ParticipantResolver, UserEventsResolver, IcsResolver],
  httpSchemas: [ParticipantSchema, RecurrenceSchema, EventSchema],
  routes: async (app) => {
    await app.register(entryRoutes);
    await app.register(eventRoutes);
    await app.register(icsRoutes);
  },
  // A calendar's secret feed: the token in its URL is the credential.
  publicRoutes: feedRoutes,
  services: {
    events: ({ em, deps }) => new EventService(em, deps.cursors, deps.cache, deps.config.cacheTtlSeconds),
    participants: ({ em, deps, services }) => new ParticipantService(em, services.events, deps.cache),
    calendarObjects: ({ em, deps, services }) => new CalendarObjectService(em, services.events, deps.cache, vtimezone),
    calendarImport: ({ em, deps, services }) => new CalendarImportService(em, services.events, deps.cache),
    calendarFeeds: ({ em, services }) => new CalendarFeedService(em, services.events, vtimezone),
  },
  hooks: {
    // A user's deletion takes its calendars, their entries and its participations with it.
    userDeleting: ({ services }) => async (userId) => [EventTags.eventsOf(userId), ...(await services.events.tagsOfCalendars({ ownerId: userId }))],
    calendarDeleting: ({ services }) => (calendarId) => services.events.tagsOfCalendars({ calendarId }),
  },
  loaders: {
    participantsByEventId: ({ services }) => participantsByEventIdLoader(services.events),
    eventsOfUser: ({ services, actor }) => eventsOfUserLoader(services.events, actor),
  },
};
