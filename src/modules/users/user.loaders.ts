import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { byKeys } from '../../infra/batch';
import { User } from './user.entity';

/** Users by id, one `select … where id in (…)` per tick. Create one per request. */
export function userByIdLoader(em: EntityManager): DataLoader<string, User> {
  return new DataLoader(async (ids) => byKeys(ids, await em.find(User, { id: { $in: [...ids] } }), (u) => u.id, 'user'));
}
