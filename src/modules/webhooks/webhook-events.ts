import type { EventChange } from '../events/changes/event-changes';

/** Webhook event types, Standard Webhooks style (`<noun>.<verb>`), one per kind of change. */
export const WEBHOOK_EVENT_TYPES = ['entry.created', 'entry.updated', 'entry.deleted', 'invitation.received', 'invitation.updated', 'invitation.removed', 'participant.responded'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The users whose endpoints hear of a change: the calendar owner; the participant; for a response, the host. */
export function audienceOf(change: EventChange): string[] {
  if (change.type === 'entry') return [change.ownerId];
  return [change.kind === 'responded' ? change.hostId : change.userId];
}

/** The webhook event type of a change. */
export function eventTypeOf(change: EventChange): WebhookEventType {
  if (change.type === 'entry') return `entry.${change.kind}`;
  const byKind = { invited: 'invitation.received', updated: 'invitation.updated', removed: 'invitation.removed', responded: 'participant.responded' } as const;
  return byKind[change.kind];
}
