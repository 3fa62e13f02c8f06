import { Migration } from '@mikro-orm/migrations';

/** Incremental sync of /events reads the change record by user: a GIN index on its users. */
export class Migration20261202070911_entry_changes_users extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "entry_changes_users_idx" on "entry_changes" using gin ("user_ids" jsonb_path_ops);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "entry_changes_users_idx";`);
  }

}
