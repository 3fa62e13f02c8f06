import type { EntityManager } from '@mikro-orm/postgresql';
import { Participant } from './participant.entity';
import type { InvitationChange } from '../changes/event-changes';

/** Participants of many events (series ids for occurrences) in one statement, grouped by event id. */
export async function participantsOf(em: EntityManager, eventIds: readonly string[]): Promise<Map<string, Participant[]>> {
  const rows = eventIds.length ? await em.find(Participant, { event: { $in: [...new Set(eventIds)] } }) : [];
  const byEvent = new Map<string, Participant[]>();
  for (const p of rows) byEvent.set(p.event.id, [...(byEvent.get(p.event.id) ?? []), p]);
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
