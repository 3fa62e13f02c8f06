import { Field, InputType } from 'type-graphql';
import { UUID } from '../../../graphql/scalars';
import type { AttendeeResponse, ParticipantRole } from './participant.entity';
import { AttendeeResponseValue, ParticipantRoleValue } from './participant.type';

@InputType({ description: 'A user to invite; the response starts needs_action' })
export class ParticipantInput {
  @Field(() => UUID)
  userId!: string;

  @Field(() => ParticipantRoleValue, { defaultValue: ParticipantRoleValue.required })
  role!: ParticipantRole;
}

@InputType({ description: 'role: host only; response: the participant itself only' })
export class UpdateParticipantInput {
  @Field(() => ParticipantRoleValue, { nullable: true })
  role?: ParticipantRole;

  @Field(() => AttendeeResponseValue, { nullable: true })
  response?: AttendeeResponse;
}
