import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { toConnection } from '../../graphql/connection';
import { actorOf, type GraphQLContext } from '../../graphql/context';
import { UUID } from '../../graphql/scalars';
import { PageArgs } from '../../graphql/args';
import { CreateCalendarInput, UpdateCalendarInput } from './calendar.inputs';
import { type CalendarView, toCalendarView } from './calendar.service';
import { CalendarConnection, CalendarType } from './calendar.type';

@Resolver(() => CalendarType)
export class CalendarResolver {
  @Authorized()
  @Query(() => CalendarType, { description: "One of the caller's calendars (NOT_FOUND otherwise)" })
  async calendar(@Arg('id', () => UUID, { description: "the calendar's id; NOT_FOUND unless it is the caller's" }) id: string, @Ctx() ctx: GraphQLContext): Promise<CalendarView> {
    return toCalendarView(await ctx.services.calendars.getOwned(actorOf(ctx), id));
  }

  @Authorized()
  @Query(() => CalendarConnection, { description: "The caller's calendars, primary first" })
  async calendars(@Args() { first, after }: PageArgs, @Ctx() ctx: GraphQLContext) {
    return toConnection(await ctx.services.calendars.list(actorOf(ctx), { limit: first, cursor: after }), toCalendarView, after);
  }

  @Authorized()
  @Mutation(() => CalendarType, { description: 'Creates a calendar of the caller' })
  async createCalendar(@Arg('input', { description: 'the new calendar' }) input: CreateCalendarInput, @Ctx() ctx: GraphQLContext): Promise<CalendarView> {
    return toCalendarView(await ctx.services.calendars.create(actorOf(ctx), input));
  }

  @Authorized()
  @Mutation(() => CalendarType, { description: "Changes one of the caller's calendars" })
  async updateCalendar(@Arg('id', () => UUID, { description: "one of the caller's calendars" }) id: string, @Arg('input', { description: 'the fields to change' }) input: UpdateCalendarInput, @Ctx() ctx: GraphQLContext): Promise<CalendarView> {
    const patch = { ...input, name: input.name ?? undefined, timeZone: input.timeZone ?? undefined, allowOverlaps: input.allowOverlaps ?? undefined };
    return toCalendarView(await ctx.services.calendars.update(actorOf(ctx), id, patch, 'patch'));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Deletes the calendar and its entries; CONFLICT for the primary calendar' })
  async deleteCalendar(@Arg('id', () => UUID, { description: "one of the caller's calendars, not the primary one; its entries go with it" }) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.calendars.delete(actorOf(ctx), id);
    return true;
  }
}
