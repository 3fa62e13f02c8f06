import { Migration } from '@mikro-orm/migrations';

/** Per-calendar setting: CalDAV writes and imports may overlap other entries (default off). */
export class Migration20261202030904_calendar_allow_overlaps extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "calendars" add column "allow_overlaps" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "calendars" drop column "allow_overlaps";`);
  }

}
