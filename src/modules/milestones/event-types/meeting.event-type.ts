import { meetingAnchors } from '../../events/timeline/meeting-anchors';
import type { EventTypeDefinition } from './event-type';
import { EventTags } from '../../events/event-tags';

/** Each meeting of the user within the window (`eventId` = the event or occurrence id), from the events module. */
export const meetingEventType: EventTypeDefinition = {
  key: 'meeting',
  label: 'Meeting',
  description: 'The start of each meeting the user hosts or attends',
  cacheTags: (userId) => [EventTags.eventsOf(userId)],
  loadAnchors: (ctx, userIds, window) => meetingAnchors(ctx.em, [...userIds], window),
};
