import DataLoader from 'dataloader';
import type { EventService } from './event.service';
import type { Participant } from './participant.entity';

/**
 * Participants by event id: one statement for all events of a tick; an event without participants
 * (never, since the host has a row) gets []. Create one per request.
 */
export function participantsByEventIdLoader(events: EventService): DataLoader<string, Participant[]> {
  return new DataLoader(async (ids) => {
    const byEvent = await events.participantsOf([...ids]);
    return ids.map((id) => byEvent.get(id) ?? []);
  });
}
