import DataLoader from 'dataloader';
import type { AppModule } from '../../infra/module';
import { SchedulingResolver, UserWorkingHoursResolver } from './scheduling.resolver';
import { schedulingRoutes } from './scheduling.routes';
import { FreeBusySchema, MeetingSuggestionsSchema, WorkingHoursSchema } from './scheduling.schemas';
import { SchedulingService } from './scheduling.service';
import { UserWorkingHours } from './working-hours.entity';
import { type WorkingHoursView, WorkingHoursService } from './working-hours.service';

declare module '../../infra/services' {
  interface Services {
    /** Free/busy and meeting suggestions. */
    scheduling: SchedulingService;
    /** Working hours per user. */
    workingHours: WorkingHoursService;
  }
}

declare module '../../infra/loaders' {
  interface Loaders {
    /** A user's working hours by its id and time zone (the parent `User` knows both). */
    workingHoursOfUser: DataLoader<{ id: string; timeZone: string }, WorkingHoursView, string>;
  }
}

/**
 * Scheduling: free/busy of users and calendars, meeting-time suggestions and working hours. Reads
 * entries, users and calendars only through the events, users and calendars services.
 */
export const schedulingModule: AppModule = {
  name: 'scheduling',
  entities: [UserWorkingHours],
  resolvers: [SchedulingResolver, UserWorkingHoursResolver],
  httpSchemas: [WorkingHoursSchema, FreeBusySchema, MeetingSuggestionsSchema],
  routes: schedulingRoutes,
  services: {
    scheduling: ({ services }) => new SchedulingService(services, services.workingHours),
    workingHours: ({ em, services }) => new WorkingHoursService(em, services.users),
  },
  loaders: {
    workingHoursOfUser: ({ services }) => new DataLoader((users) => services.workingHours.viewsOf(users), { cacheKeyFn: (u) => u.id }),
  },
};
