import { Migration } from '@mikro-orm/migrations';

/** Extra occurrences of a series (RFC 5545 RDATE), next to its exception dates; the rule itself (every RRULE part) is already jsonb. */
export class Migration20261202063123_event_rdates extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "events" add column "rdates" jsonb not null default '[]';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "events" drop column "rdates";`);
  }

}
