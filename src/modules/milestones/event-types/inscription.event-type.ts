import type { EventTypeDefinition } from './event-type';
import { UserTags } from '../../users/user-tags';

/** The user's inscription date (`users.signed_up_at`): one anchor per user, no SQL (users are loaded). */
export const inscriptionEventType: EventTypeDefinition = {
  key: 'inscription',
  label: 'Inscription',
  description: 'The date the user signed up (signedUpAt)',
  cacheTags: (userId) => [UserTags.user(userId)],
  async loadAnchors(ctx, userIds) {
    return new Map(userIds.flatMap((id) => {
      const user = ctx.users.get(id);
      return user ? [[id, [{ date: user.signedUpAt }]]] : [];
    }));
  },
};
