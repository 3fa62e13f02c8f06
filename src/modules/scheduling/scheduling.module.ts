import type { AppModule } from '../../infra/module';
import { SchedulingResolver } from './scheduling.resolver';
import { schedulingRoutes } from './scheduling.routes';
import { FreeBusySchema, MeetingSuggestionsSchema, WorkingHoursSchema } from './scheduling.schemas';
import { SchedulingService } from './scheduling.service';
import { UserWorkingHours } from './working-hours.entity';
import { WorkingHoursService } from './working-hours.service';

declare module '../../infra/services' {
  interface Services {
    /** Free/busy and meeting suggestions. */
    scheduling: SchedulingService;
    /** Working hours per user. */
    workingHours: WorkingHoursService;
  }
}

/**
 * Scheduling: free/busy of users and calendars, meeting-time suggestions and working hours. Reads
 * entries, users and calendars only through the events, users and calendars services.
 */
export const schedulingModule: AppModule = {
  name: 'scheduling',
  entities: [UserWorkingHours],
  resolvers: [SchedulingResolver],
  httpSchemas: [WorkingHoursSchema, FreeBusySchema, MeetingSuggestionsSchema],
  routes: schedulingRoutes,
  services: {
    scheduling: ({ services }) => new SchedulingService(services, services.workingHours),
    workingHours: ({ em, services }) => new WorkingHoursService(em, services.users),
  },
};
