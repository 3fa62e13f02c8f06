import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from './config/config';
import type { Cache } from './infra/cache';
import type { CursorCodec } from './infra/cursor';
import { AppPasswordService, type VerifiedCredentials } from './modules/auth/app-password.service';
import { AuthService } from './modules/auth/auth.service';
import type { TokenService } from './modules/auth/tokens';
import { CalendarService } from './modules/calendars/calendar.service';
import { DavService } from './modules/dav/dav.service';
import { CalendarFeedService } from './modules/events/calendar-feed.service';
import { CalendarImportService } from './modules/events/calendar-import.service';
import { CalendarObjectService } from './modules/events/calendar-object.service';
import { vtimezone } from './modules/events/entry.routes';
import { EventService } from './modules/events/event.service';
import { ParticipantService } from './modules/events/participant.service';
import { EventRuleService, linkDefaultRules } from './modules/milestones/event-rule.service';
import type { EventTypeRegistry } from './modules/milestones/event-types/event-type';
import { NearestEventService } from './modules/milestones/nearest-event.service';
import { SubscriptionService } from './modules/milestones/subscription.service';
import { UserService } from './modules/users/user.service';

/** Process-wide collaborators, built once per app (immutable; no per-user state). */
export interface AppDeps {
  config: Readonly<Config>;
  tokens: TokenService;
  cursors: CursorCodec;
  /** Read-through cache with tag revalidation (CACHE_URL). */
  cache: Cache;
  /** The event types of nearest-event rules (default: src/modules/milestones/event-types/registry.ts). */
  eventTypes: EventTypeRegistry;
  /** App-password checks remembered by this process (see VerifiedCredentials). */
  verifiedCredentials: VerifiedCredentials;
}

/** The services of one request, all sharing that request's EntityManager fork. */
export interface Services {
  users: UserService;
  auth: AuthService;
  calendars: CalendarService;
  events: EventService;
  participants: ParticipantService;
  subscriptions: SubscriptionService;
  eventRules: EventRuleService;
  nearestEvents: NearestEventService;
  appPasswords: AppPasswordService;
  calendarObjects: CalendarObjectService;
  calendarImport: CalendarImportService;
  calendarFeeds: CalendarFeedService;
  dav: DavService;
}

/** Composition root of one request: called by the REST onRequest hook and the GraphQL context. */
export function createServices(em: EntityManager, deps: AppDeps): Services {
  const events = new EventService(em, deps.cursors, deps.cache, deps.config.cacheTtlSeconds);
  const users = new UserService(em, {
    adminEmails: deps.config.adminEmails,
    cursors: deps.cursors,
    cache: deps.cache,
    onUserCreated: linkDefaultRules(deps.config.defaultEventRules),
    tagsOfOwnedCalendars: (userId) => events.tagsOfCalendars({ ownerId: userId }),
  });
  const calendars = new CalendarService(em, deps.cursors, deps.cache, events);
  const calendarObjects = new CalendarObjectService(em, events, deps.cache, vtimezone);
  return {
    users,
    auth: new AuthService(em, users, deps.tokens),
    calendars,
    events,
    participants: new ParticipantService(em, events, deps.cache),
    subscriptions: new SubscriptionService(em, deps.cursors, deps.cache),
    eventRules: new EventRuleService(em, deps.cursors, deps.eventTypes, deps.cache),
    nearestEvents: new NearestEventService(em, deps.eventTypes, deps.cursors, deps.cache, deps.config.cacheTtlSeconds),
    appPasswords: new AppPasswordService(em, deps.verifiedCredentials),
    calendarObjects,
    calendarImport: new CalendarImportService(em, events, deps.cache),
    calendarFeeds: new CalendarFeedService(em, events, vtimezone),
    dav: new DavService(users, calendars, calendarObjects, vtimezone),
  };
}
