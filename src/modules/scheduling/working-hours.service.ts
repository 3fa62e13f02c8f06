import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, isSelfOrAdmin } from '../../infra/actor';
import { AppError } from '../../infra/errors';
import { User } from '../users/user.entity';
import type { UserService } from '../users/user.service';
import { DEFAULT_WORKING_HOURS, type WorkingHours, workingHoursProblems } from './domain/working-hours';
import { UserWorkingHours } from './working-hours.entity';

/** A user's working hours as both transports show them. */
export interface WorkingHoursView extends WorkingHours {
  userId: string;
  /** The user's IANA time zone, which the hours are in (they follow it when it changes). */
  timeZone: string;
  /** True while the user has not set its own (Monday–Friday, 09:00–17:00). */
  isDefault: boolean;
}

/**
 * Working hours per user: read by any signed-in user (meeting suggestions need everyone's, and they
 * reveal no more than free/busy does), set or reset by the user itself or an admin.
 */
export class WorkingHoursService {
  constructor(
    private readonly em: EntityManager,
    private readonly users: UserService,
  ) {}

  /** @throws AppError 404 for an unknown user. */
  async get(userId: string): Promise<WorkingHoursView> {
    const user = await this.users.get(userId);
    return toView(user, (await this.em.findOne(UserWorkingHours, { user: userId })) ?? undefined);
  }

  /**
   * Replaces a user's working hours.
   * @throws AppError 404 (unknown user, or someone else's and the actor is not an admin), 400 with a
   *   path per problem (times not `HH:MM`, start not before end, unknown or repeated days).
   */
  async set(actor: Actor, userId: string, hours: WorkingHours): Promise<WorkingHoursView> {
    if (!isSelfOrAdmin(actor, userId)) throw AppError.notFound('user', userId);
    assertValidWorkingHours(hours, '');
    const user = await this.users.get(userId);
    const row = (await this.em.findOne(UserWorkingHours, { user: userId })) ?? new UserWorkingHours(this.em.getReference(User, userId, { wrapped: true }), hours);
    Object.assign(row, { daysOfWeek: [...hours.daysOfWeek], startTime: hours.startTime, endTime: hours.endTime });
    await this.em.persist(row).flush();
    return toView(user, row);
  }

  /** Back to the default hours. @throws AppError 404 as {@link set}. */
  async reset(actor: Actor, userId: string): Promise<WorkingHoursView> {
    if (!isSelfOrAdmin(actor, userId)) throw AppError.notFound('user', userId);
    const user = await this.users.get(userId);
    await this.em.nativeDelete(UserWorkingHours, { user: userId });
    return toView(user, undefined);
  }

  /** The working hours of each of `users` (one statement), the default for those without their own. */
  async ofUsers(users: readonly User[]): Promise<Map<string, WorkingHours>> {
    const own = await this.ownOf(users.map((u) => u.id));
    return new Map(users.map((u) => [u.id, own.get(u.id) ?? DEFAULT_WORKING_HOURS]));
  }

  /**
   * The views of `users` (id and time zone known to the caller, e.g. a GraphQL parent), in their
   * order, in one statement: for `User.workingHours` over a list of users.
   */
  async viewsOf(users: readonly Pick<User, 'id' | 'timeZone'>[]): Promise<WorkingHoursView[]> {
    const own = await this.ownOf(users.map((u) => u.id));
    return users.map((u) => toView(u, own.get(u.id)));
  }

  /** The rows of those of `userIds` that set their own hours. */
  private async ownOf(userIds: readonly string[]): Promise<Map<string, UserWorkingHours>> {
    const rows = userIds.length === 0 ? [] : await this.em.find(UserWorkingHours, { user: { $in: [...new Set(userIds)] } });
    return new Map(rows.map((r) => [r.user.id, r]));
  }
}

/** @throws AppError 400 naming each problem of `hours` under `prefix` (e.g. `/workingHours`). */
export function assertValidWorkingHours(hours: WorkingHours, prefix: string): void {
  const problems = workingHoursProblems(hours);
  if (problems.length === 0) return;
  throw new AppError('bad_request', `invalid working hours: ${problems.map(([, m]) => m).join('; ')}`, { errors: problems.map(([path, message]) => ({ path: prefix + path, message })) });
}

function toView(user: Pick<User, 'id' | 'timeZone'>, own: UserWorkingHours | undefined): WorkingHoursView {
  const hours = own ?? DEFAULT_WORKING_HOURS;
  return { userId: user.id, timeZone: user.timeZone, daysOfWeek: [...hours.daysOfWeek], startTime: hours.startTime, endTime: hours.endTime, isDefault: !own };
}
