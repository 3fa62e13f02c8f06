import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EntityManager, Options } from '@mikro-orm/postgresql';
import type { TSchema } from '@sinclair/typebox';
import type { LoaderContext, LoaderFactories, Loaders } from './loaders';
import type { AppDeps, HookFactories, ServiceContext, ServiceFactories, Services } from './services';

/** Options every module's route plugin is registered with. */
export interface ModuleRouteOptions {
  deps: AppDeps;
}

/** A Fastify plugin of a module's REST routes (TypeBox schemas). */
export type ModuleRoutes = FastifyPluginAsyncTypebox<ModuleRouteOptions>;

/** A MikroORM entity class (as `Options['entities']` lists them). */
export type EntityClass = Exclude<NonNullable<Options['entities']>[number], string>;

/**
 * What one module contributes to the app. Each module declares one, in `<name>.module.ts`, and
 * src/modules.ts lists them; the app, the ORM, the GraphQL schema and the OpenAPI document are built
 * from that list, so infra and graphql import no module and adding one is a folder plus a line.
 */
export interface AppModule {
  /** Lower case, unique, e.g. `events`. */
  readonly name: string;
  /** The MikroORM entities it persists. */
  readonly entities?: readonly EntityClass[];
  /** TypeGraphQL resolver classes (`@Resolver`). */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeGraphQL's own type for resolver classes
  readonly resolvers?: readonly Function[];
  /** Shared TypeBox schemas with an `$id` (referenced as `Type.Ref('<id>')`, named in OpenAPI). */
  readonly httpSchemas?: readonly TSchema[];
  /** REST routes that need a caller: registered where a bearer token is required (401 otherwise). */
  readonly routes?: ModuleRoutes;
  /** REST routes open to anonymous callers (e.g. /auth/*). */
  readonly publicRoutes?: ModuleRoutes;
  /** Per-request services it declares in `Services`. */
  readonly services?: ServiceFactories;
  /** Its contributions to hooks other modules declare in `Hooks`. */
  readonly hooks?: HookFactories;
  /** Per-operation DataLoaders it declares in `Loaders`. */
  readonly loaders?: LoaderFactories;
}

/** The app's parts, gathered from its modules once at boot. */
export interface ComposedModules {
  entities: EntityClass[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- see AppModule.resolvers
  resolvers: Function[];
  httpSchemas: TSchema[];
  /** The services of one request over `em`, each built on first use. */
  createServices(em: EntityManager, deps: AppDeps): Services;
  /** The DataLoaders of one GraphQL operation, each built on first use. */
  createLoaders(ctx: LoaderContext): Loaders;
}

/**
 * Gathers what `modules` contribute, in list order.
 * @throws Error (at boot) when two modules share a name, or declare a service or a loader of the
 *   same name.
 */
export function composeModules(modules: readonly AppModule[]): ComposedModules {
  const names = new Set<string>();
  for (const m of modules) {
    if (names.has(m.name)) throw new Error(`module ${m.name} is listed twice`);
    names.add(m.name);
  }
  const serviceFactories = factoriesByName(modules, 'services');
  const loaderFactories = factoriesByName(modules, 'loaders');
  const hookFactories = new Map<string, ((ctx: ServiceContext) => unknown)[]>();
  for (const m of modules) {
    for (const [name, factory] of Object.entries(m.hooks ?? {}) as [string, (ctx: ServiceContext) => unknown][]) {
      hookFactories.set(name, [...(hookFactories.get(name) ?? []), factory]);
    }
  }
  const newServices = lazyRegistry<ServiceContext, Services>(serviceFactories);
  const newLoaders = lazyRegistry<LoaderContext, Loaders>(loaderFactories);
  return {
    entities: modules.flatMap((m) => m.entities ?? []),
    resolvers: modules.flatMap((m) => m.resolvers ?? []),
    httpSchemas: modules.flatMap((m) => m.httpSchemas ?? []),
    createServices(em, deps) {
      const ctx = {
        em,
        deps,
        hooks: (name: string) => (hookFactories.get(name) ?? []).map((f) => f(ctx)).filter((h) => h !== undefined),
      } as unknown as ServiceContext;
      ctx.services = newServices(ctx);
      return ctx.services;
    },
    createLoaders: (ctx) => newLoaders(ctx),
  };
}

type Factory<C> = (ctx: C) => unknown;

/** The factories of `part` by name. @throws Error when two modules declare the same name. */
function factoriesByName<C>(modules: readonly AppModule[], part: 'services' | 'loaders'): Map<string, Factory<C>> {
  const owners = new Map<string, string>();
  const factories = new Map<string, Factory<C>>();
  for (const m of modules) {
    for (const [name, factory] of Object.entries(m[part] ?? {}) as [string, Factory<C>][]) {
      const owner = owners.get(name);
      if (owner) throw new Error(`${part === 'services' ? 'service' : 'loader'} ${name} is declared by modules ${owner} and ${m.name}`);
      owners.set(name, m.name);
      factories.set(name, factory);
    }
  }
  return factories;
}

const CONTEXT = Symbol('context');

/**
 * A constructor of registries whose entries are built on first read, from `ctx`, then kept: the
 * getters live on one prototype built here once, so a request pays only for what it uses.
 */
function lazyRegistry<C, R>(factories: ReadonlyMap<string, Factory<C>>): (ctx: C) => R {
  const prototype = {};
  for (const [name, factory] of factories) {
    Object.defineProperty(prototype, name, {
      enumerable: true,
      get(this: { [CONTEXT]: C }) {
        const value = factory(this[CONTEXT]);
        Object.defineProperty(this, name, { value, enumerable: true });
        return value;
      },
    });
  }
  return (ctx) => Object.assign(Object.create(prototype), { [CONTEXT]: ctx }) as R;
}
