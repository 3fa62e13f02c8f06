import { Migration } from '@mikro-orm/migrations';

/** App passwords (HTTP Basic for CalDAV), the iCalendar identity of entries (UID, resource name, kept properties) and sync-token states. */
export class Migration20261202022142_caldav extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "calendar_objects" ("event_id" uuid not null, "calendar_id" uuid not null, "uid" varchar(255) not null, "name" varchar(255) not null, "preserved" jsonb null, constraint "calendar_objects_pkey" primary key ("event_id"));`);
    this.addSql(`alter table "calendar_objects" add constraint "calendar_objects_name_unique" unique ("calendar_id", "name");`);
    this.addSql(`alter table "calendar_objects" add constraint "calendar_objects_uid_unique" unique ("calendar_id", "uid");`);
    this.addSql(`alter table "calendar_objects" add constraint "calendar_objects_calendar_id_foreign" foreign key ("calendar_id") references "calendars" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "calendar_sync_states" ("calendar_id" uuid not null, "token" varchar(64) not null, "versions" jsonb not null, "created_at" timestamptz not null, constraint "calendar_sync_states_pkey" primary key ("calendar_id", "token"));`);
    this.addSql(`create index "calendar_sync_states_created_idx" on "calendar_sync_states" ("calendar_id", "created_at");`);
    this.addSql(`alter table "calendar_sync_states" add constraint "calendar_sync_states_calendar_id_foreign" foreign key ("calendar_id") references "calendars" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "app_passwords" ("id" uuid not null, "user_id" uuid not null, "name" varchar(100) not null, "lookup" varchar(8) not null, "hash" text not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, constraint "app_passwords_pkey" primary key ("id"));`);
    this.addSql(`create index "app_passwords_user_lookup_idx" on "app_passwords" ("user_id", "lookup");`);
    this.addSql(`alter table "app_passwords" add constraint "app_passwords_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "calendar_objects" cascade;`);
    this.addSql(`drop table if exists "calendar_sync_states" cascade;`);
    this.addSql(`drop table if exists "app_passwords" cascade;`);
  }

}
