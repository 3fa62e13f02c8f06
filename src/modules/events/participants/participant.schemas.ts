import { Type } from '@sinclair/typebox';
import { StringEnum, Uuid } from '../../../infra/http-schemas';

/** RFC 5545 ROLE: REQ-PARTICIPANT or OPT-PARTICIPANT. */
export const ParticipantRoleSchema = StringEnum(['required', 'optional']);
const Response = StringEnum(['needs_action', 'accepted', 'declined', 'tentative']);

export const ParticipantSchema = Type.Object(
  { userId: Uuid, role: ParticipantRoleSchema, response: Response, isHost: Type.Boolean() },
  { $id: 'Participant', description: 'RFC 5545 attendee: role and response (PARTSTAT)' },
);

export const AddParticipantBody = Type.Object({ userId: Uuid, role: Type.Optional(ParticipantRoleSchema) }, { additionalProperties: false });
export const PatchParticipantBody = Type.Object({ role: Type.Optional(ParticipantRoleSchema), response: Type.Optional(Response) }, { additionalProperties: false, minProperties: 1 });
