import type { EntityManager } from '@mikro-orm/postgresql';
import { Participant } from './participant.entity';
import type { UserView } from '../../users/user.service';
import type { InvitationChange } from '../changes/event-changes';
import type { ParticipantView } from './participant.views';

/** Participants of many events (series ids for occurrences) in one statement, grouped by event id. */
export async function participantsOf(em: EntityManager, eventIds: readonly string[]): Promise<Map<string, Participant[]>> {
  const rows = eventIds.length ? await em.find(Participant, { event: { $in: [...new Set(eventIds)] } }) : [];
  const byEvent = new Map<string, Participant[]>();
  for (const p of rows) byEvent.set(p.event.id, [...(byEvent.get(p.event.id) ?? []), p]);
  return byEvent;
}

/** A participant with the user's name and email, as an iCalendar ATTENDEE needs it. */
export interface NamedParticipant {
  name: string;
  email: string;
  role: Participant['role'];
  response: Participant['response'];
  isHost: boolean;
}

/**
 * Participants of many events with their users' names and emails, in one statement, grouped by
 * event id: the host first, then in invitation order (ties by user id).
 */
export async function namedParticipantsOf(em: EntityManager, eventIds: readonly string[]): Promise<Map<string, NamedParticipant[]>> {
  const rows = eventIds.length
    ? await em.find(Participant, { event: { $in: [...new Set(eventIds)] } }, { populate: ['user'], orderBy: { isHost: 'desc', createdAt: 'asc', user: 'asc' } })
    : [];
  const byEvent = new Map<string, NamedParticipant[]>();
  for (const p of rows) {
    const user = p.user.getEntity();
    byEvent.set(p.event.id, [...(byEvent.get(p.event.id) ?? []), { name: user.name, email: user.email, role: p.role, response: p.response, isHost: p.isHost }]);
  }
  return byEvent;
}

/**
 * The invitations that end with an event about to be deleted: one `removed` change per participant
 * other than the host, so invitees hear of a cancelled meeting as they would of being uninvited
 * (RFC 5546's CANCEL, in this service's terms). Read before the delete: the rows go with the event.
 * @param em - the deleting transaction's EntityManager.
 */
export async function invitationsEndedBy(em: EntityManager, event: { id: string; host: { id: string } }): Promise<InvitationChange[]> {
  const invited = await em.find(Participant, { event: event.id, isHost: false });
  return invited.map((p) => ({ type: 'invitation', kind: 'removed', eventId: event.id, hostId: event.host.id, userId: p.user.id, role: p.role, response: p.response }));
}

/** What a listing statement aggregates of each event's participants: their views, or also their users. */
export type ParticipantsDepth = 'participants' | 'users';

/**
 * A SQL expression (a correlated subquery on `events e`) giving the participants of `e` as one JSON
 * array of {@link ParticipantView}s, host first, then in invitation order (ties by user id), as
 * {@link toParticipantViews} orders them; with `users`, each with its `user` (no password material).
 * Aggregated in PostgreSQL so a page of events and everything shown of their participants is one
 * statement (index `participants_pkey` on (event_id, user_id)).
 */
export function participantsJsonSql(depth: ParticipantsDepth): string {
  const user = depth === 'users'
    ? `, 'user', json_build_object('id', u.id, 'name', u.name, 'email', u.email, 'timeZone', u.time_zone, 'signedUpAt', u.signed_up_at, 'role', u.role, 'createdAt', u.created_at, 'updatedAt', u.updated_at)`
    : '';
  return `(select coalesce(json_agg(json_build_object('userId', p.user_id, 'role', p.role, 'response', p.response, 'isHost', p.is_host${user})
      order by p.is_host desc, p.created_at, p.user_id), '[]'::json)
    from participants p${depth === 'users' ? ' join users u on u.id = p.user_id' : ''} where p.event_id = e.id)`;
}

/** The views of a {@link participantsJsonSql} value (parsed by the driver), with Dates restored. */
export function participantViewsOfJson(json: unknown): ParticipantView[] {
  return (json as (ParticipantView & { user?: Record<string, unknown> })[]).map((p) => (p.user ? { ...p, user: userViewOfJson(p.user) } : p));
}

function userViewOfJson(u: Record<string, unknown>): UserView {
  return { ...(u as unknown as UserView), signedUpAt: new Date(u.signedUpAt as string), createdAt: new Date(u.createdAt as string), updatedAt: new Date(u.updatedAt as string) };
}
