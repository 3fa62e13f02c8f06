import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf, type GraphQLContext } from '../../graphql/context';
import { UUID } from '../../graphql/scalars';
import { AppError } from '../../infra/errors';
import { UserType } from '../users/user.type';
import type { UserView } from '../users/user.service';
import type { FreeBusyTarget } from './scheduling.service';
import { FreeBusyInput, MeetingSuggestionsInput, WorkingHoursInput } from './scheduling.inputs';
import { FreeBusyType, MeetingSuggestionType, WorkingHoursType } from './scheduling.type';

/** `freeBusy`, `meetingSuggestions` and working hours: the same services as POST /freeBusy, POST /meetingSuggestions and /users/:id/working-hours. */
@Resolver()
export class SchedulingResolver {
  @Authorized()
  @Query(() => FreeBusyType, { description: "When users (any) and calendars (the caller's) are busy in a window; an unknown one gets errors [{reason: notFound}] on its item only" })
  async freeBusy(@Arg('input', { description: 'the window and the users or calendars to answer for' }) input: FreeBusyInput, @Ctx() ctx: GraphQLContext) {
    const items = input.items.map((item, i): FreeBusyTarget => {
      if (item.userId && !item.calendarId) return { userId: item.userId };
      if (item.calendarId && !item.userId) return { calendarId: item.calendarId };
      throw AppError.invalid(`/items/${i}`, 'give exactly one of userId and calendarId');
    });
    const view = await ctx.services.scheduling.freeBusy(actorOf(ctx), { timeMin: input.timeMin, timeMax: input.timeMax, items });
    return { ...view, items: view.items.map((i) => ({ ...i, errors: i.errors ?? [] })) };
  }

  @Authorized()
  @Query(() => [MeetingSuggestionType], { description: 'Slots in which every required attendee is free within its working hours, best first (most optional attendees free, then earliest)' })
  async meetingSuggestions(@Arg('input', { description: 'the attendees, the length and the window of the meeting' }) input: MeetingSuggestionsInput, @Ctx() ctx: GraphQLContext) {
    const { suggestions } = await ctx.services.scheduling.suggest({
      ...input,
      attendees: input.attendees.map((a) => ({ userId: a.userId, optional: a.optional ?? false })),
      workingHours: input.workingHours ?? undefined,
      limit: input.limit ?? undefined,
    });
    return suggestions;
  }

  @Authorized()
  @Query(() => WorkingHoursType, { description: "A user's working hours (default: the caller's); any signed-in user may read them" })
  async workingHours(@Arg('userId', () => UUID, { nullable: true, description: 'default: the caller' }) userId: string | undefined, @Ctx() ctx: GraphQLContext) {
    return ctx.services.workingHours.get(userId ?? actorOf(ctx).userId);
  }

  @Authorized()
  @Mutation(() => WorkingHoursType, { description: "Sets a user's working hours (default: the caller; another user: admin only)" })
  async setWorkingHours(@Arg('input', { description: 'the days and hours' }) input: WorkingHoursInput, @Arg('userId', () => UUID, { nullable: true, description: 'default: the caller; another user: admin only' }) userId: string | undefined, @Ctx() ctx: GraphQLContext) {
    const actor = actorOf(ctx);
    return ctx.services.workingHours.set(actor, userId ?? actor.userId, input);
  }

  @Authorized()
  @Mutation(() => WorkingHoursType, { description: "Resets a user's working hours to Monday–Friday 09:00–17:00 (default: the caller; another user: admin only)" })
  async resetWorkingHours(@Arg('userId', () => UUID, { nullable: true, description: 'default: the caller; another user: admin only' }) userId: string | undefined, @Ctx() ctx: GraphQLContext) {
    const actor = actorOf(ctx);
    return ctx.services.workingHours.reset(actor, userId ?? actor.userId);
  }
}

/** `User.workingHours`, batched over the users of an operation (one statement). */
@Resolver(() => UserType)
export class UserWorkingHoursResolver {
  @Authorized()
  @FieldResolver(() => WorkingHoursType, { description: "this user's working hours (default Monday–Friday 09:00–17:00 in its time zone)" })
  async workingHours(@Root() user: UserView, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.workingHoursOfUser.load({ id: user.id, timeZone: user.timeZone });
  }
}
