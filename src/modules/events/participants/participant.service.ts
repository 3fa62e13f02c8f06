import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { Actor } from '../../../infra/actor';
import type { Cache } from '../../../infra/cache';
import { AppError } from '../../../infra/errors';
import { User } from '../../users/user.entity';
import { visibleEvent } from '../access/event-access';
import { Event } from '../event.entity';
import { EventTags, tagsOfEvents } from '../event-tags';
import { type AttendeeResponse, Participant, type ParticipantRole } from './participant.entity';
import { participantsOf } from './participant.repository';
import type { ChangeRecorder, InvitationChange } from '../changes/event-changes';

/**
 * Participants of events (RFC 5545 ATTENDEE with ROLE and PARTSTAT). Rules:
 * - the host invites, removes and changes roles; an invitee starts `needs_action`;
 * - each participant sets only its own response (anyone else who can see the event gets 403);
 * - a participant may remove itself; the host's own row cannot be removed (409);
 * - someone who cannot see the event gets 404.
 * Each change is written in a transaction that also hands it to the `eventChanges` hook.
 */
export class ParticipantService {
  constructor(
    private readonly em: EntityManager,
    private readonly cache: Cache,
    private readonly changes: ChangeRecorder,
  ) {}

  /** Participants of many events (no authorisation: callers check it), grouped by event id; one statement. */
  ofEvents(eventIds: readonly string[]): Promise<Map<string, Participant[]>> {
    return participantsOf(this.em, eventIds);
  }

  /**
   * Invites `userId` to the event.
   * @throws AppError 404 (event not visible, or no such user), 403 (not the host), 409 (already a participant).
   */
  async add(actor: Actor, eventId: string, input: { userId: string; role: ParticipantRole }): Promise<Participant> {
    const event = await visibleEvent(this.em, actor, eventId);
    if (event.host.id !== actor.userId) throw new AppError('forbidden', 'only the host invites participants');
    if (!(await this.em.count(User, { id: input.userId }))) throw AppError.notFound('user', input.userId);
    const participant = new Participant(this.em.getReference(Event, event.id, { wrapped: true }), this.em.getReference(User, input.userId, { wrapped: true }), input.role);
    let change: InvitationChange;
    try {
      change = await this.em.transactional(async (em) => {
        await em.persist(participant).flush();
        return this.recorded(em, 'invited', event, participant);
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw new AppError('conflict', `user ${input.userId} already participates in this event`);
      throw err;
    }
    this.changes.afterCommit([change]);
    await this.revalidate(event, [input.userId]);
    return participant;
  }

  /**
   * Changes a participant's role (host only) and/or response (that participant only).
   * @throws AppError 404 (event not visible or user not a participant), 403 (not allowed to change that field).
   */
  async update(actor: Actor, eventId: string, userId: string, patch: { role?: ParticipantRole; response?: AttendeeResponse }): Promise<Participant> {
    const { event, participant } = await this.find(actor, eventId, userId);
    const kinds: InvitationChange['kind'][] = [];
    if (patch.role !== undefined && patch.role !== participant.role) {
      if (event.host.id !== actor.userId) throw new AppError('forbidden', 'only the host changes roles');
      if (participant.isHost) throw new AppError('conflict', 'the host is always a required participant');
      participant.role = patch.role;
      kinds.push('updated');
    }
    if (patch.response !== undefined) {
      if (userId !== actor.userId) throw new AppError('forbidden', 'a participant sets only its own response');
      if (patch.response !== participant.response && !participant.isHost) kinds.push('responded');
      participant.response = patch.response;
    }
    const changes = await this.em.transactional(async (em) => {
      await em.flush();
      return Promise.all(kinds.map((kind) => this.recorded(em, kind, event, participant)));
    });
    this.changes.afterCommit(changes);
    await this.revalidate(event, []);
    return participant;
  }

  /** @throws AppError 404, 403 (neither the host nor the participant itself), 409 (the host's own row). */
  async remove(actor: Actor, eventId: string, userId: string): Promise<void> {
    const { event, participant } = await this.find(actor, eventId, userId);
    if (participant.isHost) throw new AppError('conflict', 'the host cannot be removed from its event');
    if (event.host.id !== actor.userId && userId !== actor.userId) throw new AppError('forbidden', 'only the host removes other participants');
    const change = await this.em.transactional(async (em) => {
      await em.remove(participant).flush();
      return this.recorded(em, 'removed', event, participant);
    });
    this.changes.afterCommit([change]);
    await this.revalidate(event, [userId]);
  }

  /** Hands one change of `participant` to the `eventChanges` hook, inside the writer's transaction. */
  private async recorded(em: EntityManager, kind: InvitationChange['kind'], event: Event, participant: Participant): Promise<InvitationChange> {
    const change: InvitationChange = { type: 'invitation', kind, eventId: event.id, hostId: event.host.id, userId: participant.user.id, role: participant.role, response: participant.response };
    await this.changes.inTransaction(em, [change]);
    return change;
  }

  /** After a change of participants: the /events listings of everyone involved, and the calendar's. */
  private async revalidate(event: Event, alsoUsers: string[]): Promise<void> {
    const tags = await tagsOfEvents(this.em, event.calendar.id, [event.id]);
    await this.cache.invalidate([...tags, ...alsoUsers.map(EventTags.eventsOf)]);
  }

  private async find(actor: Actor, eventId: string, userId: string): Promise<{ event: Event; participant: Participant }> {
    const event = await visibleEvent(this.em, actor, eventId);
    const participant = await this.em.findOne(Participant, { event: event.id, user: userId });
    if (!participant) throw AppError.notFound('participant', userId);
    return { event, participant };
  }
}
