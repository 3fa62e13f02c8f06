import { Field, InputType } from 'type-graphql';
import { UUID } from '../../../graphql/scalars';
import type { AttendeeResponse, ParticipantRole } from './participant.entity';
import { AttendeeResponseValue, ParticipantRoleValue } from './participant.type';

@InputType({ description: 'A user to invite; the response starts needs_action' })
export class ParticipantInput {
  @Field(() => UUID, { description: 'the user to invite' })
  userId!: string;

  @Field(() => ParticipantRoleValue, { defaultValue: ParticipantRoleValue.required, description: 'default required' })
  role!: ParticipantRole;
}

@InputType({ description: 'role: host only; response: the participant itself only' })
export class UpdateParticipantInput {
  @Field(() => ParticipantRoleValue, { nullable: true, description: 'host only' })
  role?: ParticipantRole;

  @Field(() => AttendeeResponseValue, { nullable: true, description: 'the participant itself only' })
  response?: AttendeeResponse;
}
