import { Migration } from '@mikro-orm/migrations';

/**
 * The change record of incremental sync (entry_changes) replaces the interim per-token digests of
 * CalDAV (calendar_sync_states): CalDAV clients holding an old token get valid-sync-token once and
 * read the collection again. Every existing top-level entry gets a first record (its current state),
 * so a later change of it can tell which items a client may hold.
 */
export class Migration20261202061801_entry_changes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "entry_changes" ("id" bigserial primary key, "txid" bigint not null default pg_current_xact_id()::text::bigint, "calendar_id" uuid not null, "entry_id" uuid not null, "state" jsonb null, "user_ids" jsonb not null, "recorded_at" timestamptz not null default now());`);
    this.addSql(`create index "entry_changes_calendar_txid_idx" on "entry_changes" ("calendar_id", "txid");`);
    this.addSql(`create index "entry_changes_entry_txid_idx" on "entry_changes" ("entry_id", "txid");`);
    this.addSql(`create index "entry_changes_deleted_idx" on "entry_changes" ("calendar_id", "recorded_at") where "state" is null;`);
    this.addSql(`alter table "entry_changes" add constraint "entry_changes_calendar_id_foreign" foreign key ("calendar_id") references "calendars" ("id") on update cascade on delete cascade;`);
    this.addSql(`insert into "entry_changes" ("calendar_id", "entry_id", "state", "user_ids")
      select t."calendar_id", t."id",
        jsonb_build_object('rows', (select jsonb_agg(jsonb_build_object(
          'id', r."id", 'start', to_char(r."start_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'end', to_char(r."end_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'timeZone', r."time_zone", 'recurrence', r."recurrence", 'exdates', r."exdates", 'seriesId', r."series_id",
          'originalStart', to_char(r."original_start" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
          from "events" r where r."id" = t."id" or r."series_id" = t."id")),
        coalesce((select jsonb_agg(p."user_id") from "participants" p where p."event_id" = t."id"), '[]'::jsonb)
      from "events" t where t."series_id" is null;`);
    this.addSql(`drop table if exists "calendar_sync_states" cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "entry_changes" cascade;`);
    this.addSql(`create table "calendar_sync_states" ("calendar_id" uuid not null, "token" varchar(64) not null, "versions" jsonb not null, "created_at" timestamptz not null, constraint "calendar_sync_states_pkey" primary key ("calendar_id", "token"));`);
    this.addSql(`create index "calendar_sync_states_created_idx" on "calendar_sync_states" ("calendar_id", "created_at");`);
    this.addSql(`alter table "calendar_sync_states" add constraint "calendar_sync_states_calendar_id_foreign" foreign key ("calendar_id") references "calendars" ("id") on update cascade on delete cascade;`);
  }

}
