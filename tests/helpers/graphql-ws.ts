import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** The WebSocket URL of an app listening on loopback. */
export function wsUrl(base: string): string {
  return `${base.replace(/^http/, 'ws')}/graphql`;
}

/** A raw graphql-transport-ws socket: resolves with its close code and reason once the server closes it. */
export function rawSocket(url: string, init?: Record<string, unknown>): { socket: WebSocket; closed: Promise<{ code: number; reason: string }>; messages: unknown[] } {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const messages: unknown[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', ...(init && { payload: init }) })));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  return { socket, closed, messages };
}

/** A graphql-ws client that does not retry, authenticated with `token`. */
export function wsClient(url: string, token: string): { client: Client; closed: Promise<{ code: number; reason: string }> } {
  let onClosed: (e: { code: number; reason: string }) => void = () => undefined;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: { closed: (event) => onClosed({ code: (event as { code: number }).code, reason: String((event as { reason: string }).reason) }) },
  });
  return { client, closed };
}

/** A running subscription: what it received so far, and a way to wait for more. */
export interface Subscribed<T> {
  results: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }[];
  /** Resolves once `n` results arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<Subscribed<T>['results']>;
  /** Resolves when the server completes or errors the subscription. */
  ended: Promise<unknown>;
  stop(): void;
}

/** Subscribes and collects results; resolves once the server acknowledged the operation (best effort: after 300 ms). */
export async function subscribe<T = Record<string, any>>(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<Subscribed<T>> {
  const results: Subscribed<T>['results'] = [];
  let end: (v: unknown) => void = () => undefined;
  const ended = new Promise((resolve) => (end = resolve));
  const stop = client.subscribe<T>({ query, variables }, {
    next: (value) => results.push(value as Subscribed<T>['results'][number]),
    error: (err) => {
      results.push({ errors: Array.isArray(err) ? err : [{ message: String((err as Error)?.message ?? err) }] });
      end(err);
    },
    complete: () => end(undefined),
  });
  // graphql-ws has no "subscribed" acknowledgement: give the server a moment to register it.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    results,
    ended,
    stop,
    async waitFor(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (results.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} results within ${timeoutMs} ms, got ${JSON.stringify(results)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return results;
    },
  };
}
