import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { applyMigrations, committedMigrationsFor, openDb, pendingMigrationsFor, readOnlyReason } from '../../db/client.ts';
import { parseDatabaseTarget } from '../../db/dialect.ts';
import { openPg } from '../../db/pg/client.ts';
import { copySqliteToPg, CopyRefusedError, type CopyProgress } from '../../db/pg/copy.ts';
import { databaseExists, describeTarget, isFileDatabase } from '../../db/target.ts';
import { loadConfig } from '../config.ts';
import { CliError, printJson, withDbOption, type DbOptions } from './common.ts';

interface MigrateOptions extends DbOptions {
  json?: boolean;
  to?: string;
}

/** `migrate`: apply the committed migrations the database lacks and say which; `--to URL`: copy it into PostgreSQL. */
export function registerMigrate(program: Command): void {
  withDbOption(program.command('migrate').description('apply the committed schema migrations the database has not applied yet, and report them; with --to, copy the database into an empty PostgreSQL database'))
    .option('--to <url>', 'copy this SQLite database into an empty PostgreSQL database (postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE): applies the PostgreSQL migrations, copies every table in one transaction, resets the id sequences')
    .option('--json', 'print one JSON object')
    .action(async (opts: MigrateOptions) => {
      if (opts.to !== undefined) return migrateTo(opts, opts.to);
      const config = loadConfig(process.env, opts.db ? { dbPath: opts.db } : {});
      const db = openDb(config.dbPath, { migrate: false });
      const database = describeTarget(config.dbPath);
      try {
        const pending = pendingMigrationsFor(db);
        const readOnly = pending.length > 0 ? readOnlyReason(db) : null;
        if (readOnly) throw new CliError(`migrate: ${database} needs ${pending.length} migration(s) but is read-only (${readOnly})`);
        const applied = applyMigrations(db);
        const total = committedMigrationsFor(db).length;
        if (opts.json) return printJson({ database, applied: applied.map((m) => m.tag), total });
        if (applied.length === 0) process.stderr.write(`${database} is up to date (${total} migrations applied)\n`);
        else process.stderr.write(`applied ${applied.length} migration${applied.length === 1 ? '' : 's'} to ${database}: ${applied.map((m) => m.tag).join(', ')}\n`);
      } finally {
        db.$client.close();
      }
    });
}

async function migrateTo(opts: MigrateOptions, to: string): Promise<void> {
  const target = parseDatabaseTarget(to);
  if (target.dialect !== 'postgres') throw new CliError(`migrate --to takes a PostgreSQL URL (postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE), not ${to}`);
  // The source is SQLite by definition here: a DATABASE_URL naming the target is not a source.
  const { DATABASE_URL: _target, ...env } = process.env;
  const config = loadConfig(env, opts.db ? { dbPath: opts.db } : {});
  if (!isFileDatabase(config.dbPath) || !databaseExists(config.dbPath)) throw new CliError(`migrate --to: there is no SQLite database at ${describeTarget(config.dbPath)} to copy (give it with --db FILE)`);
  const source = openDb(config.dbPath);
  const pg = openPg(target.url, { max: 2, applicationName: 'framescope migrate --to' });
  const bar = process.stderr.isTTY && !opts.json ? new cliProgress.SingleBar({ format: 'copy [{bar}] {value}/{total} rows | {table} | {eta_formatted} left', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : null;
  let started = false;
  const onProgress = (p: CopyProgress) => {
    if (!bar) return;
    if (!started) bar.start(p.total, 0, { table: p.table });
    started = true;
    bar.update(p.done, { table: p.table });
  };
  try {
    const report = await copySqliteToPg(source.$client, pg, { onProgress });
    bar?.stop();
    if (opts.json) return printJson({ database: config.dbPath, to: target.display, migrations: report.migrations.map((m) => m.tag), tables: report.tables, rows: report.rows });
    process.stderr.write(`copied ${report.rows} rows in ${report.tables.length} tables from ${config.dbPath} to ${target.display}\n`);
  } catch (err) {
    bar?.stop();
    if (err instanceof CopyRefusedError) throw new CliError(`migrate --to: ${err.message}`);
    throw new CliError(`migrate --to ${target.display}: ${err instanceof Error ? err.message : String(err)}; no rows were copied (the copy is one transaction)`);
  } finally {
    source.$client.close();
    await pg.$client.end();
  }
}
