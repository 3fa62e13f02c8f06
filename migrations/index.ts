import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122043100_foundation } from './Migration20261122043100_foundation';
import { Migration20261122044854_milestones } from './Migration20261122044854_milestones';
import { Migration20261122045227_participants } from './Migration20261122045227_participants';
import { Migration20261122050157_recurrence } from './Migration20261122050157_recurrence';
import { Migration20261202022142_caldav } from './Migration20261202022142_caldav';
import { Migration20261202025324_calendar_feeds } from './Migration20261202025324_calendar_feeds';
import { Migration20261202030904_calendar_allow_overlaps } from './Migration20261202030904_calendar_allow_overlaps';
import { Migration20261202035634_webhooks } from './Migration20261202035634_webhooks';
import { Migration20261202061256_event_status } from './Migration20261202061256_event_status';
import { Migration20261202061801_entry_changes } from './Migration20261202061801_entry_changes';
import { Migration20261202061904_working_hours } from './Migration20261202061904_working_hours';
import { Migration20261202063123_event_rdates } from './Migration20261202063123_event_rdates';
import { Migration20261202070911_entry_changes_users } from './Migration20261202070911_entry_changes_users';
import { Migration20261202071513_all_day } from './Migration20261202071513_all_day';
import { Migration20261202081500_event_sequence } from './Migration20261202081500_event_sequence';

/** Migrations in the order they apply. `npm run migration:create` writes a new file: add it here. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261122043100_foundation', class: Migration20261122043100_foundation },
  { name: 'Migration20261122044854_milestones', class: Migration20261122044854_milestones },
  { name: 'Migration20261122045227_participants', class: Migration20261122045227_participants },
  { name: 'Migration20261122050157_recurrence', class: Migration20261122050157_recurrence },
  { name: 'Migration20261202022142_caldav', class: Migration20261202022142_caldav },
  { name: 'Migration20261202025324_calendar_feeds', class: Migration20261202025324_calendar_feeds },
  { name: 'Migration20261202030904_calendar_allow_overlaps', class: Migration20261202030904_calendar_allow_overlaps },
  { name: 'Migration20261202035634_webhooks', class: Migration20261202035634_webhooks },
  { name: 'Migration20261202061256_event_status', class: Migration20261202061256_event_status },
  { name: 'Migration20261202061801_entry_changes', class: Migration20261202061801_entry_changes },
  { name: 'Migration20261202061904_working_hours', class: Migration20261202061904_working_hours },
  { name: 'Migration20261202063123_event_rdates', class: Migration20261202063123_event_rdates },
  { name: 'Migration20261202070911_entry_changes_users', class: Migration20261202070911_entry_changes_users },
  { name: 'Migration20261202071513_all_day', class: Migration20261202071513_all_day },
  { name: 'Migration20261202081500_event_sequence', class: Migration20261202081500_event_sequence },
];
