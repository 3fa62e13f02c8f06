import { Migration } from '@mikro-orm/migrations';

/** Users, calendars (one primary per owner) and single events with their range index. */

export class Migration20261122043100_foundation extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "users" ("id" uuid not null, "name" varchar(200) not null, "email" varchar(320) not null, "time_zone" varchar(64) not null, "signed_up_at" timestamptz not null, "role" text check ("role" in ('user', 'admin')) not null, "password_hash" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "users_pkey" primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`create index "users_updated_at_idx" on "users" ("updated_at");`);

    this.addSql(`create table "calendars" ("id" uuid not null, "owner_id" uuid not null, "name" varchar(200) not null, "description" text null, "time_zone" varchar(64) not null, "is_primary" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "calendars_pkey" primary key ("id"));`);
    this.addSql(`create index "calendars_owner_id_idx" on "calendars" ("owner_id");`);
    this.addSql(`create unique index "calendars_one_primary_per_owner" on "calendars" ("owner_id") where "is_primary";`);

    this.addSql(`create table "events" ("id" uuid not null, "calendar_id" uuid not null, "title" varchar(200) not null, "description" text null, "location" varchar(500) null, "start_at" timestamptz not null, "end_at" timestamptz not null, "time_zone" varchar(64) not null, "host_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "events_pkey" primary key ("id"));`);
    this.addSql(`alter table "events" add constraint "events_end_after_start" check ("end_at" > "start_at");`);
    this.addSql(`create index "events_host_range_idx" on "events" ("host_id", "start_at");`);
    this.addSql(`create index "events_calendar_range_idx" on "events" ("calendar_id", "start_at", "end_at");`);

    this.addSql(`alter table "calendars" add constraint "calendars_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "events" add constraint "events_calendar_id_foreign" foreign key ("calendar_id") references "calendars" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "events" add constraint "events_host_id_foreign" foreign key ("host_id") references "users" ("id") on update cascade on delete cascade;`);
  }

}
