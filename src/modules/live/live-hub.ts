import type { ChangeBus } from './change-bus';
import type { EventChange } from '../events/changes/event-changes';

/** Changes a subscription may have waiting for its socket; one more cuts the consumer off. */
export const MAX_PENDING_PER_SUBSCRIPTION = 100;

/** The topic of the changes of one calendar. */
export const calendarTopic = (calendarId: string) => `calendar:${calendarId}`;
/** The topic of one user's invitations and of the responses to the events it hosts. */
export const userTopic = (userId: string) => `user:${userId}`;

/** The topics a change is published on (see {@link calendarTopic}, {@link userTopic}). */
export function topicsOf(change: EventChange): string[] {
  if (change.type === 'entry') return [calendarTopic(change.calendarId)];
  return [userTopic(change.kind === 'responded' ? change.hostId : change.userId)];
}

/** Called once when a subscriber falls more than {@link MAX_PENDING_PER_SUBSCRIPTION} changes behind. */
export type OverflowHandler = () => void;

/**
 * This replica's subscriptions, by topic. Every change the bus reports is pushed to the subscriptions
 * of its topics. Each subscription buffers at most {@link MAX_PENDING_PER_SUBSCRIPTION} changes while
 * its consumer (the socket) is busy: one more ends it and calls its overflow handler (the WebSocket
 * server closes that connection), so a slow client costs bounded memory.
 */
export class LiveHub {
  private readonly byTopic = new Map<string, Set<Subscription>>();
  private readonly stop: () => void;

  constructor(bus: ChangeBus) {
    this.stop = bus.onChange((change) => this.dispatch(change));
  }

  /** Active subscriptions on this replica. */
  get size(): number {
    let n = 0;
    for (const set of this.byTopic.values()) n += set.size;
    return n;
  }

  /** The changes of `topic` from now on, until the iterator is returned or overflows. */
  subscribe(topic: string, onOverflow: OverflowHandler): AsyncIterableIterator<EventChange> {
    const subscription = new Subscription(onOverflow, () => {
      const set = this.byTopic.get(topic);
      set?.delete(subscription);
      if (set?.size === 0) this.byTopic.delete(topic);
    });
    const set = this.byTopic.get(topic) ?? new Set();
    set.add(subscription);
    this.byTopic.set(topic, set);
    return subscription;
  }

  /** Stops listening to the bus (the subscriptions end with their sockets). */
  close(): void {
    this.stop();
  }

  private dispatch(change: EventChange): void {
    for (const topic of topicsOf(change)) {
      for (const subscription of this.byTopic.get(topic) ?? []) subscription.push(change);
    }
  }
}

/** One consumer's bounded queue, as an async iterator. */
class Subscription implements AsyncIterableIterator<EventChange> {
  private readonly queue: EventChange[] = [];
  private waiting: ((result: IteratorResult<EventChange>) => void) | undefined;
  private done = false;

  constructor(
    private readonly onOverflow: OverflowHandler,
    private readonly unregister: () => void,
  ) {}

  push(change: EventChange): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: change, done: false });
      return;
    }
    this.queue.push(change);
    if (this.queue.length > MAX_PENDING_PER_SUBSCRIPTION) {
      this.end();
      this.onOverflow();
    }
  }

  next(): Promise<IteratorResult<EventChange>> {
    const value = this.queue.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<EventChange>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<EventChange> {
    return this;
  }

  private end(): void {
    if (this.done) return;
    this.done = true;
    this.queue.length = 0;
    this.unregister();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
  }
}
