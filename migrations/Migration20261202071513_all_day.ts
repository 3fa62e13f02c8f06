import { Migration } from '@mikro-orm/migrations';

/**
 * All-day entries (RFC 5545 DTSTART;VALUE=DATE), which may span several days: a flag, and a partial
 * index so that range queries reach back further for them only.
 */
export class Migration20261202071513_all_day extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "events" add column "all_day" boolean not null default false;`);
    this.addSql(`create index "events_all_day_idx" on "events" ("calendar_id", "start_at") where "all_day";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "events_all_day_idx";`);
    this.addSql(`alter table "events" drop column "all_day";`);
  }

}
