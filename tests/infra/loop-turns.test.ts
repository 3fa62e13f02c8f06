import net from 'node:net';
import { BURST_MS, connectionAccepted, nextTurn } from '../../src/infra/loop-turns';
import { createTestApp } from '../helpers/app';

/** Counts event-loop turns: an immediate that sets itself again runs once per turn (check phase). */
function turnCounter() {
  let turn = 0;
  let running = true;
  const tick = () => {
    turn++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return { now: () => turn, stop: () => void (running = false) };
}

/** Blocks the event loop for `ms` (a turn busy building a page). */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** Waits, without blocking, until the burst window after the last accepted connection is over. */
const pastBurst = () => new Promise((resolve) => setTimeout(resolve, BURST_MS + 20));

describe('event-loop turns while connections arrive (loop-turns)', () => {
  it('when no connection was accepted lately, then a caller goes on at once', async () => {
    await pastBurst();
    expect(nextTurn()).toBeUndefined();
  });

  it('while connections arrive, then waiting callers go on one per turn, in the order they asked', async () => {
    connectionAccepted();
    const turns = turnCounter();
    const went: { caller: number; turn: number }[] = [];
    await Promise.all([0, 1, 2, 3, 4].map(async (caller) => {
      await nextTurn();
      went.push({ caller, turn: turns.now() });
    }));
    turns.stop();
    expect(went.map((w) => w.caller)).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(went.map((w) => w.turn)).size).toBe(5);
  });

  it('when connections stop arriving while callers wait, then all of them go on in the same turn', async () => {
    connectionAccepted();
    const turns = turnCounter();
    const waits = [0, 1, 2, 3].map(async () => {
      await nextTurn();
      return turns.now();
    });
    busyFor(BURST_MS + 20); // the burst is over before the first of them could go on
    const seen = await Promise.all(waits);
    turns.stop();
    expect(new Set(seen).size).toBe(1);
  });

  it('when the app accepts a connection, then the gate knows: callers wait for their turn', async () => {
    const t = await createTestApp();
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      await pastBurst();
      expect(nextTurn()).toBeUndefined();
      const accepted = new Promise((resolve) => t.app.server.once('connection', resolve));
      const { port } = t.app.server.address() as net.AddressInfo;
      const socket = net.connect(port, '127.0.0.1');
      await accepted;
      const turn = nextTurn();
      expect(turn).toBeInstanceOf(Promise);
      await turn;
      socket.destroy();
    } finally {
      await t.close();
    }
  });
});
