import { Migration } from '@mikro-orm/migrations';

/** Webhook endpoints and their delivery attempts (the queue itself lives in pg-boss's own schema). */
export class Migration20261202035634_webhooks extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "webhook_endpoints" ("id" uuid not null, "owner_id" uuid not null, "url" text not null, "events" jsonb not null, "secret" text not null, "created_at" timestamptz not null, "disabled_at" timestamptz null, "disabled_reason" text null, constraint "webhook_endpoints_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_endpoints_owner_id_idx" on "webhook_endpoints" ("owner_id");`);

    this.addSql(`create table "webhook_attempts" ("id" uuid not null, "endpoint_id" uuid not null, "message_id" varchar(64) not null, "event_type" varchar(64) not null, "attempt" int not null, "status" varchar(16) not null, "response_status" int null, "latency_ms" int not null, "error" text null, "next_attempt_at" timestamptz null, "created_at" timestamptz not null, constraint "webhook_attempts_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_attempts_endpoint_idx" on "webhook_attempts" ("endpoint_id", "created_at", "id");`);

    this.addSql(`alter table "webhook_endpoints" add constraint "webhook_endpoints_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "webhook_attempts" add constraint "webhook_attempts_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoints" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "webhook_attempts" cascade;`);
    this.addSql(`drop table if exists "webhook_endpoints" cascade;`);
  }

}
