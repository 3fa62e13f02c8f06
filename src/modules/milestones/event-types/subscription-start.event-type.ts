import type { EventTypeDefinition } from './event-type';
import { subscriptionAnchors } from './subscription-anchors';
import { UserTags } from '../../users/user-tags';

/** The start of each of the user's subscriptions (`eventId` = the subscription id). */
export const subscriptionStartEventType: EventTypeDefinition = {
  key: 'subscription_start',
  label: 'Start of the subscription offer',
  description: 'When each of the user\'s subscriptions starts (startsAt)',
  cacheTags: (userId) => [UserTags.user(userId)],
  loadAnchors: (ctx, userIds) => subscriptionAnchors(ctx, userIds, 'startsAt'),
};
