import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../infra/errors';
import type { Actor } from '../modules/auth/actor';
import type { Services } from '../services';
import type { Loaders } from './loaders';

/** Per-operation GraphQL context: one EntityManager fork, its services and DataLoaders, the caller. */
export interface GraphQLContext {
  em: EntityManager;
  services: Services;
  loaders: Loaders;
  /** Absent for anonymous requests (only register, login and introspection work then). */
  actor?: Actor;
}

/** The caller of an `@Authorized()` resolver. @throws AppError 401 when anonymous. */
export function actorOf(ctx: GraphQLContext): Actor {
  if (!ctx.actor) throw new AppError('unauthenticated', 'send Authorization: Bearer <access token>');
  return ctx.actor;
}
