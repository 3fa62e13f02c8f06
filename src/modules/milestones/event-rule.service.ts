import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { Cache } from '../../infra/cache';
import { type CursorCodec, type Page, toPage } from '../../infra/cursor';
import { AppError } from '../../infra/errors';
import { type Actor, isSelfOrAdmin } from '../../infra/actor';
import { User } from '../users/user.entity';
import type { UserCreatedHook } from '../users/user.service';
import { EventRule, UserEventRule } from './event-rule.entity';
import type { EventTypeRegistry } from './event-types/event-type';
import { MAX_OFFSET_DAYS, type Repeat } from './nearest-event';
import { UserTags } from '../users/user-tags';
import { MilestoneTags } from './milestone-tags';

/** A rule as the front doors show it. */
export interface EventRuleView {
  id: string;
  name: string;
  eventType: string;
  offsetDays: number;
  repeat: Repeat;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewEventRule {
  name: string;
  eventType: string;
  /** Signed calendar days, within ±{@link MAX_OFFSET_DAYS}. */
  offsetDays: number;
  /** Default `none`. */
  repeat?: Repeat;
}

export type EventRulePatch = Partial<NewEventRule>;

/** An event type as GET /event-types shows it. */
export interface EventTypeView {
  key: string;
  label: string;
  description: string;
}

/** The rule as REST and GraphQL show it. */
export function toEventRuleView(r: EventRule): EventRuleView {
  return { id: r.id, name: r.name, eventType: r.eventType, offsetDays: r.offsetDays, repeat: r.repeat, createdAt: r.createdAt, updatedAt: r.updatedAt };
}

/**
 * Event types and rules, and the rules linked to users. Every authenticated user reads types and
 * rules; only admins write rules. Linking and unlinking a rule to a user, and listing a user's
 * rules, is for the user itself (users opt in or out of reminders) or an admin; for anyone else the
 * user reads as 404.
 */
export class EventRuleService {
  constructor(
    private readonly em: EntityManager,
    private readonly cursors: CursorCodec,
    private readonly eventTypes: EventTypeRegistry,
    private readonly cache: Cache,
  ) {}

  /** The registered event types, in registry order. */
  listTypes(): EventTypeView[] {
    return this.eventTypes.list().map(({ key, label, description }) => ({ key, label, description }));
  }

  /** @throws AppError 404 */
  async get(id: string): Promise<EventRule> {
    const rule = await this.em.findOne(EventRule, id);
    if (!rule) throw AppError.notFound('event rule', id);
    return rule;
  }

  /** Every rule by name. @throws AppError 400 for a foreign cursor. */
  async list(query: { limit: number; cursor?: string }): Promise<Page<EventRule>> {
    const where: Record<string, unknown> = {};
    if (query.cursor) where.name = { $gt: String(this.cursors.decode('event-rules', query.cursor)[0]) };
    const rows = await this.em.find(EventRule, where, { orderBy: { name: 'asc' }, limit: query.limit + 1 });
    return toPage(rows, query.limit, this.cursors, 'event-rules', (r) => [r.name]);
  }

  /** @throws AppError 403 (not an admin), 400 (unknown event type, offset out of range), 409 (name taken). */
  async create(actor: Actor, input: NewEventRule): Promise<EventRule> {
    assertAdmin(actor);
    this.assertValid(input);
    const rule = new EventRule(input);
    await this.em.persist(rule).flush().catch(rethrowDuplicate(input.name));
    await this.cache.invalidate([MilestoneTags.rules]);
    return rule;
  }

  /** Only the fields given change. @throws AppError 403, 404, 400, 409 as {@link create}. */
  async update(actor: Actor, id: string, patch: EventRulePatch): Promise<EventRule> {
    assertAdmin(actor);
    const rule = await this.get(id);
    this.assertValid(patch);
    if (patch.name !== undefined) rule.name = patch.name;
    if (patch.eventType !== undefined) rule.eventType = patch.eventType;
    if (patch.offsetDays !== undefined) rule.offsetDays = patch.offsetDays;
    if (patch.repeat !== undefined) rule.repeat = patch.repeat;
    await this.em.flush().catch(rethrowDuplicate(rule.name));
    await this.cache.invalidate([MilestoneTags.rules]);
    return rule;
  }

