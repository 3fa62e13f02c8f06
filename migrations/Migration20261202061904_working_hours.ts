import { Migration } from '@mikro-orm/migrations';

/** Working hours per user (meeting suggestions); a user without a row has Monday–Friday 09:00–17:00. */
export class Migration20261202061904_working_hours extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "working_hours" ("user_id" uuid not null, "days_of_week" jsonb not null, "start_time" varchar(5) not null, "end_time" varchar(5) not null, "updated_at" timestamptz not null, constraint "working_hours_pkey" primary key ("user_id"));`);
    this.addSql(`alter table "working_hours" add constraint "working_hours_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "working_hours" cascade;`);
  }

}
