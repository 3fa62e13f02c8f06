import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgs, stripNulls } from '../../graphql/args';
import { toConnection } from '../../graphql/connection';
import { actorOf, type GraphQLContext } from '../../graphql/context';
import { UUID } from '../../graphql/scalars';
import { CreateWebhookInput, UpdateWebhookInput } from './webhook.inputs';
import { toDeliveryView, toWebhookView, type WebhookView } from './webhook.service';
import { CreatedWebhookType, WebhookDeliveryConnection, WebhookType } from './webhook.type';

@Resolver(() => WebhookType)
export class WebhookResolver {
  @Authorized()
  @Query(() => [WebhookType], { description: "The caller's webhook endpoints, oldest first" })
  async webhooks(@Ctx() ctx: GraphQLContext): Promise<WebhookView[]> {
    return (await ctx.services.webhooks.list(actorOf(ctx))).map(toWebhookView);
  }

  @Authorized()
  @Query(() => WebhookType, { description: 'One of the caller’s endpoints (NOT_FOUND otherwise)' })
  async webhook(@Arg('id', () => UUID, { description: "one of the caller's webhook endpoints" }) id: string, @Ctx() ctx: GraphQLContext): Promise<WebhookView> {
    return toWebhookView(await ctx.services.webhooks.get(actorOf(ctx), id));
  }

  @Authorized()
  @Mutation(() => CreatedWebhookType, { description: 'Registers an endpoint; its signing secret is returned only here' })
  async createWebhook(@Arg('input', { description: 'the endpoint and the changes it receives' }) input: CreateWebhookInput, @Ctx() ctx: GraphQLContext): Promise<CreatedWebhookType> {
    const { endpoint, secret } = await ctx.services.webhooks.create(actorOf(ctx), input);
    return { webhook: toWebhookView(endpoint), secret };
  }

  @Authorized()
  @Mutation(() => WebhookType, { description: "Changes one of the caller's webhook endpoints" })
  async updateWebhook(@Arg('id', () => UUID, { description: "one of the caller's webhook endpoints" }) id: string, @Arg('input', { description: 'the fields to change' }) input: UpdateWebhookInput, @Ctx() ctx: GraphQLContext): Promise<WebhookView> {
    return toWebhookView(await ctx.services.webhooks.update(actorOf(ctx), id, stripNulls(input)));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Deletes the endpoint; queued messages for it are dropped' })
  async deleteWebhook(@Arg('id', () => UUID, { description: "one of the caller's webhook endpoints" }) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.webhooks.delete(actorOf(ctx), id);
    return true;
  }

  @FieldResolver(() => WebhookDeliveryConnection, { description: 'Delivery attempts, newest first' })
  async deliveries(@Root() webhook: WebhookView, @Args() { first, after }: PageArgs, @Ctx() ctx: GraphQLContext) {
    return toConnection(await ctx.services.webhooks.deliveries(actorOf(ctx), webhook.id, { limit: first, cursor: after }), toDeliveryView, after);
  }
}
