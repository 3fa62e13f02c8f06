import type { EntityManager } from '@mikro-orm/postgresql';
import { Participant } from '../participants/participant.entity';
import { mergeTimeline } from '../domain/timeline';
import { loadTimelineRows } from './timeline.repository';

/** A meeting of a user as an anchor: its start (UTC) and its entry id (an occurrence id for a series). */
export interface MeetingAnchor {
  date: Date;
  eventId: string;
}

/**
 * The meetings of each user that start within `[window.from, window.to]` (inclusive), sorted by
 * start: the events it hosts or is invited to, with series expanded into their occurrences
 * (overrides applied, cancelled occurrences left out). Four SQL statements for all users, whatever
 * their number: singles, series, overrides, participations. Users without meetings map to `[]`.
 *
 * This is the events module's answer to "when does this user meet?", used by the `meeting` event
 * type of the milestones module.
 */
export async function meetingAnchors(em: EntityManager, userIds: string[], window: { from: Date; to: Date }): Promise<Map<string, MeetingAnchor[]>> {
  const out = new Map<string, MeetingAnchor[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  const w = { from: window.from, to: new Date(window.to.getTime() + 1) };
  const rows = await loadTimelineRows(em, { participants: { user: { $in: userIds } } }, w);
  const eventIds = [...rows.singles, ...rows.series].map((e) => e.id);
  if (eventIds.length === 0) return out;
  const participations = await em.find(Participant, { user: { $in: userIds }, event: { $in: eventIds } }, { fields: ['event', 'user'] });
  const usersOf = new Map<string, string[]>();
  for (const p of participations) usersOf.set(p.event.id, [...(usersOf.get(p.event.id) ?? []), p.user.id]);
  for (const item of mergeTimeline(rows, w)) {
    if (item.start < window.from || item.start > window.to) continue;
    for (const userId of usersOf.get((item.series ?? item.row).id) ?? []) out.get(userId)?.push({ date: item.start, eventId: item.id });
  }
  return out;
}
