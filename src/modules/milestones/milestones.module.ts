import type DataLoader from 'dataloader';
import type { AppModule } from '../../infra/module';
import { EventRule, UserEventRule } from './event-rule.entity';
import { EventRuleResolver } from './event-rule.resolver';
import { eventRuleRoutes } from './event-rule.routes';
import { EventRuleService, linkDefaultRules } from './event-rule.service';
import type { EventTypeRegistry } from './event-types/event-type';
import { EventRuleSchema, EventTypeSchema, SubscriptionSchema, TriggeredEventSchema } from './milestones.schemas';
import type { TriggeredEvent } from './nearest-event';
import { type NearestKey, nearestEventLoader, type UpcomingKey, upcomingEventsLoader } from './nearest-event.loaders';
import { nearestEventRoutes } from './nearest-event.routes';
import { NearestEventService } from './nearest-event.service';
import { Subscription } from './subscription.entity';
import { SubscriptionResolver } from './subscription.resolver';
import { subscriptionRoutes } from './subscription.routes';
import { SubscriptionService } from './subscription.service';
import { UserMilestonesResolver } from './user-milestones.resolver';

declare module '../../infra/services' {
  interface AppDeps {
    /** The event types of nearest-event rules (default: src/modules/milestones/event-types/registry.ts). */
    eventTypes: EventTypeRegistry;
  }
  interface Services {
    subscriptions: SubscriptionService;
    eventRules: EventRuleService;
    nearestEvents: NearestEventService;
  }
}

declare module '../../infra/loaders' {
  interface Loaders {
    nearestEvent: DataLoader<NearestKey, TriggeredEvent | null, string>;
    upcomingEvents: DataLoader<UpcomingKey, TriggeredEvent[], string>;
  }
}

/**
 * Milestones: users' subscriptions, event types and rules, and each user's nearest and upcoming
 * events computed from them (anchors come from the users, this module and the events module).
 */
export const milestonesModule: AppModule = {
  name: 'milestones',
  entities: [Subscription, EventRule, UserEventRule],
  resolvers: [SubscriptionResolver, EventRuleResolver, UserMilestonesResolver],
  httpSchemas: [SubscriptionSchema, EventRuleSchema, EventTypeSchema, TriggeredEventSchema],
  routes: async (app) => {
    await app.register(subscriptionRoutes);
    await app.register(eventRuleRoutes);
    await app.register(nearestEventRoutes);
  },
  services: {
    subscriptions: ({ em, deps }) => new SubscriptionService(em, deps.cursors, deps.cache),
    eventRules: ({ em, deps }) => new EventRuleService(em, deps.cursors, deps.eventTypes, deps.cache),
    nearestEvents: ({ em, deps }) => new NearestEventService(em, deps.eventTypes, deps.cursors, deps.cache, deps.config.cacheTtlSeconds),
  },
  hooks: {
    userCreated: ({ deps }) => linkDefaultRules(deps.config.defaultEventRules),
  },
  loaders: {
    nearestEvent: ({ services }) => nearestEventLoader(services.nearestEvents),
    upcomingEvents: ({ services }) => upcomingEventsLoader(services.nearestEvents),
  },
};
