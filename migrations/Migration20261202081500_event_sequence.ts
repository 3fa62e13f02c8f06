import { Migration } from '@mikro-orm/migrations';

/**
 * RFC 5545 SEQUENCE (§3.8.7.4) of every entry, series and override: starts at 0 and grows by one on
 * each change of the properties the RFC names (DTSTART, DTEND, RRULE, RDATE, EXDATE, STATUS), here
 * also of the zone and of the all-day flag, which move the local times. A trigger, so that every
 * write path (REST, GraphQL, CalDAV, import, native updates of series edits) counts alike.
 */
export class Migration20261202081500_event_sequence extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "events" add column "sequence" integer not null default 0;`);
    this.addSql(`create function "events_next_sequence"() returns trigger language plpgsql as $$
begin
  if (new.start_at, new.end_at, new.time_zone, new.all_day, new.recurrence, new.rdates, new.exdates, new.status)
     is distinct from (old.start_at, old.end_at, old.time_zone, old.all_day, old.recurrence, old.rdates, old.exdates, old.status) then
    new.sequence := old.sequence + 1;
  end if;
  return new;
end $$;`);
    this.addSql(`create trigger "events_sequence" before update on "events" for each row execute function "events_next_sequence"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "events_sequence" on "events";`);
    this.addSql(`drop function "events_next_sequence"();`);
    this.addSql(`alter table "events" drop column "sequence";`);
  }

}
