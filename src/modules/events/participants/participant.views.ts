import type { UserView } from '../../users/user.service';
import type { AttendeeResponse, Participant, ParticipantRole } from './participant.entity';

/** A participant as the front doors show it. */
export interface ParticipantView {
  userId: string;
  role: ParticipantRole;
  response: AttendeeResponse;
  isHost: boolean;
  /** The user, when the listing that read this participant was asked for it (GraphQL `Participant.user`). */
  user?: UserView;
}

/** The participation as shown: the user's id, RFC 5545 role and response, and whether it hosts. */
export function toParticipantView(p: Participant): ParticipantView {
  return { userId: p.user.id, role: p.role, response: p.response, isHost: p.isHost };
}

/** Participants as views: the host first, then in invitation order (ties by user id). */
export function toParticipantViews(rows: Participant[]): ParticipantView[] {
  return [...rows]
    .sort((a, b) => Number(b.isHost) - Number(a.isHost) || a.createdAt.getTime() - b.createdAt.getTime() || a.user.id.localeCompare(b.user.id))
    .map(toParticipantView);
}
