import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Default 1000 ms: how long idle keep-alive connections stay open after SIGTERM (see {@link stopAccepting}). */
export const IDLE_DRAIN_MS = 1000;

/**
 * First step of a graceful shutdown: stop accepting connections at once, keep serving the open ones
 * for `idleDrainMs`, then return (the caller closes the app, which closes the connections still idle
 * and waits for in-flight requests).
 *
 * Why the wait: `http.Server#close()` closes idle keep-alive connections at the moment it is called,
 * and a client that sends a request on one of them just then gets a connection reset. During the
 * drain, a request on such a connection is answered, with `Connection: close` (the app's draining
 * hook), so its client learns to reconnect elsewhere; only connections idle for the whole drain are
 * closed without a response, and their clients have had `idleDrainMs` to stop reusing them while the
 * load balancer saw `/readyz` turn 503.
 */
export async function stopAccepting(server: Server, idleDrainMs: number): Promise<void> {
  // net.Server#close stops listening without http.Server#close's closeIdleConnections().
  NetServer.prototype.close.call(server);
  await sleep(idleDrainMs);
}
