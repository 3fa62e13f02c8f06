import { Arg, Authorized, Ctx, FieldResolver, Resolver, Root, Subscription } from 'type-graphql';
import { actorOf, type GraphQLContext } from '../../graphql/context';
import { UUID } from '../../graphql/scalars';
import type { EventView } from '../events/event.views';
import { EventType } from '../events/event.type';
import type { EntryChange, InvitationChange } from '../events/changes/event-changes';
import { liveContext, renewingEach, SLOW_CONSUMER } from './live.context';
import { CalendarChangeType, InvitationChangeType } from './live.type';

type Subscribe = { args: Record<string, unknown>; context: GraphQLContext };

@Resolver(() => CalendarChangeType)
export class CalendarChangesResolver {
  @Authorized()
  @Subscription(() => CalendarChangeType, {
    description: 'Changes of the entries of one of the caller’s calendars (NOT_FOUND otherwise), occurrences included, from now on. Over graphql-ws at /graphql.',
    subscribe: async ({ args, context }: Subscribe) => {
      const ctx = liveContext(context);
      const source = await ctx.services.live.calendarChanges(actorOf(ctx), args.calendarId as string, () => ctx.closeConnection(SLOW_CONSUMER.code, SLOW_CONSUMER.reason));
      return renewingEach(ctx, source);
    },
  })
  calendarChanges(@Arg('calendarId', () => UUID, { description: "one of the caller's calendars" }) _calendarId: string, @Root() change: EntryChange): Omit<EntryChange, 'originalStart'> & { originalStart: Date | null } {
    return { ...change, originalStart: change.originalStart ? new Date(change.originalStart) : null };
  }

  @FieldResolver(() => EventType, { nullable: true, description: 'the entry as it is when the change is sent; null once deleted' })
  async entry(@Root() change: EntryChange, @Ctx() ctx: GraphQLContext): Promise<EventView | null> {
    return ctx.services.live.entryOf(actorOf(ctx), change);
  }
}

@Resolver(() => InvitationChangeType)
export class InvitationChangesResolver {
  @Authorized()
  @Subscription(() => InvitationChangeType, {
    description: 'The caller’s invitations (invited, updated, removed) and the responses of participants to events the caller hosts, from now on. Over graphql-ws at /graphql.',
    subscribe: ({ context }: Subscribe) => {
      const ctx = liveContext(context);
      return renewingEach(ctx, ctx.services.live.myInvitations(actorOf(ctx), () => ctx.closeConnection(SLOW_CONSUMER.code, SLOW_CONSUMER.reason)));
    },
  })
  myInvitations(@Root() change: InvitationChange): InvitationChange {
    return change;
  }

  @FieldResolver(() => EventType, { nullable: true, description: 'the event as the subscriber sees it when the change is sent; null once it cannot' })
  async event(@Root() change: InvitationChange, @Ctx() ctx: GraphQLContext): Promise<EventView | null> {
    return ctx.services.live.eventOf(actorOf(ctx), change);
  }
}
