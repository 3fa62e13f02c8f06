import { AppPassword } from '../modules/auth/app-password.entity';
import { Calendar } from '../modules/calendars/calendar.entity';
import { CalendarFeed } from '../modules/events/calendar-feed.entity';
import { CalendarObject } from '../modules/events/calendar-object.entity';
import { CalendarSyncState } from '../modules/events/calendar-sync-state.entity';
import { Event } from '../modules/events/event.entity';
import { Participant } from '../modules/events/participant.entity';
import { EventRule, UserEventRule } from '../modules/milestones/event-rule.entity';
import { Subscription } from '../modules/milestones/subscription.entity';
import { User } from '../modules/users/user.entity';

/** Every persisted entity; the ORM config and migrations are built from this list. */
export const ENTITIES = [User, Calendar, Event, Participant, Subscription, EventRule, UserEventRule, AppPassword, CalendarObject, CalendarSyncState, CalendarFeed];
