import type { EventTypeDefinition } from './event-type';
import { subscriptionAnchors } from './subscription-anchors';
import { UserTags } from '../../users/user-tags';

/** The end of each of the user's subscriptions that has one (`eventId` = the subscription id). */
export const subscriptionEndEventType: EventTypeDefinition = {
  key: 'subscription_end',
  label: 'End of the subscription offer',
  description: 'When each of the user\'s subscriptions ends (endsAt); open-ended subscriptions have none',
  cacheTags: (userId) => [UserTags.user(userId)],
  loadAnchors: (ctx, userIds) => subscriptionAnchors(ctx, userIds, 'endsAt'),
};
