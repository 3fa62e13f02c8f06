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
  @Query(() => UserType, { description: 'One user by id (any authenticated caller may read users, to invite them); NOT_FOUND when there is none' })
  async user(@Arg('id', () => UUID, { description: "the user's id" }) id: string, @Ctx() ctx: GraphQLContext): Promise<UserView> {
    return toUserView(await ctx.services.users.get(id));
  }

  @Authorized()
  @Query(() => UserConnection, { description: 'Users sorted by name, optionally matching a search, a page at a time' })
  async users(@Args() { first, after, search }: UsersArgs, @Ctx() ctx: GraphQLContext) {
    return toConnection(await ctx.services.users.list({ search, limit: first, cursor: after }), toUserView, after);
  }

  @Authorized('admin')
  @Mutation(() => UserType, { description: 'Creates a user and its primary calendar (admin only)' })
  async createUser(@Arg('input', { description: 'the new user' }) input: CreateUserInput, @Ctx() ctx: GraphQLContext): Promise<UserView> {
    return toUserView(await ctx.services.users.create(actorOf(ctx), input));
  }

  @Authorized()
  @Mutation(() => UserType, { description: 'Self or admin; role changes admin only' })
  async updateUser(@Arg('id', () => UUID, { description: 'the user itself, or any user for an admin' }) id: string, @Arg('input', { description: 'the fields to change' }) input: UpdateUserInput, @Ctx() ctx: GraphQLContext): Promise<UserView> {
    return toUserView(await ctx.services.users.update(actorOf(ctx), id, stripNulls(input)));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Self or admin; deletes its calendars and participations' })
  async deleteUser(@Arg('id', () => UUID, { description: 'the user itself, or any user for an admin' }) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.users.delete(actorOf(ctx), id);
    return true;
  }
}
