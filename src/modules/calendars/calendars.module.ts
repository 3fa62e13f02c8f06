import type DataLoader from 'dataloader';
import type { AppModule } from '../../infra/module';
import { Calendar } from './calendar.entity';
import { calendarByIdLoader } from './calendar.loaders';
import { CalendarResolver } from './calendar.resolver';
import { calendarRoutes } from './calendar.routes';
import { CalendarSchema } from './calendar.schemas';
import { type CalendarDeletingHook, CalendarService, createPrimaryCalendar } from './calendar.service';

declare module '../../infra/services' {
  interface Services {
    calendars: CalendarService;
  }
  interface Hooks {
    /** Before a calendar is deleted: the cache tags its deletion makes stale. */
    calendarDeleting: CalendarDeletingHook;
  }
}

declare module '../../infra/loaders' {
  interface Loaders {
    calendarById: DataLoader<string, Calendar>;
  }
}

/** Calendars: each user's own, one of them primary (created with the user, deleted only with it). */
export const calendarsModule: AppModule = {
  name: 'calendars',
  entities: [Calendar],
  resolvers: [CalendarResolver],
  httpSchemas: [CalendarSchema],
  routes: calendarRoutes,
  services: {
    calendars: ({ em, deps, hooks }) => new CalendarService(em, deps.cursors, deps.cache, hooks('calendarDeleting')),
  },
  hooks: {
    userCreated: () => createPrimaryCalendar,
  },
  loaders: {
    calendarById: ({ em }) => calendarByIdLoader(em),
  },
};
