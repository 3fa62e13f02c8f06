import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { stripNulls } from '../../../graphql/args';
import { actorOf, type GraphQLContext } from '../../../graphql/context';
import { UUID } from '../../../graphql/scalars';
import { toUserView, type UserView } from '../../users/user.service';
import { UserType } from '../../users/user.type';
import { ParticipantInput, UpdateParticipantInput } from './participant.inputs';
import { ParticipantType } from './participant.type';
import { type ParticipantView, toParticipantView } from './participant.views';

/** Invitations, responses and removals, and `Participant.user`. */
@Resolver(() => ParticipantType)
export class ParticipantResolver {
  @Authorized()
  @Mutation(() => ParticipantType, { description: 'Host only; the response starts needs_action' })
  async addParticipant(@Arg('eventId', () => UUID, { description: 'an event the caller hosts' }) eventId: string, @Arg('input', { description: 'whom to invite, with which role' }) input: ParticipantInput, @Ctx() ctx: GraphQLContext): Promise<ParticipantView> {
    return toParticipantView(await ctx.services.participants.add(actorOf(ctx), eventId, input));
  }

  @Authorized()
  @Mutation(() => ParticipantType, { description: "role: host only; response: one's own only" })
  async updateParticipant(@Arg('eventId', () => UUID, { description: 'an event the caller can see' }) eventId: string, @Arg('userId', () => UUID, { description: 'the participant' }) userId: string, @Arg('input', { description: 'the role (host only) or the response (the participant only)' }) input: UpdateParticipantInput, @Ctx() ctx: GraphQLContext): Promise<ParticipantView> {
    return toParticipantView(await ctx.services.participants.update(actorOf(ctx), eventId, userId, stripNulls(input)));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Host, or the participant itself; never the host (CONFLICT)' })
  async removeParticipant(@Arg('eventId', () => UUID, { description: 'an event the caller hosts, or is invited to (to leave it)' }) eventId: string, @Arg('userId', () => UUID, { description: 'the participant (not the host)' }) userId: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.participants.remove(actorOf(ctx), eventId, userId);
    return true;
  }

  @FieldResolver(() => UserType, { description: 'the invited user' })
  user(@Root() participant: ParticipantView, @Ctx() ctx: GraphQLContext): UserView | Promise<UserView> {
    // Read with the page when the connection saw it selected; else batched per operation.
    return participant.user ?? ctx.loaders.userById.load(participant.userId).then(toUserView);
  }
}
