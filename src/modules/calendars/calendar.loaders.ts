import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { byKeys } from '../../infra/batch';
import { Calendar } from './calendar.entity';

/** Calendars by id, batched per tick. Visibility is the caller's job. Create one per request. */
export function calendarByIdLoader(em: EntityManager): DataLoader<string, Calendar> {
  return new DataLoader(async (ids) => byKeys(ids, await em.find(Calendar, { id: { $in: [...ids] } }), (c) => c.id, 'calendar'));
}
