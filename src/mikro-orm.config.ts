import { loadConfig } from './config/config';
import { ormOptions } from './infra/orm';
import { ENTITIES } from './modules';

/** Used by the MikroORM CLI (`npm run migration:create`) only; needs DATABASE_URL. */
const url = loadConfig().databaseUrl;
if (!url) throw new Error('The MikroORM CLI needs DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)');
export default ormOptions(url, ENTITIES);
