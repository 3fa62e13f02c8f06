import { Migration } from '@mikro-orm/migrations';

/** RFC 5545 STATUS and TRANSP of entries, series and overrides; existing rows are confirmed and opaque. */
export class Migration20261202061256_event_status extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "events" add column "status" varchar(16) not null default 'confirmed', add column "transparency" varchar(16) not null default 'opaque';`);
    this.addSql(`alter table "events" add constraint "events_status_check" check ("status" in ('confirmed', 'tentative', 'cancelled'));`);
    this.addSql(`alter table "events" add constraint "events_transparency_check" check ("transparency" in ('opaque', 'transparent'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "events" drop constraint "events_status_check", drop constraint "events_transparency_check";`);
    this.addSql(`alter table "events" drop column "status", drop column "transparency";`);
  }

}
