import { Migration } from '@mikro-orm/migrations';

/** The secret iCalendar feed of a calendar (one token per calendar). */
export class Migration20261202025324_calendar_feeds extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "calendar_feeds" ("calendar_id" uuid not null, "token" varchar(64) not null, "created_at" timestamptz not null, constraint "calendar_feeds_pkey" primary key ("calendar_id"));`);
    this.addSql(`alter table "calendar_feeds" add constraint "calendar_feeds_calendar_id_foreign" foreign key ("calendar_id") references "calendars" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "calendar_feeds" cascade;`);
  }

}
