import { Arg, Ctx, Field, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { RegisterInput } from '../users/user.inputs';
import { toUserView, type UserView } from '../users/user.service';
import { UserType } from '../users/user.type';

@ObjectType('AccessToken')
class AccessTokenType {
  @Field()
  accessToken!: string;

  @Field()
  tokenType!: 'Bearer';

  @Field(() => Int, { description: 'seconds' })
  expiresIn!: number;
}

@ObjectType('Registration')
class RegistrationType extends AccessTokenType {
  @Field(() => UserType)
  user!: UserView;
}

/** register and login: the only operations that need no token; they share REST's attempt budgets. */
@Resolver()
export class AuthResolver {
  @Mutation(() => RegistrationType)
  async register(@Arg('input') input: RegisterInput, @Ctx() ctx: GraphQLContext) {
    const { user, token } = await ctx.services.auth.register(input, ctx.clientAddress);
    return { user: toUserView(user), ...token };
  }

  @Mutation(() => AccessTokenType)
  login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.auth.login(email, password, ctx.clientAddress);
  }
}
