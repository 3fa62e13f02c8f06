import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyRequest } from 'fastify';
import type { Actor } from './actor';
import { AppError } from './errors';
import type { Services } from './services';

declare module 'fastify' {
  interface FastifyRequest {
    /** This request's EntityManager fork (set in onRequest). */
    em: EntityManager;
    /** This request's services over `em`. */
    services: Services;
    /** The authenticated caller; set by the auth hook on protected routes. */
    actor?: Actor;
  }
}

/** The caller of a protected route. @throws AppError 401 if the auth hook did not run or failed. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', 'authentication required');
  return request.actor;
}
