import type { Command } from 'commander';
import { applyMigrations, MIGRATIONS_FOLDER, openDb, readOnlyReason } from '../../db/client.ts';
import { committedMigrations, pendingMigrations } from '../../db/migrate.ts';
import { loadConfig } from '../config.ts';
import { CliError, printJson, withDbOption, type DbOptions } from './common.ts';

/** `migrate`: apply the committed migrations the database lacks and say which. */
export function registerMigrate(program: Command): void {
  withDbOption(program.command('migrate').description('apply the committed schema migrations the database has not applied yet, and report them'))
    .option('--json', 'print one JSON object')
    .action((opts: DbOptions & { json?: boolean }) => {
      const config = loadConfig(process.env, opts.db ? { dbPath: opts.db } : {});
      const db = openDb(config.dbPath, { migrate: false });
      try {
        const pending = pendingMigrations(db.$client, MIGRATIONS_FOLDER);
        const readOnly = pending.length > 0 ? readOnlyReason(db) : null;
        if (readOnly) throw new CliError(`migrate: ${config.dbPath} needs ${pending.length} migration(s) but is read-only (${readOnly})`);
        const applied = applyMigrations(db);
        const total = committedMigrations(MIGRATIONS_FOLDER).length;
        if (opts.json) return printJson({ database: config.dbPath, applied: applied.map((m) => m.tag), total });
        if (applied.length === 0) process.stderr.write(`${config.dbPath} is up to date (${total} migrations applied)\n`);
        else process.stderr.write(`applied ${applied.length} migration${applied.length === 1 ? '' : 's'} to ${config.dbPath}: ${applied.map((m) => m.tag).join(', ')}\n`);
      } finally {
        db.$client.close();
      }
    });
}
