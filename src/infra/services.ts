import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config/config';
import type { Cache } from './cache';
import type { CursorCodec } from './cursor';

/**
 * Process-wide collaborators, built once per app by src/app.ts (immutable; no per-user state). A
 * module that needs one of its own declares it by declaration merging, as Fastify's decorators do:
 *
 * ```ts
 * declare module '../../infra/services' { interface AppDeps { tokens: TokenService } }
 * ```
 */
export interface AppDeps {
  /** `jwtSecret` is resolved (see src/main.ts for the embedded default). */
  config: Readonly<Config> & { jwtSecret: string };
  cursors: CursorCodec;
  /** Read-through cache with tag revalidation (CACHE_URL). */
  cache: Cache;
}

/**
 * The services of one request by name, all over that request's EntityManager fork. Empty here: each
 * module declares its own by declaration merging (`interface Services { calendars: CalendarService }`)
 * and builds them in its module file (src/infra/module.ts). Another module reaches a component only
 * through its service here, never by importing and constructing it.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface Services {}

/**
 * Extension points: functions a module calls at a moment of its own (a user was created, a calendar
 * is about to be deleted) and other modules contribute to. The module that calls one declares its
 * signature here by declaration merging; the others contribute in their module file. So the arrows
 * keep pointing down: the users module does not know that calendars give every user a primary one.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface Hooks {}

/** What the factory of a service or a hook receives: the request's manager, services and hooks. */
export interface ServiceContext {
  em: EntityManager;
  deps: AppDeps;
  /** Every service of this request, each built on first use (so factories may use each other's). */
  services: Services;
  /** The contributions of every module to the hook `name`, in module order (src/modules.ts). */
  hooks<K extends keyof Hooks>(name: K): Hooks[K][];
}

/** A module's per-request services: a factory per name it declared in {@link Services}. */
export type ServiceFactories = { [K in keyof Services]?: (ctx: ServiceContext) => Services[K] };

/** A module's contributions to others' hooks; a factory may return undefined to contribute nothing. */
export type HookFactories = { [K in keyof Hooks]?: (ctx: ServiceContext) => Hooks[K] | undefined };