  /** Deletes a rule and its links to users. @throws AppError 403, 404. */
  async delete(actor: Actor, id: string): Promise<void> {
    assertAdmin(actor);
    if ((await this.em.nativeDelete(EventRule, { id })) === 0) throw AppError.notFound('event rule', id);
    await this.cache.invalidate([MilestoneTags.rules]);
  }

  /** The rules linked to a user, by name. @throws AppError 404 (user not visible or absent), 400 (cursor). */
  async listForUser(actor: Actor, userId: string, query: { limit: number; cursor?: string }): Promise<Page<EventRule>> {
    await this.assertUserVisible(actor, userId);
    const scope = `user-event-rules:${userId}`;
    const ruleWhere = query.cursor ? { name: { $gt: String(this.cursors.decode(scope, query.cursor)[0]) } } : {};
    const links = await this.em.find(UserEventRule, { user: userId, rule: ruleWhere }, { populate: ['rule'], orderBy: { rule: { name: 'asc' } }, limit: query.limit + 1 });
    return toPage(links.map((l) => l.rule.getEntity()), query.limit, this.cursors, scope, (r) => [r.name]);
  }

  /**
   * Links a rule to a user; linking it again changes nothing (PUT is idempotent).
   * @throws AppError 404 (user not visible or absent, rule absent).
   */
  async link(actor: Actor, userId: string, ruleId: string): Promise<EventRule> {
    await this.assertUserVisible(actor, userId);
    const rule = await this.get(ruleId);
    await this.em.createQueryBuilder(UserEventRule).insert({ user: userId, rule: ruleId, createdAt: new Date() }).onConflict(['user', 'rule']).ignore().execute();
    await this.cache.invalidate([UserTags.user(userId)]);
    return rule;
  }

  /** @throws AppError 404 (user not visible, or the rule is not linked to it). */
  async unlink(actor: Actor, userId: string, ruleId: string): Promise<void> {
    await this.assertUserVisible(actor, userId);
    if ((await this.em.nativeDelete(UserEventRule, { user: userId, rule: ruleId })) === 0) throw AppError.notFound(`event rule ${ruleId} linked to user`, userId);
    await this.cache.invalidate([UserTags.user(userId)]);
  }

  private async assertUserVisible(actor: Actor, userId: string): Promise<void> {
    if (!isSelfOrAdmin(actor, userId) || (await this.em.count(User, { id: userId })) === 0) throw AppError.notFound('user', userId);
  }

  private assertValid(input: EventRulePatch): void {
    if (input.eventType !== undefined && !this.eventTypes.has(input.eventType)) {
      const known = this.eventTypes.list().map((t) => t.key).join(', ');
      throw AppError.invalid('/eventType', `unknown event type ${JSON.stringify(input.eventType)}; known: ${known}`);
    }
    if (input.offsetDays !== undefined && (!Number.isInteger(input.offsetDays) || Math.abs(input.offsetDays) > MAX_OFFSET_DAYS)) {
      throw AppError.invalid('/offsetDays', `offsetDays must be an integer between -${MAX_OFFSET_DAYS} and ${MAX_OFFSET_DAYS}`);
    }
  }
}

/**
 * The `onUserCreated` hook that links the rules named in DEFAULT_EVENT_RULES to every new user, in the
 * creating transaction. Names without a rule are skipped (an admin may create the rule later; users
 * created before then are not linked retroactively).
 */
export function linkDefaultRules(names: readonly string[]): UserCreatedHook | undefined {
  if (names.length === 0) return undefined;
  return async (em, user) => {
    const rules = await em.find(EventRule, { name: { $in: [...names] } });
    for (const rule of rules) em.persist(new UserEventRule(em.getReference(User, user.id, { wrapped: true }), em.getReference(EventRule, rule.id, { wrapped: true })));
    await em.flush();
  };
}

function assertAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new AppError('forbidden', 'only an admin writes event rules');
}

function rethrowDuplicate(name: string) {
  return (err: unknown): never => {
    if (err instanceof UniqueConstraintViolationException) {
      throw new AppError('conflict', `an event rule named ${JSON.stringify(name)} already exists`, { errors: [{ path: '/name', message: 'already taken' }] });
    }
    throw err;
  };
}
