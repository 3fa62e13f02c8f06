import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../infra/actor';
import { AppError } from '../infra/errors';
import type { Loaders } from '../infra/loaders';
import type { Services } from '../infra/services';

/** Per-operation GraphQL context: one EntityManager fork, its services and DataLoaders, the caller. */
export interface GraphQLContext {
  em: EntityManager;
  services: Services;
  loaders: Loaders;
  /** The client's address (Fastify's `request.ip`), for attempt budgets. */
  clientAddress: string;
  /** Absent for anonymous requests (only register, login and introspection work then). */
  actor?: Actor;
  /** The operation's start: the default "now" of fields that take one, so all users of a list share one batch. */
  startedAt: Date;
}

/** The caller of an `@Authorized()` resolver. @throws AppError 401 when anonymous. */
export function actorOf(ctx: GraphQLContext): Actor {
  if (!ctx.actor) throw new AppError('unauthenticated', 'send Authorization: Bearer <access token>');
  return ctx.actor;
}
