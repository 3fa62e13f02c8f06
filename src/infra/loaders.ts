import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from './actor';
import type { Services } from './services';

/**
 * The DataLoaders of one GraphQL operation by name. Empty here: each module declares its own by
 * declaration merging (`interface Loaders { userById: DataLoader<string, User> }`) and builds them in
 * its module file. Loaders are created per operation, each on first use, and never shared across
 * requests: they cache per caller.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface Loaders {}

/** What a loader factory receives. */
export interface LoaderContext {
  em: EntityManager;
  services: Services;
  /** The caller; undefined for an anonymous operation (whose resolvers need no loader). */
  actor?: Actor;
}

/** A module's per-operation loaders: a factory per name it declared in {@link Loaders}. */
export type LoaderFactories = { [K in keyof Loaders]?: (ctx: LoaderContext) => Loaders[K] };
