import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgs, stripNulls } from '../../graphql/args';
import { toConnection } from '../../graphql/connection';
import { actorOf, type GraphQLContext } from '../../graphql/context';
import { nodeSelection } from '../../graphql/lookahead';
import { DateTime } from '../../graphql/scalars';
import { type CalendarView, toCalendarView } from '../calendars/calendar.service';
import { CalendarType } from '../calendars/calendar.type';
import { toUserView, type UserView } from '../users/user.service';
import { UserType } from '../users/user.type';
import type { EditScope } from './entries/series-rules';
import { CreateEventInput, EventFilter, UpdateEventInput } from './event.inputs';
import { EditScopeValue, EventConnection, EventType } from './event.type';
import { type EventView, toEventView } from './event.views';
import { ParticipantType } from './participants/participant.type';
import { type ParticipantView, toParticipantViews } from './participants/participant.views';

@Resolver(() => EventType)
export class EventResolver {
  @Authorized()
  @Query(() => EventType, { description: 'An event, series or occurrence (by occurrence id, or series id plus occurrence) the caller hosts or is invited to' })
  async event(
    @Arg('id', () => String, { description: 'an entry UUID, or an occurrence id <seriesId>_<YYYYMMDDTHHMMSSZ>' }) id: string,
    @Arg('occurrence', () => DateTime, { nullable: true, description: 'original start of an occurrence of the series `id`' }) occurrence: Date | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<EventView> {
    return ctx.services.entries.view(actorOf(ctx), id, { occurrence: occurrence ?? undefined });
  }

  @Authorized()
  @Query(() => EventConnection, { description: "A user's events (default: the caller's), sorted by start" })
  async events(@Arg('filter', () => EventFilter, { nullable: true, description: "by user, role, window and calendar; default: all the caller's events, series listed once" }) filter: EventFilter | null, @Args() { first, after }: PageArgs, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo) {
    const f = stripNulls(filter ?? new EventFilter());
    const page = await ctx.services.timeline.list(actorOf(ctx), { ...f, role: f.role ?? 'any', limit: first, cursor: after, includeParticipants: participantsSelected(info) });
    return toConnection(page, (e) => e, after);
  }

  @Authorized()
  @Mutation(() => EventType, { description: 'CONFLICT (with extensions.conflicts) on overlap unless force' })
  async createEvent(@Arg('input', { description: 'the new event or series' }) input: CreateEventInput, @Arg('force', { defaultValue: false, description: 'true: create even when it overlaps other entries of the calendar (CONFLICT otherwise)' }) force: boolean, @Ctx() ctx: GraphQLContext): Promise<EventView> {
    const { calendarId, participants, ...fields } = input;
    const event = await ctx.services.entries.create(actorOf(ctx), calendarId ?? undefined, stripNulls(fields) as typeof fields, { force, participants: participants ?? undefined });
    return toEventView(event);
  }

  @Authorized()
  @Mutation(() => EventType, { description: 'Host only (FORBIDDEN for a participant). For a series: scope single (default for an occurrence), following or all (default for the series id)' })
  async updateEvent(
    @Arg('id', () => String, { description: 'an entry UUID, or an occurrence id <seriesId>_<YYYYMMDDTHHMMSSZ>' }) id: string,
    @Arg('input', { description: 'the fields to change' }) input: UpdateEventInput,
    @Arg('force', { defaultValue: false, description: 'true: change it even when it then overlaps other entries (CONFLICT otherwise)' }) force: boolean,
    @Arg('scope', () => EditScopeValue, { nullable: true, description: 'for a series or an occurrence: which occurrences change (default single for an occurrence id, all for a series id)' }) scope: EditScope | null,
    @Arg('occurrence', () => DateTime, { nullable: true, description: 'original start of the occurrence, with a series id' }) occurrence: Date | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<EventView> {
    const patch = {
      ...stripNulls(input),
      ...('description' in input ? { description: input.description } : {}),
      ...('location' in input ? { location: input.location } : {}),
      ...('recurrence' in input ? { recurrence: input.recurrence } : {}),
    };
    return ctx.services.entries.update(actorOf(ctx), id, patch, { mode: 'patch', force, scope: scope ?? undefined, occurrence: occurrence ?? undefined });
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Host only. For a series: scope single cancels one occurrence, following ends the series before it, all deletes it' })
  async deleteEvent(
    @Arg('id', () => String, { description: 'an entry UUID, or an occurrence id <seriesId>_<YYYYMMDDTHHMMSSZ>' }) id: string,
    @Arg('scope', () => EditScopeValue, { nullable: true, description: 'for a series or an occurrence: which occurrences go (default single for an occurrence id, all for a series id)' }) scope: EditScope | null,
    @Arg('occurrence', () => DateTime, { nullable: true, description: 'with a series id: the original start of the occurrence meant' }) occurrence: Date | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    await ctx.services.entries.delete(actorOf(ctx), id, { scope: scope ?? undefined, occurrence: occurrence ?? undefined });
    return true;
  }

  @FieldResolver(() => [ParticipantType], { description: 'host first' })
  participants(@Root() event: EventView, @Ctx() ctx: GraphQLContext): ParticipantView[] | Promise<ParticipantView[]> {
    // Read with the page when the connection saw this field selected; else batched per operation.
    // An occurrence shares its series' participants.
    return event.participants ?? ctx.loaders.participantsByEventId.load(event.seriesId ?? event.id).then(toParticipantViews);
  }

  @FieldResolver(() => CalendarType, { nullable: true, description: "null unless the caller owns the event's calendar" })
  async calendar(@Root() event: EventView, @Ctx() ctx: GraphQLContext): Promise<CalendarView | null> {
    const calendar = await ctx.loaders.calendarById.load(event.calendarId);
    return calendar.owner.id === ctx.actor?.userId ? toCalendarView(calendar) : null;
  }

  @FieldResolver(() => UserType, { description: 'the user who hosts it' })
  host(@Root() event: EventView, @Ctx() ctx: GraphQLContext): UserView | Promise<UserView> {
    // The host is always a participant: read with the page when participants' users were.
    return event.participants?.find((p) => p.isHost)?.user ?? ctx.loaders.userById.load(event.hostId).then(toUserView);
  }
}

/** `User.events`: that user's events, for the user itself or an admin (FORBIDDEN otherwise), batched over users. */
@Resolver(() => UserType)
export class UserEventsResolver {
  @Authorized()
  @FieldResolver(() => EventConnection, { description: "this user's events by role and range; the user itself or an admin" })
  async events(
    @Root() user: UserView,
    @Arg('filter', () => EventFilter, { nullable: true, description: 'by role, window and calendar (its userId is the user itself)' }) filter: EventFilter | null,
    @Args() { first, after }: PageArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const { userId: _root, ...f } = stripNulls(filter ?? new EventFilter()); // the user is the root
    const page = await ctx.loaders.eventsOfUser.load({ userId: user.id, query: { ...f, role: f.role ?? 'any', limit: first, cursor: after, includeParticipants: participantsSelected(info) } });
    return toConnection(page, (e) => e, after);
  }
}

/**
 * What an events connection reads with its page, from what the operation selects below it: the
 * participants and their users (for `participants { user }` or `host`: the host is a participant),
 * the participants alone, or nothing. Then a page of 100 events with participants and user names is
 * one SQL statement (the page with the participants aggregated in it) instead of one per level.
 */
function participantsSelected(info: GraphQLResolveInfo): false | 'participants' | 'users' {
  const nodes = nodeSelection(info);
  if (nodes.has('host') || nodes.has('participants.user')) return 'users';
  return nodes.has('participants') ? 'participants' : false;
}
