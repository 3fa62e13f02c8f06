import { Migration } from '@mikro-orm/migrations';

/** Series (recurrence, series_end, exdates) and overrides of occurrences (series_id, original_start). */
export class Migration20261122050157_recurrence extends Migration {

  override async up(): Promise<void> {


    this.addSql(`alter table "events" add column "recurrence" jsonb null, add column "series_end" timestamptz null, add column "exdates" jsonb not null default '[]', add column "series_id" uuid null, add column "original_start" timestamptz null;`);
    this.addSql(`alter table "events" add constraint "events_series_id_foreign" foreign key ("series_id") references "events" ("id") on update cascade on delete cascade;`);
    this.addSql(`create index "events_series_id_idx" on "events" ("series_id");`);
    this.addSql(`create index "events_series_idx" on "events" ("calendar_id", "start_at", "series_end") where "recurrence" is not null;`);
    this.addSql(`alter table "events" add constraint "events_override_unique" unique ("series_id", "original_start");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "events" drop constraint "events_series_id_foreign";`);



    this.addSql(`drop index "events_series_id_idx";`);
    this.addSql(`drop index "events_series_idx";`);
    this.addSql(`alter table "events" drop constraint "events_override_unique";`);
    this.addSql(`alter table "events" drop column "recurrence", drop column "series_end", drop column "exdates", drop column "series_id", drop column "original_start";`);
  }

}
