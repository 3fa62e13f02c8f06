import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * One full garbage collection once the process has gone idle after load, so the heap that the load
 * grew goes back to the operating system instead of staying resident until the next burst.
 *
 * Why: under load V8 lets the old generation grow to several times what is live (objects of the
 * requests in flight survive two scavenges and are promoted), and collects it only when it needs the
 * room. Its memory reducer, which should shrink the heap of an idle process, judges idleness by the
 * allocation rate that its last garbage collections measured; a process that stops allocating runs no
 * more collections, so that rate can stay high and the reducer not start. Measured on the benchmark
 * of issue 13: the service with the Redis cache held 409 MB of RSS right after the run and still
 * 409 MB 40 s later (V8 heap 304 MB, 269 MB of it "used", almost all garbage), while in shorter runs
 * of the same load the reducer started in some and not in others; a forced full collection after
 * the same load took 32–36 ms and left 56–58 MB of heap used, RSS 175–226 MB.
 *
 * What it does not do: lower the peak under load, which a memory limit must still hold (see the
 * README's Benchmark section); it makes what an idle replica holds close to what it needs.
 *
 * The collection is V8's `gc()`, which Node exposes with `--expose-gc`; the flag is set at run time
 * and the function taken from a new context, as jest-leak-detector does. State is per process.
 */
export class IdleCollection {
  private requests = 0;
  private seenRequests = 0;
  /** The least heap in use seen since the last collection of ours (at construction, checks, collections): about what is live. */
  private floor: number;
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param opts.idleMs - a collection may run when no request arrived for a whole interval of this
   *   many ms (so after between one and two intervals of idleness).
   * @param opts.growthBytes - and only when the V8 heap in use is more than this many bytes above the
   *   least seen since the last collection (default 32 MiB), so a process serving a trickle does not
   *   collect after every request.
   * @param opts.collect - the full collection (default V8's `gc()`); for tests.
   * @param opts.heapUsed - bytes of V8 heap in use (default `v8.getHeapStatistics().used_heap_size`).
   * @param opts.onCollected - called after each collection (a metric).
   */
  constructor(private readonly opts: { idleMs: number; growthBytes?: number; collect?: () => void; heapUsed?: () => number; onCollected?: () => void }) {
    this.floor = this.heapUsed();
  }

  /** Counts a request; cheap enough for every request (listen to the HTTP server's `request` event). */
  readonly requestArrived = (): void => {
    this.requests++;
  };

  /** Starts checking every `idleMs` (an unref'd timer: it never keeps the process alive). */
  start(): this {
    this.timer ??= setInterval(() => this.check(), this.opts.idleMs).unref();
    return this;
  }

  /** Stops checking (the app's `onClose`); a collection already running finishes (it is synchronous). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * One check: collects when no request arrived since the last check and the heap in use is more than
   * `growthBytes` above the least seen since the last collection (so a collection of V8's own, which
   * lowered it, counts as one).
   * @returns whether it collected.
   */
  check(): boolean {
    const idle = this.requests === this.seenRequests;
    this.seenRequests = this.requests;
    const used = this.heapUsed();
    this.floor = Math.min(this.floor, used);
    if (!idle || used - this.floor <= (this.opts.growthBytes ?? 32 * 1024 * 1024)) return false;
    (this.opts.collect ?? fullCollection)();
    this.floor = this.heapUsed();
    this.opts.onCollected?.();
    return true;
  }

  private heapUsed(): number {
    return this.opts.heapUsed?.() ?? v8.getHeapStatistics().used_heap_size;
  }
}

let exposedGc: (() => void) | undefined;

/** V8's full, synchronous garbage collection (`gc()` of `--expose-gc`, exposed on first use). */
export function fullCollection(): void {
  if (!exposedGc) {
    v8.setFlagsFromString('--expose-gc');
    exposedGc = vm.runInNewContext('gc') as () => void;
  }
  exposedGc();
}
