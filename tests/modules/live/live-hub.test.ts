import { LocalChangeBus } from '../../../src/modules/live/change-bus';
import type { EntryChange, InvitationChange } from '../../../src/modules/events/changes/event-changes';
import { calendarTopic, LiveHub, MAX_PENDING_PER_SUBSCRIPTION, topicsOf, userTopic } from '../../../src/modules/live/live-hub';

const entry = (calendarId: string, entryId = 'e1'): EntryChange => ({ type: 'entry', kind: 'created', calendarId, ownerId: 'owner', entryId, seriesId: null, originalStart: null });
const invitation = (kind: InvitationChange['kind']): InvitationChange => ({ type: 'invitation', kind, eventId: 'ev', hostId: 'host', userId: 'guest', role: 'required', response: 'accepted' });
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('live hub', () => {
  it('when a change is an entry change, then it goes to its calendar; an invitation to the guest, a response to the host', () => {
    expect(topicsOf(entry('c1'))).toEqual([calendarTopic('c1')]);
    expect(topicsOf(invitation('invited'))).toEqual([userTopic('guest')]);
    expect(topicsOf(invitation('removed'))).toEqual([userTopic('guest')]);
    expect(topicsOf(invitation('responded'))).toEqual([userTopic('host')]);
  });

  it('when changes are published after commit, then each subscriber of the topic gets them in order, others none', async () => {
    const bus = new LocalChangeBus();
    const hub = new LiveHub(bus);
    const a = hub.subscribe(calendarTopic('c1'), () => undefined);
    const b = hub.subscribe(calendarTopic('c2'), () => undefined);
    bus.publishAfterCommit([entry('c1', 'x'), entry('c2', 'y'), entry('c1', 'z')]);
    expect((await a.next()).value).toMatchObject({ entryId: 'x' });
    expect((await a.next()).value).toMatchObject({ entryId: 'z' });
    expect((await b.next()).value).toMatchObject({ entryId: 'y' });
    expect(hub.size).toBe(2);
    await a.return!();
    await b.return!();
    expect(hub.size).toBe(0);
  });

  it('when a subscriber falls more than the limit behind, then it ends, its buffer is dropped and the overflow handler runs once', async () => {
    const bus = new LocalChangeBus();
    const hub = new LiveHub(bus);
    const overflow = jest.fn();
    const slow = hub.subscribe(calendarTopic('c1'), overflow);
    bus.publishAfterCommit(Array.from({ length: MAX_PENDING_PER_SUBSCRIPTION + 5 }, (_, i) => entry('c1', `e${i}`)));
    await tick();
    expect(overflow).toHaveBeenCalledTimes(1);
    expect(await slow.next()).toEqual({ value: undefined, done: true });
    expect(hub.size).toBe(0);
  });

  it('when a subscriber keeps up, then any number of changes pass', async () => {
    const bus = new LocalChangeBus();
    const hub = new LiveHub(bus);
    const overflow = jest.fn();
    const sub = hub.subscribe(calendarTopic('c1'), overflow);
    let seen = 0;
    for (let round = 0; round < 5; round++) {
      bus.publishAfterCommit(Array.from({ length: MAX_PENDING_PER_SUBSCRIPTION }, (_, i) => entry('c1', `e${i}`)));
      await tick();
      for (let i = 0; i < MAX_PENDING_PER_SUBSCRIPTION; i++) if (!(await sub.next()).done) seen++;
    }
    expect(seen).toBe(5 * MAX_PENDING_PER_SUBSCRIPTION);
    expect(overflow).not.toHaveBeenCalled();
  });

  it('when a transaction only published inside itself, then a local bus sends nothing (it publishes after commit only)', async () => {
    const bus = new LocalChangeBus();
    const hub = new LiveHub(bus);
    const sub = hub.subscribe(calendarTopic('c1'), () => undefined);
    await bus.publishInTransaction();
    const next = sub.next();
    const raced = await Promise.race([next, new Promise((resolve) => setTimeout(() => resolve('nothing'), 50))]);
    expect(raced).toBe('nothing');
    await sub.return!();
  });
});
