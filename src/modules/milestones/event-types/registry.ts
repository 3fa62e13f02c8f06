import { EventTypeRegistry, type EventTypeDefinition } from './event-type';
import { inscriptionEventType } from './inscription.event-type';
import { meetingEventType } from './meeting.event-type';
import { subscriptionEndEventType } from './subscription-end.event-type';
import { subscriptionStartEventType } from './subscription-start.event-type';

/**
 * The event types of the app, in the order GET /event-types lists them. To add a type, write
 * `<key>.event-type.ts` beside this file and add it here.
 */
export const EVENT_TYPES: readonly EventTypeDefinition[] = [
  inscriptionEventType,
  subscriptionStartEventType,
  subscriptionEndEventType,
  meetingEventType,
];

/** The registry of {@link EVENT_TYPES} (immutable). */
export const DEFAULT_EVENT_TYPES = new EventTypeRegistry(EVENT_TYPES);
