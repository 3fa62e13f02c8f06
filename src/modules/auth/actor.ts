import type { Role } from '../users/user.entity';

/** The authenticated caller of a request, as services see it. */
export interface Actor {
  userId: string;
  role: Role;
}

/** True when the actor is an admin or is `userId` itself. */
export function isSelfOrAdmin(actor: Actor, userId: string): boolean {
  return actor.role === 'admin' || actor.userId === userId;
}
