import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { UUID } from '../../../graphql/scalars';
import type { AttendeeResponse, ParticipantRole } from './participant.entity';

export enum ParticipantRoleValue {
  required = 'required',
  optional = 'optional',
}
registerEnumType(ParticipantRoleValue, { name: 'ParticipantRole', description: 'RFC 5545 ROLE: REQ-PARTICIPANT or OPT-PARTICIPANT' });

export enum AttendeeResponseValue {
  needs_action = 'needs_action',
  accepted = 'accepted',
  declined = 'declined',
  tentative = 'tentative',
}
registerEnumType(AttendeeResponseValue, { name: 'AttendeeResponse', description: 'RFC 5545 PARTSTAT of an attendee' });

@ObjectType('Participant')
export class ParticipantType {
  @Field(() => UUID)
  userId!: string;

  @Field(() => ParticipantRoleValue)
  role!: ParticipantRole;

  @Field(() => AttendeeResponseValue)
  response!: AttendeeResponse;

  @Field()
  isHost!: boolean;
}
