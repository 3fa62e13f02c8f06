import { Migration } from '@mikro-orm/migrations';

export class Migration20261122044854_milestones extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "event_rules" ("id" uuid not null, "name" varchar(200) not null, "event_type" varchar(64) not null, "offset_days" int not null, "repeat" text check ("repeat" in ('none', 'yearly')) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "event_rules_pkey" primary key ("id"), constraint event_rules_offset_days_range check ("offset_days" between -3650 and 3650));`);
    this.addSql(`alter table "event_rules" add constraint "event_rules_name_unique" unique ("name");`);

    this.addSql(`create table "subscriptions" ("id" uuid not null, "user_id" uuid not null, "offer" varchar(200) not null, "starts_at" timestamptz not null, "ends_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "subscriptions_pkey" primary key ("id"), constraint subscriptions_ends_after_starts check ("ends_at" is null or "ends_at" > "starts_at"));`);
    this.addSql(`create index "subscriptions_user_starts_idx" on "subscriptions" ("user_id", "starts_at");`);

    this.addSql(`create table "user_event_rules" ("user_id" uuid not null, "rule_id" uuid not null, "created_at" timestamptz not null, constraint "user_event_rules_pkey" primary key ("user_id", "rule_id"));`);
    this.addSql(`create index "user_event_rules_rule_id_idx" on "user_event_rules" ("rule_id");`);

    this.addSql(`alter table "subscriptions" add constraint "subscriptions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "user_event_rules" add constraint "user_event_rules_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "user_event_rules" add constraint "user_event_rules_rule_id_foreign" foreign key ("rule_id") references "event_rules" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "user_event_rules" drop constraint "user_event_rules_rule_id_foreign";`);

    this.addSql(`drop table if exists "event_rules" cascade;`);

    this.addSql(`drop table if exists "subscriptions" cascade;`);

    this.addSql(`drop table if exists "user_event_rules" cascade;`);
  }

}
