/**
 * Short event-loop turns while new connections arrive: then the heavy part of a request (building a
 * page from its rows) runs one per turn.
 *
 * Why: since libuv 1.45 (Node 20), a listening socket accepts ONE connection per event-loop turn
 * (libuv pull request #3696, "unix: don't accept() connections in a loop"), and a turn runs the
 * callbacks of every socket that is ready. Under load each turn took every database answer that had
 * arrived on to a whole page (about 10 ms of CPU for the GraphQL page of 100 events on the benchmark
 * machine): turns of 100–150 ms. Fifty connections opened at once were then taken up one a turn (`ss`
 * showed the listen queue draining by one every ~130 ms), and their first requests were answered
 * 1–4 s later while requests on open connections took under 1 s: the first-wave tail of issue 13.
 * PostGraphile, on Node too, shows the same in some runs. While connections are being accepted (one
 * in the last {@link BURST_MS}), {@link nextTurn} lets one caller on per turn, so turns stay as short
 * as one page and the queue is taken up between them; otherwise it lets every caller on at once,
 * since gating every turn cost 13–16 % of the throughput of the GraphQL page under steady load on
 * open connections. Clients that open a connection per request keep the gate on, and pay for it:
 * 50 of them at once on the GraphQL page got 0.88× the requests of the ungated build, at the same
 * tail (their arrivals are spread out, so the turns were short without the gate too).
 *
 * State is per process, as the event loop is.
 */
/** Callers waiting for their turn, oldest first; a `release` is pending exactly while it is not empty. */
const waiting: Array<() => void> = [];
/** `performance.now()` of the last accepted connection. */
let lastAcceptMs = -Infinity;
/** How long after an accepted connection more are expected (ms): the listen queue is drained one a turn. */
export const BURST_MS = 100;

/** Tells the gate that the HTTP server accepted a connection (its `connection` event). */
export function connectionAccepted(): void {
  lastAcceptMs = performance.now();
}

/** Whether connections were accepted lately, so more may wait in the listen queue. */
function accepting(): boolean {
  return performance.now() - lastAcceptMs <= BURST_MS;
}

/**
 * Check phase: while connections arrive, resolves the oldest waiter and leaves the rest to the next
 * turn (an immediate set while the check phase runs waits for the next iteration); otherwise all.
 */
function release(): void {
  if (accepting()) waiting.shift()?.();
  else for (const resolve of waiting.splice(0)) resolve();
  if (waiting.length) setImmediate(release);
}

/**
 * Waits for this caller's turn of the event loop. While connections arrive, callers continue one per
 * turn (in the check phase), in the order they asked; otherwise at once. Await it after a read
 * statement's rows arrived and before the synchronous work that turns them into a response.
 * @returns undefined (go on at once), or a promise that resolves in the caller's turn; it never rejects.
 */
export function nextTurn(): Promise<void> | undefined {
  if (!accepting()) return undefined;
  return new Promise((resolve) => {
    if (waiting.push(resolve) === 1) setImmediate(release);
  });
}
