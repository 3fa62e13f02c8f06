import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { UUID } from '../../../graphql/scalars';
import type { AttendeeResponse, ParticipantRole } from './participant.entity';

export enum ParticipantRoleValue {
  required = 'required',
  optional = 'optional',
}
registerEnumType(ParticipantRoleValue, { name: 'ParticipantRole', description: 'RFC 5545 ROLE: REQ-PARTICIPANT or OPT-PARTICIPANT', valuesConfig: { required: { description: 'the participant is expected (iCalendar ROLE=REQ-PARTICIPANT)' }, optional: { description: 'the participant may come (iCalendar ROLE=OPT-PARTICIPANT)' } } });

export enum AttendeeResponseValue {
  needs_action = 'needs_action',
  accepted = 'accepted',
  declined = 'declined',
  tentative = 'tentative',
}
registerEnumType(AttendeeResponseValue, { name: 'AttendeeResponse', description: 'RFC 5545 PARTSTAT of an attendee', valuesConfig: { needs_action: { description: 'not answered yet (PARTSTAT=NEEDS-ACTION)' }, accepted: { description: 'will attend (PARTSTAT=ACCEPTED)' }, declined: { description: 'will not attend (PARTSTAT=DECLINED)' }, tentative: { description: 'may attend (PARTSTAT=TENTATIVE)' } } });

@ObjectType('Participant', { description: 'A user invited to an event, with its role and response; the host is one too' })
export class ParticipantType {
  @Field(() => UUID, { description: 'the invited user' })
  userId!: string;

  @Field(() => ParticipantRoleValue, { description: 'whether the user must attend' })
  role!: ParticipantRole;

  @Field(() => AttendeeResponseValue, { description: "the user's answer to the invitation" })
  response!: AttendeeResponse;

  @Field({ description: "true for the host's own row" })
  isHost!: boolean;
}
