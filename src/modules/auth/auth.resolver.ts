import { Arg, Ctx, Field, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { RegisterInput } from '../users/user.inputs';
import { toUserView, type UserView } from '../users/user.service';
import { UserType } from '../users/user.type';

@ObjectType('AccessToken', { description: 'A bearer token' })
class AccessTokenType {
  @Field({ description: 'JWT to send as Authorization: Bearer <token>' })
  accessToken!: string;

  @Field({ description: 'always Bearer' })
  tokenType!: 'Bearer';

  @Field(() => Int, { description: 'seconds' })
  expiresIn!: number;
}

@ObjectType('Registration', { description: 'A new account and its bearer token' })
class RegistrationType extends AccessTokenType {
  @Field(() => UserType, { description: 'the new account' })
  user!: UserView;
}

/** register and login: the only operations that need no token; they share REST's attempt budgets. */
@Resolver()
export class AuthResolver {
  @Mutation(() => RegistrationType, { description: 'Creates an account and its primary calendar; answers a bearer token (no token needed; rate-limited with REST /auth)' })
  async register(@Arg('input', { description: 'the new account' }) input: RegisterInput, @Ctx() ctx: GraphQLContext) {
    const { user, token } = await ctx.services.auth.register(input, ctx.clientAddress);
    return { user: toUserView(user), ...token };
  }

  @Mutation(() => AccessTokenType, { description: 'Exchanges an email and password for a bearer token; UNAUTHENTICATED on bad credentials (no token needed; rate-limited with REST /auth)' })
  login(@Arg('email', { description: "the account's email (case-insensitive)" }) email: string, @Arg('password', { description: "the account's password" }) password: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.auth.login(email, password, ctx.clientAddress);
  }
}
