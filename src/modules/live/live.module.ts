import type { AppModule } from '../../infra/module';
import type { ChangeBus } from './change-bus';
import type { LiveHub } from './live-hub';
import { CalendarChangesResolver, InvitationChangesResolver } from './live.resolver';
import { LiveService } from './live.service';

declare module '../../infra/services' {
  interface AppDeps {
    /** Carries committed changes to every replica's subscribers (LIVE_FANOUT). */
    changeBus: ChangeBus;
    /** This replica's GraphQL subscriptions, by topic. */
    liveHub: LiveHub;
  }
  interface Services {
    live: LiveService;
  }
}

/**
 * Live updates: GraphQL subscriptions (`calendarChanges`, `myInvitations`) over graphql-ws, fed by the
 * `eventChanges` hook of the events module through the change bus. src/app.ts builds the bus and the
 * hub and attaches the WebSocket server (live.server.ts) to the HTTP server.
 */
export const liveModule: AppModule = {
  name: 'live',
  resolvers: [CalendarChangesResolver, InvitationChangesResolver],
  services: {
    live: ({ deps, services }) => new LiveService(deps.liveHub, services.calendars, services.entries),
  },
  hooks: {
    eventChanges: ({ deps }) => ({
      inTransaction: (em, changes) => deps.changeBus.publishInTransaction(em, changes),
      afterCommit: (changes) => deps.changeBus.publishAfterCommit(changes),
    }),
  },
};
