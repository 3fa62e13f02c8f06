import DataLoader from 'dataloader';
import type { Actor } from '../../../infra/actor';
import { groupBy } from '../../../infra/batch';
import type { Page } from '../../../infra/cursor';
import { AppError } from '../../../infra/errors';
import type { EventView } from '../event.views';
import type { EventQuery, TimelineService } from './timeline.service';

/** Key of a `User.events` load: a user and the rest of the query (the same for the users of one field). */
export interface UserEventsKey {
  userId: string;
  query: Omit<EventQuery, 'userId'>;
}

/**
 * Events of users (GraphQL `User.events`), batched per tick: keys with the same query go to one
 * {@link TimelineService.listForUsers} call, the statements of one listing whatever the number of users.
 * A user the actor may not list resolves to its AppError (a GraphQL error on that field only).
 * Create one per request, for its caller (`actor`; undefined: every load fails with 401).
 */
export function eventsOfUserLoader(timeline: TimelineService, actor: Actor | undefined): DataLoader<UserEventsKey, Page<EventView>, string> {
  const queryKey = ({ query: q }: UserEventsKey) => JSON.stringify([q.role, q.from?.getTime(), q.to?.getTime(), q.calendarId, q.limit, q.cursor, q.includeParticipants]);
  const cacheKey = (k: UserEventsKey) => `${k.userId}|${queryKey(k)}`;
  return new DataLoader(
    async (keys) => {
      if (!actor) return keys.map(() => new AppError('unauthenticated', 'send Authorization: Bearer <access token>'));
      const results = new Map<string, Page<EventView> | Error>();
      await Promise.all(
        [...groupBy(keys, queryKey).values()].map(async (group) => {
          const pages = await timeline.listForUsers(actor, group.map((k) => k.userId), group[0]!.query).catch((err: Error) => group.map(() => err));
          group.forEach((k, i) => results.set(cacheKey(k), pages[i]!));
        }),
      );
      return keys.map((k) => results.get(cacheKey(k))!);
    },
    { cacheKeyFn: cacheKey },
  );
}
