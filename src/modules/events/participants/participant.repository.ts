import type { EntityManager } from '@mikro-orm/postgresql';
import { Participant } from './participant.entity';

/** Participants of many events (series ids for occurrences) in one statement, grouped by event id. */
export async function participantsOf(em: EntityManager, eventIds: readonly string[]): Promise<Map<string, Participant[]>> {
  const rows = eventIds.length ? await em.find(Participant, { event: { $in: [...new Set(eventIds)] } }) : [];
  const byEvent = new Map<string, Participant[]>();
  for (const p of rows) byEvent.set(p.event.id, [...(byEvent.get(p.event.id) ?? []), p]);
  return byEvent;
}
