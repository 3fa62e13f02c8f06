import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { migrationsList } from '../../migrations';
import type { EntityClass } from './module';

/**
 * MikroORM options for one PostgreSQL URL. Entities and migrations are listed in code (no folder
 * discovery), so the same config works compiled and under ts-jest.
 *
 * @param clientUrl - `postgresql://user@host:port/db`
 * @param entities - every persisted entity: the modules' (src/modules.ts `ENTITIES`).
 * @param overrides - merged last (tests set `pool`, loggers, …)
 */
export function ormOptions(clientUrl: string, entities: readonly EntityClass[], overrides: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl,
    entities: [...entities],
    // One fork per request (REST hook and GraphQL context); using the global manager is a bug.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    // No on-disk metadata cache: entities are listed in code, and a cache built in Jest's globalSetup
    // realm breaks the test realm (mikro-orm#3783).
    metadataCache: { enabled: false },
    extensions: [Migrator],
    migrations: {
      migrationsList,
      path: 'migrations',
      pathTs: 'migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
      emit: 'ts',
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name ? `_${name}` : ''}`,
    },
    pool: { min: 0, max: 10 },
    ...overrides,
  });
}

/** Key of the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK = 724242;

/**
 * Connects and, when asked, applies pending migrations.
 * @param opts.entities - as {@link ormOptions}.
 * @param opts.migrate - apply pending migrations.
 * @param opts.exclusive - default true: hold a PostgreSQL advisory lock while migrating, so replicas
 *   (or test workers) starting together take turns. Off for the embedded PGlite, where a transaction
 *   held on one connection would block the migrator's.
 * @throws the driver's connection or migration error; the ORM is closed before rethrowing.
 */
export async function initOrm(clientUrl: string, opts: { entities: readonly EntityClass[]; migrate: boolean; exclusive?: boolean; overrides?: Partial<Options> }): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(clientUrl, opts.entities, opts.overrides));
  try {
    if (opts.migrate && opts.exclusive === false) await orm.getMigrator().up();
    else if (opts.migrate) {
      await orm.em.getConnection().getKnex().transaction(async (trx) => {
        await trx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
        await orm.getMigrator().up();
      });
    }
    return orm;
  } catch (err) {
    await orm.close(true);
    throw err;
  }
}
