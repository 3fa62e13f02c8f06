import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestApp } from './app';
import { ChangeRecorder, type EventChange } from '../../src/modules/events/changes/event-changes';
import type { ServiceContext } from '../../src/infra/services';
import { MODULES } from '../../src/modules';

/** A recorder over every module's contribution to the `eventChanges` hook, as the writers get it. */
export function changeRecorder(t: TestApp): ChangeRecorder {
  const ctx = { deps: t.app.deps } as ServiceContext;
  return new ChangeRecorder(MODULES.flatMap((m) => (m.hooks?.eventChanges ? [m.hooks.eventChanges(ctx)!] : [])));
}

/** Hands `changes` to the `eventChanges` hook in a transaction of their own, as a writer does. */
export async function publishChanges(t: TestApp, changes: EventChange[]): Promise<void> {
  const recorder = changeRecorder(t);
  await t.orm.em.fork().transactional((tx) => recorder.inTransaction(tx, changes));
  recorder.afterCommit(changes);
}

/** A request a {@link WebhookReceiver} got. */
export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  /** The status it was answered with. */
  status: number;
}

/** An HTTP server on loopback that records webhook deliveries and answers them from a script. */
export interface WebhookReceiver {
  url: string;
  received: ReceivedRequest[];
  /** Resolves once `n` requests have arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/**
 * Starts a receiver on 127.0.0.1. `respond(i)` gives the status of the i-th request (0-based;
 * default 204 always), or 'hang' to never answer.
 */
export async function startReceiver(respond: (i: number) => number | 'hang' = () => 204): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const answer = respond(received.length);
      received.push({ headers: req.headers, body, status: answer === 'hang' ? 0 : answer });
      waiters.splice(0).forEach((w) => w());
      if (answer !== 'hang') res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    async waitFor(n, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} deliveries within ${timeoutMs} ms, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Polls `check` every 100 ms until it returns a value other than undefined (rejects after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
