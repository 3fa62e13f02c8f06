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

/** Waits, without blocking, until the burst window after the last accepted connection is over. */
const pastBurst = () => new Promise((resolve) => setTimeout(resolve, BURST_MS + 20));

describe('event-loop turns while connections arrive (loop-turns)', () => {
  /**
   * The gate's clock, stopped at `ms` by the tests that depend on time, so that a loaded machine
   * cannot end a burst early (`performance.now()` is what the gate reads).
   */
  let clock: jest.SpyInstance<number, []> | undefined;
  const setClock = (ms: number) => {
    clock ??= jest.spyOn(performance, 'now');
    clock.mockReturnValue(ms);
  };
  afterEach(() => {
    clock?.mockRestore();
    clock = undefined;
  });

  it('when no connection was accepted lately, then a caller goes on at once', async () => {
    await pastBurst();
    expect(nextTurn()).toBeUndefined();
  });

  it('while connections arrive, then waiting callers go on one per turn, in the order they asked', async () => {
    setClock(1_000); // time stands still: the burst never ends, however slow the machine
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
    setClock(1_000);
    connectionAccepted();
    const turns = turnCounter();
    const waits = [0, 1, 2, 3].map(async () => {
      await nextTurn();
      return turns.now();
    });
    setClock(1_000 + BURST_MS + 1); // the burst is over before the first of them could go on
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
      // asked in the same event as the app's own listener, so no time passes in between
      // (wrapped, or the outer promise would adopt the gate's)
      const asked = new Promise<{ gate: ReturnType<typeof nextTurn> }>((resolve) =>
        t.app.server.once('connection', () => resolve({ gate: nextTurn() })));
      const { port } = t.app.server.address() as net.AddressInfo;
      const socket = net.connect(port, '127.0.0.1');
      try {
        const { gate } = await asked;
        expect(gate).toBeInstanceOf(Promise);
        await gate;
      } finally {
        socket.destroy();
      }
    } finally {
      await t.close();
    }
  });
});
