import DataLoader from 'dataloader';
import { groupBy } from '../../infra/batch';
import type { TriggeredEvent } from './nearest-event';
import type { NearestEventService } from './nearest-event.service';

/** Key of a nearest-event load: a user and the instant (epoch ms) from which to search. */
export interface NearestKey {
  userId: string;
  after: number;
}

/** Key of an upcoming-events load. */
export interface UpcomingKey {
  userId: string;
  from: number;
  to: number | null;
  limit: number;
}

/**
 * Nearest events of users, batched per tick: keys sharing `after` go to one
 * `nearestForUsers` call, a fixed number of SQL statements whatever the number of users. Missing users
 * resolve to null. Create one per request (it caches results; authorisation is the caller's).
 */
export function nearestEventLoader(service: NearestEventService): DataLoader<NearestKey, TriggeredEvent | null, string> {
  return new DataLoader(
    async (keys) => {
      const groups = groupBy(keys, (k) => String(k.after));
      const results = new Map<string, TriggeredEvent | null>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const after = group[0]!.after;
          const found = await service.nearestForUsers(group.map((k) => k.userId), new Date(after));
          for (const k of group) results.set(nearestKey(k), found.get(k.userId) ?? null);
        }),
      );
      return keys.map((k) => results.get(nearestKey(k)) ?? null);
    },
    { cacheKeyFn: nearestKey },
  );
}

/** Upcoming events of users, batched per tick by `(from, to, limit)`; as {@link nearestEventLoader}. */
export function upcomingEventsLoader(service: NearestEventService): DataLoader<UpcomingKey, TriggeredEvent[], string> {
  return new DataLoader(
    async (keys) => {
      const groups = groupBy(keys, (k) => `${k.from}|${k.to}|${k.limit}`);
      const results = new Map<string, TriggeredEvent[] | Error>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const { from, to, limit } = group[0]!;
          try {
            const found = await service.upcomingForUsers(group.map((k) => k.userId), new Date(from), to === null ? undefined : new Date(to), limit);
            for (const k of group) results.set(upcomingKey(k), found.get(k.userId) ?? []);
          } catch (err) {
            for (const k of group) results.set(upcomingKey(k), err as Error);
          }
        }),
      );
      return keys.map((k) => results.get(upcomingKey(k)) ?? []);
    },
    { cacheKeyFn: upcomingKey },
  );
}

function nearestKey(k: NearestKey): string {
  return `${k.userId}|${k.after}`;
}

function upcomingKey(k: UpcomingKey): string {
  return `${k.userId}|${k.from}|${k.to}|${k.limit}`;
}
