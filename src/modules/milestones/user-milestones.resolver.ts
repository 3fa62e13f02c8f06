import { Arg, Authorized, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { DateTime } from '../../graphql/scalars';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../../infra/cursor';
import { AppError } from '../../infra/errors';
import { isSelfOrAdmin } from '../../infra/actor';
import type { UserView } from '../users/user.service';
import { UserType } from '../users/user.type';
import { TriggeredEventType } from './milestones.type';
import type { TriggeredEvent } from './nearest-event';

/** `User.nearestEvent` and `User.upcomingEvents`, batched over all users of an operation by DataLoaders. */
@Resolver(() => UserType)
export class UserMilestonesResolver {
  @Authorized()
  @FieldResolver(() => TriggeredEventType, {
    nullable: true,
    description: "The earliest event the user's rules trigger at or after `after` (default: the start of the operation); null when none, or when the caller is neither the user nor an admin",
  })
  async nearestEvent(@Root() user: UserView, @Arg('after', () => DateTime, { nullable: true, description: 'inclusive; default: the start of the operation' }) after: Date | null, @Ctx() ctx: GraphQLContext): Promise<TriggeredEvent | null> {
    if (!ctx.actor || !isSelfOrAdmin(ctx.actor, user.id)) return null;
    return ctx.loaders.nearestEvent.load({ userId: user.id, after: (after ?? ctx.startedAt).getTime() });
  }

  @Authorized()
  @FieldResolver(() => [TriggeredEventType], {
    description: "Events the user's rules trigger in [from, to), in order (from: default the start of the operation; to: default from + 366 days, at most from + 36525 days (100 years); the work of a call depends on `limit`, not on the range); empty when the caller is neither the user nor an admin",
  })
  async upcomingEvents(
    @Root() user: UserView,
    @Arg('from', () => DateTime, { nullable: true, description: 'inclusive; default: the start of the operation' }) from: Date | null,
    @Arg('to', () => DateTime, { nullable: true, description: 'exclusive; default from + 366 days, at most from + 100 years' }) to: Date | null,
    @Arg('limit', () => Int, { defaultValue: DEFAULT_LIMIT, description: 'at most this many events, 1 to 500 (default 50)' }) limit: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TriggeredEvent[]> {
    if (!ctx.actor || !isSelfOrAdmin(ctx.actor, user.id)) return [];
    return ctx.loaders.upcomingEvents.load({ userId: user.id, from: (from ?? ctx.startedAt).getTime(), to: to?.getTime() ?? null, limit: checkLimit(limit) });
  }
}

/** @throws AppError 400 (`/limit`) outside 1…MAX_LIMIT, as REST's `limit`. */
function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw AppError.invalid('/limit', `limit must be between 1 and ${MAX_LIMIT}`);
  return limit;
}
