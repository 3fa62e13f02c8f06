import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime, UUID } from '../../graphql/scalars';
import { AttendeeResponseValue, ParticipantRoleValue } from '../events/participants/participant.type';

export enum ChangeKindValue {
  created = 'created',
  updated = 'updated',
  deleted = 'deleted',
}
registerEnumType(ChangeKindValue, { name: 'ChangeKind', description: 'What happened to an entry', valuesConfig: { created: { description: 'the entry was created' }, updated: { description: 'the entry changed' }, deleted: { description: 'the entry was deleted' } } });

export enum InvitationChangeKindValue {
  invited = 'invited',
  updated = 'updated',
  removed = 'removed',
  responded = 'responded',
}
registerEnumType(InvitationChangeKindValue, {
  name: 'InvitationChangeKind',
  description: 'invited / updated (role) / removed: the subscriber’s own invitations; responded: a participant of an event the subscriber hosts changed its response',
  valuesConfig: { invited: { description: 'the user was invited' }, updated: { description: 'the event or the invitation changed' }, removed: { description: 'the invitation was withdrawn or the event deleted' }, responded: { description: 'a participant answered' } },
});

@ObjectType('CalendarChange', { description: 'A committed change of an entry of a calendar' })
export class CalendarChangeType {
  @Field(() => ChangeKindValue, { description: 'created, updated or deleted' })
  kind!: string;

  @Field(() => UUID, { description: 'the calendar of the entry' })
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
  @Field(() => InvitationChangeKindValue, { description: 'what happened to the participation' })
  kind!: string;

  @Field(() => UUID, { description: "the event (a series' id for a whole series)" })
  eventId!: string;

  @Field(() => UUID, { description: "the event's host" })
  hostId!: string;

  @Field(() => UUID, { description: 'the participant' })
  userId!: string;

  @Field(() => ParticipantRoleValue, { description: "the participant's role" })
  role!: string;

  @Field(() => AttendeeResponseValue, { description: "the participant's response" })
  response!: string;
}
