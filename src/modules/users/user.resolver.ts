import { Arg, Args, ArgsType, Authorized, Ctx, Field, Mutation, Query, Resolver } from 'type-graphql';
import { IsOptional, MaxLength } from 'class-validator';
import { PageArgs, stripNulls } from '../../graphql/args';
import { toConnection } from '../../graphql/connection';
import { actorOf, type GraphQLContext } from '../../graphql/context';
import { UUID } from '../../graphql/scalars';
import { CreateUserInput, UpdateUserInput } from './user.inputs';
import { toUserView, type UserView } from './user.service';
import { UserConnection, UserType } from './user.type';

@ArgsType()
class UsersArgs extends PageArgs {
  @Field({ nullable: true, description: 'part of the name or email, case-insensitive' })
  @IsOptional()
  @MaxLength(200)
  search?: string;
}

@Resolver(() => UserType)
export class UserResolver {
  @Authorized()
  @Query(() => UserType, { description: 'The caller' })
  async me(@Ctx() ctx: GraphQLContext): Promise<UserView> {
    return toUserView(await ctx.loaders.userById.load(actorOf(ctx).userId));
  }

  @Authorized()
  @Query(() => UserType)
  async user(@Arg('id', () => UUID) id: string, @Ctx() ctx: GraphQLContext): Promise<UserView> {
    return toUserView(await ctx.services.users.get(id));
  }

  @Authorized()
  @Query(() => UserConnection)
  async users(@Args() { first, after, search }: UsersArgs, @Ctx() ctx: GraphQLContext) {
    return toConnection(await ctx.services.users.list({ search, limit: first, cursor: after }), toUserView);
  }

  @Authorized('admin')
  @Mutation(() => UserType)
  async createUser(@Arg('input') input: CreateUserInput, @Ctx() ctx: GraphQLContext): Promise<UserView> {
    return toUserView(await ctx.services.users.create(actorOf(ctx), input));
  }

  @Authorized()
  @Mutation(() => UserType, { description: 'Self or admin; role changes admin only' })
  async updateUser(@Arg('id', () => UUID) id: string, @Arg('input') input: UpdateUserInput, @Ctx() ctx: GraphQLContext): Promise<UserView> {
    return toUserView(await ctx.services.users.update(actorOf(ctx), id, stripNulls(input)));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Self or admin; deletes its calendars and participations' })
  async deleteUser(@Arg('id', () => UUID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.users.delete(actorOf(ctx), id);
    return true;
  }
}
