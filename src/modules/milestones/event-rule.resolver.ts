import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { toConnection } from '../../graphql/connection';
import { actorOf, type GraphQLContext } from '../../graphql/context';
import { UUID } from '../../graphql/scalars';
import { PageArgs, stripNulls } from '../../graphql/args';
import { type EventRuleView, type EventTypeView, toEventRuleView } from './event-rule.service';
import { CreateEventRuleInput, UpdateEventRuleInput } from './milestones.inputs';
import { EventKindType, EventRuleConnection, EventRuleType } from './milestones.type';

@Resolver(() => EventRuleType)
export class EventRuleResolver {
  @Authorized()
  @Query(() => [EventKindType], { description: 'The registered event types' })
  eventTypes(@Ctx() ctx: GraphQLContext): EventTypeView[] {
    return ctx.services.eventRules.listTypes();
  }

  @Authorized()
  @Query(() => EventRuleConnection, { description: 'Every rule, by name' })
  async eventRules(@Args() { first, after }: PageArgs, @Ctx() ctx: GraphQLContext) {
    return toConnection(await ctx.services.eventRules.list({ limit: first, cursor: after }), toEventRuleView, after);
  }

  @Authorized()
  @Query(() => EventRuleType, { description: 'One event rule by id; NOT_FOUND when there is none' })
  async eventRule(@Arg('id', () => UUID, { description: "the rule's id" }) id: string, @Ctx() ctx: GraphQLContext): Promise<EventRuleView> {
    return toEventRuleView(await ctx.services.eventRules.get(id));
  }

  @Authorized()
  @Query(() => EventRuleConnection, { description: 'Rules linked to a user, by name (the user itself or an admin; NOT_FOUND otherwise)' })
  async userEventRules(@Arg('userId', () => UUID, { description: 'the user itself, or any user for an admin' }) userId: string, @Args() { first, after }: PageArgs, @Ctx() ctx: GraphQLContext) {
    return toConnection(await ctx.services.eventRules.listForUser(actorOf(ctx), userId, { limit: first, cursor: after }), toEventRuleView, after);
  }

  @Authorized()
  @Mutation(() => EventRuleType, { description: 'Admin only; CONFLICT when the name is taken' })
  async createEventRule(@Arg('input', { description: 'the new rule' }) input: CreateEventRuleInput, @Ctx() ctx: GraphQLContext): Promise<EventRuleView> {
    return toEventRuleView(await ctx.services.eventRules.create(actorOf(ctx), stripNulls(input) as CreateEventRuleInput));
  }

  @Authorized()
  @Mutation(() => EventRuleType, { description: 'Admin only' })
  async updateEventRule(@Arg('id', () => UUID, { description: "the rule's id" }) id: string, @Arg('input', { description: 'the fields to change' }) input: UpdateEventRuleInput, @Ctx() ctx: GraphQLContext): Promise<EventRuleView> {
    return toEventRuleView(await ctx.services.eventRules.update(actorOf(ctx), id, stripNulls(input)));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Admin only; also unlinks it from every user' })
  async deleteEventRule(@Arg('id', () => UUID, { description: "the rule's id" }) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.eventRules.delete(actorOf(ctx), id);
    return true;
  }

  @Authorized()
  @Mutation(() => EventRuleType, { description: 'Links a rule to a user (the user itself or an admin); idempotent' })
  async linkEventRule(@Arg('userId', () => UUID, { description: 'the user whose nearest and upcoming events the rule then counts in' }) userId: string, @Arg('ruleId', () => UUID, { description: 'the rule to link' }) ruleId: string, @Ctx() ctx: GraphQLContext): Promise<EventRuleView> {
    return toEventRuleView(await ctx.services.eventRules.link(actorOf(ctx), userId, ruleId));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Unlinks a rule from a user (the user itself or an admin); NOT_FOUND when not linked' })
  async unlinkEventRule(@Arg('userId', () => UUID, { description: 'the user' }) userId: string, @Arg('ruleId', () => UUID, { description: 'the rule to unlink' }) ruleId: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.eventRules.unlink(actorOf(ctx), userId, ruleId);
    return true;
  }
}
