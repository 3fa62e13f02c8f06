import type { GraphQLContext } from '../../graphql/context';
import { AppError } from '../../infra/errors';

/** The context of an operation over WebSocket (see live.server.ts). */
export interface LiveContext extends GraphQLContext {
  /**
   * Replaces `em`, `services` and `loaders` with fresh ones. Called before each change a subscription
   * sends, so nothing read for an earlier change (identity map, DataLoader caches) is served stale.
   */
  renew(): void;
  /** Closes the WebSocket of this operation (e.g. 1008 for a consumer too slow to keep up). */
  closeConnection(code: number, reason: string): void;
}

/** @throws AppError 400 when the operation did not come over graphql-ws. */
export function liveContext(ctx: GraphQLContext): LiveContext {
  if (typeof (ctx as Partial<LiveContext>).renew !== 'function') throw new AppError('bad_request', 'subscriptions run over WebSocket (graphql-ws protocol) at /graphql');
  return ctx as LiveContext;
}

/** Close code and reason for a subscriber that fell too far behind. */
export const SLOW_CONSUMER = { code: 1008, reason: 'slow consumer: too many unsent changes' } as const;

/** `source`, renewing the context before each item it yields (see {@link LiveContext.renew}). */
export async function* renewingEach<T>(ctx: LiveContext, source: AsyncIterableIterator<T>): AsyncGenerator<T> {
  try {
    for await (const item of source) {
      ctx.renew();
      yield item;
    }
  } finally {
    await source.return?.();
  }
}
