import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../modules/auth/actor';
import { calendarByIdLoader } from '../modules/calendars/calendar.loaders';
import { eventsOfUserLoader } from '../modules/events/event.loaders';
import { participantsByEventIdLoader } from '../modules/events/participant.loaders';
import { nearestEventLoader, upcomingEventsLoader } from '../modules/milestones/nearest-event.loaders';
import { userByIdLoader } from '../modules/users/user.loaders';
import type { Services } from '../services';

/**
 * The DataLoaders of one GraphQL operation. Never share them across requests: they cache per caller.
 * @param actor - the caller; undefined for an anonymous operation (whose resolvers need none).
 */
export function createLoaders(em: EntityManager, services: Services, actor: Actor | undefined) {
  return {
    userById: userByIdLoader(em),
    calendarById: calendarByIdLoader(em),
    participantsByEventId: participantsByEventIdLoader(services.events),
    eventsOfUser: eventsOfUserLoader(services.events, actor),
    nearestEvent: nearestEventLoader(services.nearestEvents),
    upcomingEvents: upcomingEventsLoader(services.nearestEvents),
    /** The operation's start: the default `after`/`from` of User.nearestEvent/upcomingEvents, so all users share one batch. */
    startedAt: new Date(),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
