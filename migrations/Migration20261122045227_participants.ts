import { Migration } from '@mikro-orm/migrations';

/** Participants (one row per event and user; the host's row has is_host), backfilled for existing events. */
export class Migration20261122045227_participants extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "participants" ("event_id" uuid not null, "user_id" uuid not null, "role" text check ("role" in ('required', 'optional')) not null, "response" text check ("response" in ('needs_action', 'accepted', 'declined', 'tentative')) not null default 'needs_action', "is_host" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "participants_pkey" primary key ("event_id", "user_id"));`);
    this.addSql(`create index "participants_user_idx" on "participants" ("user_id", "event_id");`);
    this.addSql(`create unique index "participants_one_host_per_event" on "participants" ("event_id") where "is_host";`);

    this.addSql(`alter table "participants" add constraint "participants_event_id_foreign" foreign key ("event_id") references "events" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "participants" add constraint "participants_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`insert into "participants" ("event_id", "user_id", "role", "response", "is_host", "created_at", "updated_at")
      select "id", "host_id", 'required', 'accepted', true, "created_at", "updated_at" from "events";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "participants" cascade;`);
  }

}
