import DataLoader from 'dataloader';
import type { Participant } from './participant.entity';
import type { ParticipantService } from './participant.service';

/**
 * Participants by event id: one statement for all events of a tick; an event without participants
 * (never, since the host has a row) gets []. Create one per request.
 */
export function participantsByEventIdLoader(participants: ParticipantService): DataLoader<string, Participant[]> {
  return new DataLoader(async (ids) => {
    const byEvent = await participants.ofEvents(ids);
    return ids.map((id) => byEvent.get(id) ?? []);
  });
}
