import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime, UUID } from '../../graphql/scalars';
import { AttendeeResponseValue, ParticipantRoleValue } from '../events/participants/participant.type';

export enum ChangeKindValue {
  created = 'created',
  updated = 'updated',
  deleted = 'deleted',
}
registerEnumType(ChangeKindValue, { name: 'ChangeKind', description: 'What happened to an entry' });

export enum InvitationChangeKindValue {
  invited = 'invited',
  updated = 'updated',
  removed = 'removed',
  responded = 'responded',
}
registerEnumType(InvitationChangeKindValue, {
  name: 'InvitationChangeKind',
  description: 'invited / updated (role) / removed: the subscriber’s own invitations; responded: a participant of an event the subscriber hosts changed its response',
});

@ObjectType('CalendarChange', { description: 'A committed change of an entry of a calendar' })
export class CalendarChangeType {
  @Field(() => ChangeKindValue)
  kind!: string;

  @Field(() => UUID)
  calendarId!: string;

  @Field({ description: 'the single entry, the series, or the occurrence (`<seriesId>_<YYYYMMDDTHHMMSSZ>`)' })
  entryId!: string;

  @Field(() => UUID, { nullable: true, description: 'for an occurrence: its series' })
  seriesId!: string | null;

  @Field(() => DateTime, { nullable: true, description: 'for an occurrence: its original start (RECURRENCE-ID)' })
  originalStart!: Date | null;
}

@ObjectType('InvitationChange', { description: 'A committed change of a participation' })
export class InvitationChangeType {
  @Field(() => InvitationChangeKindValue)
  kind!: string;

  @Field(() => UUID)
  eventId!: string;

  @Field(() => UUID)
  hostId!: string;

  @Field(() => UUID, { description: 'the participant' })
  userId!: string;

  @Field(() => ParticipantRoleValue)
  role!: string;

  @Field(() => AttendeeResponseValue)
  response!: string;
}
