import type { AppModule } from '../../infra/module';
import { vtimezone } from '../events/ical/vtimezone';
import { davRoutes } from './dav.routes';
import { DavService } from './dav.service';

declare module '../../infra/services' {
  interface Services {
    dav: DavService;
  }
}

/**
 * CalDAV at /dav/ (RFC 4791, RFC 6578): the caller's calendars and entries for calendar apps,
 * authenticated with HTTP Basic and app passwords (its routes do their own authentication).
 */
export const davModule: AppModule = {
  name: 'dav',
  publicRoutes: async (app, { deps }) => {
    await app.register(davRoutes, { attempts: deps.authAttempts, verified: deps.verifiedCredentials });
  },
  services: {
    dav: ({ services }) => new DavService(services.users, services.calendars, services.calendarObjects, vtimezone),
  },
};
