import { Length } from 'class-validator';
import { Arg, Authorized, Ctx, Field, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { actorOf, type GraphQLContext } from '../../graphql/context';
import { DateTime, UUID } from '../../graphql/scalars';
import type { AppPasswordView, NewAppPasswordView } from './app-password.service';

@ObjectType('AppPassword', { description: 'A password for one calendar app (HTTP Basic on /dav/ with the account email); its secret is never listed' })
class AppPasswordType {
  @Field(() => UUID, { description: 'identifies it for deleteAppPassword' })
  id!: string;

  @Field({ description: 'what the owner called it, e.g. the app that uses it' })
  name!: string;

  @Field(() => DateTime, { description: 'when it was created' })
  createdAt!: Date;

  @Field(() => DateTime, { nullable: true, description: 'when a CalDAV request last authenticated with it; null if never' })
  lastUsedAt!: Date | null;
}

@ObjectType('NewAppPassword', { description: 'A created app password: `password` is shown this once' })
class NewAppPasswordType {
  @Field(() => UUID, { description: 'identifies it for deleteAppPassword' })
  id!: string;

  @Field({ description: 'what the owner called it' })
  name!: string;

  @Field({ description: 'the secret: shown only here, keep it in the calendar app' })
  password!: string;

  @Field(() => DateTime, { description: 'when it was created' })
  createdAt!: Date;
}

@InputType({ description: 'A new app password' })
class CreateAppPasswordInput {
  @Field({ description: 'e.g. "Thunderbird at home"' })
  @Length(1, 100)
  name!: string;
}

/** The caller's app passwords, as REST's /me/app-passwords. */
@Resolver()
export class AppPasswordResolver {
  @Authorized()
  @Query(() => [AppPasswordType], { description: "The caller's app passwords, oldest first" })
  appPasswords(@Ctx() ctx: GraphQLContext): Promise<AppPasswordView[]> {
    return ctx.services.appPasswords.list(actorOf(ctx));
  }

  @Authorized()
  @Mutation(() => NewAppPasswordType, { description: 'CONFLICT when the caller has 50 already' })
  createAppPassword(@Arg('input', { description: "the new app password's name" }) input: CreateAppPasswordInput, @Ctx() ctx: GraphQLContext): Promise<NewAppPasswordView> {
    return ctx.services.appPasswords.create(actorOf(ctx), input.name);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "Revokes it; NOT_FOUND unless it is the caller's" })
  async deleteAppPassword(@Arg('id', () => UUID, { description: "one of the caller's app passwords" }) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.appPasswords.delete(actorOf(ctx), id);
    return true;
  }
}
