import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { toConnection } from '../../graphql/connection';
import { actorOf, type GraphQLContext } from '../../graphql/context';
import { UUID } from '../../graphql/scalars';
import { PageArgs } from '../../graphql/args';
import { CreateSubscriptionInput, UpdateSubscriptionInput } from './milestones.inputs';
import { SubscriptionOfferConnection, SubscriptionOfferType } from './milestones.type';
import { type SubscriptionView, toSubscriptionView } from './subscription.service';

@Resolver(() => SubscriptionOfferType)
export class SubscriptionResolver {
  @Authorized()
  @Query(() => SubscriptionOfferConnection, { description: "A user's subscriptions by start (the user itself or an admin; NOT_FOUND otherwise)" })
  async subscriptions(@Arg('userId', () => UUID, { description: 'the user itself, or any user for an admin' }) userId: string, @Args() { first, after }: PageArgs, @Ctx() ctx: GraphQLContext) {
    return toConnection(await ctx.services.subscriptions.listForUser(actorOf(ctx), userId, { limit: first, cursor: after }), toSubscriptionView, after);
  }

  @Authorized()
  @Query(() => SubscriptionOfferType, { description: 'One subscription (its user or an admin; NOT_FOUND otherwise)' })
  async subscription(@Arg('id', () => UUID, { description: "the subscription's id; NOT_FOUND unless it is visible to the caller" }) id: string, @Ctx() ctx: GraphQLContext): Promise<SubscriptionView> {
    return toSubscriptionView(await ctx.services.subscriptions.get(actorOf(ctx), id));
  }

  @Authorized()
  @Mutation(() => SubscriptionOfferType, { description: 'Admin only' })
  async createSubscription(@Arg('userId', () => UUID, { description: 'the subscriber' }) userId: string, @Arg('input', { description: 'the new subscription' }) input: CreateSubscriptionInput, @Ctx() ctx: GraphQLContext): Promise<SubscriptionView> {
    return toSubscriptionView(await ctx.services.subscriptions.create(actorOf(ctx), userId, { offer: input.offer, startsAt: input.startsAt, endsAt: input.endsAt ?? null }));
  }

  @Authorized()
  @Mutation(() => SubscriptionOfferType, { description: 'Admin only; endsAt null makes it open-ended' })
  async updateSubscription(@Arg('id', () => UUID, { description: "the subscription's id" }) id: string, @Arg('input', { description: 'the fields to change' }) input: UpdateSubscriptionInput, @Ctx() ctx: GraphQLContext): Promise<SubscriptionView> {
    const patch = { offer: input.offer ?? undefined, startsAt: input.startsAt ?? undefined, ...('endsAt' in input && input.endsAt !== undefined ? { endsAt: input.endsAt } : {}) };
    return toSubscriptionView(await ctx.services.subscriptions.update(actorOf(ctx), id, patch));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Admin only' })
  async deleteSubscription(@Arg('id', () => UUID, { description: "the subscription's id" }) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.subscriptions.delete(actorOf(ctx), id);
    return true;
  }
}
