import net from 'node:net';
import { fullCollection, IdleCollection } from '../../src/infra/idle-collection';
import { createTestApp } from '../helpers/app';

const MiB = 1024 * 1024;

/**
 * An IdleCollection over a heap whose size the test sets (bytes in use), recording each collection;
 * a collection leaves `leavesBytes` in use.
 */
function withHeap(startBytes: number, leavesBytes = 60 * MiB) {
  let heap = startBytes;
  const collectedAt: number[] = [];
  const collect = () => {
    collectedAt.push(heap);
    heap = leavesBytes;
  };
  const idle = new IdleCollection({ idleMs: 1000, growthBytes: 32 * MiB, heapUsed: () => heap, collect });
  return { idle, collectedAt, grow: (bytes: number) => void (heap += bytes) };
}

/** Holds `mib` MiB of arrays until released: garbage once dropped, until a full collection. */
function allocate(mib: number): number[][] {
  return Array.from({ length: mib }, () => new Array<number>(128 * 1024).fill(1)); // 1 MiB each (8-byte slots)
}

describe('one full collection once idle after load (idle-collection)', () => {
  it('when requests arrive in every interval, then it never collects, however much the heap grew', () => {
    const h = withHeap(50 * MiB);
    for (let i = 0; i < 5; i++) {
      h.grow(100 * MiB);
      h.idle.requestArrived();
      expect(h.idle.check()).toBe(false);
    }
    expect(h.collectedAt).toEqual([]);
  });

  it('when a whole interval passes without a request after the heap grew past the threshold, then it collects once, and not again while idle', () => {
    const h = withHeap(50 * MiB);
    h.idle.requestArrived();
    h.grow(200 * MiB);
    expect(h.idle.check()).toBe(false); // a request arrived in this interval
    expect(h.idle.check()).toBe(true);
    expect(h.collectedAt).toEqual([250 * MiB]);
    expect(h.idle.check()).toBe(false);
    expect(h.idle.check()).toBe(false);
    expect(h.collectedAt).toHaveLength(1);
  });

  it('when the heap grew by no more than the threshold since the last collection, then it does not collect (a trickle of requests)', () => {
    const h = withHeap(50 * MiB);
    h.grow(32 * MiB);
    expect(h.idle.check()).toBe(false);
    h.grow(1);
    expect(h.idle.check()).toBe(true); // leaves 60 MiB
    h.grow(32 * MiB); // measured from what the collection left, not from the start
    expect(h.idle.check()).toBe(false);
    h.grow(1);
    expect(h.idle.check()).toBe(true);
  });

  it('when V8 collected on its own under load, then the growth is measured from what that left', () => {
    const h = withHeap(200 * MiB); // built while garbage was still counted
    h.idle.requestArrived();
    h.grow(-150 * MiB); // V8's own full collection: 50 MiB in use
    expect(h.idle.check()).toBe(false); // a request arrived
    h.grow(40 * MiB); // 90 MiB: far below where it started, but 40 MiB above what is live
    expect(h.idle.check()).toBe(true);
  });

  it('the full collection frees garbage that the heap still counts as used', () => {
    const used = () => process.memoryUsage().heapUsed / MiB;
    const holder: { garbage?: number[][] } = { garbage: allocate(64) };
    const holding = used();
    delete holder.garbage;
    fullCollection();
    expect(used()).toBeLessThan(holding - 48);
  });

  it('when the served app goes idle after its heap grew, then it collects and counts it in /metrics; while requests arrive it does not', async () => {
    const idleMs = 1000;
    fullCollection(); // the app measures growth from the heap in use when it is built: no garbage then
    const t = await createTestApp({ IDLE_GC_MS: String(idleMs) });
    const collections = async () => Number(/^idle_collections_total (\d+)/m.exec((await t.app.inject({ method: 'GET', url: '/metrics' })).body)?.[1]);
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.server.address() as net.AddressInfo;
      const base = `http://127.0.0.1:${port}`;
      const before = await collections();

      // Requests over HTTP (the server's `request` event; `inject` does not count) arrive all the
      // time, from four loops, for 2.5 intervals, while the heap grows by 128 MiB in small steps (held
      // until the end, so that no collection of V8's own can take the growth away).
      const held: number[][] = [];
      const busyUntil = Date.now() + 2.5 * idleMs;
      await Promise.all([0, 1, 2, 3].map(async () => {
        while (Date.now() < busyUntil) {
          await fetch(`${base}/healthz`);
          if (held.length < 128) held.push(...allocate(1));
        }
      }));
      expect(await collections()).toBe(before);

      const idleSince = Date.now();
      while ((await collections()) === before && Date.now() - idleSince < 5 * idleMs) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await collections()).toBe(before + 1);
      expect(held).toHaveLength(128);
    } finally {
      await t.close();
    }
  });
});
