/** `admin` may manage every user, rule and subscription; `user` only itself. */
export type Role = 'user' | 'admin';

/**
 * The authenticated caller of a request, as services see it: the request's identity, produced by the
 * auth module from a bearer token and passed down to every service method that authorises.
 */
export interface Actor {
  userId: string;
  role: Role;
}

/** True when the actor is an admin or is `userId` itself. */
export function isSelfOrAdmin(actor: Actor, userId: string): boolean {
  return actor.role === 'admin' || actor.userId === userId;
}
