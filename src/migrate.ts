import 'reflect-metadata';
import { loadConfig } from './config/config';
import { openDatabase } from './infra/database';
import { initOrm } from './infra/orm';
import { ENTITIES } from './modules';

/** `npm run migration:up` (or `node dist/src/migrate.js` in the image): applies pending migrations and exits. */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config);
  const orm = await initOrm(db.url, { entities: ENTITIES, migrate: true, exclusive: !db.embedded });
  const done = await orm.getMigrator().getExecutedMigrations();
  console.log(`database is at migration ${done[done.length - 1]?.name ?? '(none)'}`);
  await orm.close(true);
  await db.embedded?.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
