import { Subscription } from '../subscription.entity';
import type { Anchor } from '../nearest-event';
import type { AnchorContext } from './event-type';

/**
 * Start or end of every subscription of the users, in one statement; `eventId` is the subscription's
 * id. Every subscription is returned (a user has few), whatever the window.
 */
export async function subscriptionAnchors(ctx: AnchorContext, userIds: readonly string[], edge: 'startsAt' | 'endsAt'): Promise<Map<string, Anchor[]>> {
  const out = new Map<string, Anchor[]>();
  if (userIds.length === 0) return out;
  const where = edge === 'endsAt' ? { user: { $in: [...userIds] }, endsAt: { $ne: null } } : { user: { $in: [...userIds] } };
  const rows: { id: string; user: string; startsAt: Date; endsAt: Date | null }[] = await ctx.em
    .createQueryBuilder(Subscription, 's')
    .select(['s.id', 's.user', 's.startsAt', 's.endsAt'])
    .where(where)
    .execute('all');
  for (const row of rows) {
    const date = row[edge];
    if (!date) continue;
    const list = out.get(row.user) ?? [];
    list.push({ date: new Date(date), eventId: row.id });
    out.set(row.user, list);
  }
  return out;
}
