import { setPriority } from 'node:os';
import type { Command } from 'commander';
import { backupDatabase, partialPathFor } from '../backup/backup.ts';
import { restoreDatabase } from '../backup/restore.ts';
import { parseDatabaseTarget } from '../../db/dialect.ts';
import { loadConfig } from '../config.ts';
import { CliError, openForCommand, printJson, withDbOption, type DbOptions } from './common.ts';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * `backup` and `restore` copy and replace an SQLite file; a PostgreSQL database is backed up by
 * its server's tools, which do it consistently while the app runs.
 */
function refuseServerDatabase(command: 'backup' | 'restore', dbPath: string): void {
  const target = parseDatabaseTarget(dbPath);
  if (target.dialect !== 'postgres') return;
  const how = command === 'backup' ? 'pg_dump --format=custom --file=FILE' : 'pg_restore --clean --if-exists --dbname=URL FILE';
  throw new CliError(`${command} works on an SQLite file, and ${target.display} is a PostgreSQL database: ${command === 'backup' ? 'back it up' : 'restore it'} with \`${how}\` or your PostgreSQL service's managed backups (point-in-time recovery)`);
}

/** `backup FILE` and `restore FILE`. */
export function registerBackup(program: Command): void {
  withDbOption(program.command('backup').description('write a consistent, verified copy of the database, safe while the server runs and writes'))
    .argument('<file>', 'where to write the copy (must not exist)')
    .option('--json', 'print one JSON object')
    .action((file: string, opts: DbOptions & { json?: boolean }) => {
      // A backup beside a live server should not take the CPU from it: run at a lower priority.
      try {
        setPriority(10);
      } catch {
        // not permitted here: normal priority
      }
      refuseServerDatabase('backup', loadConfig(process.env, opts.db ? { dbPath: opts.db } : {}).dbPath);
      const { db } = openForCommand(opts);
      try {
        if (!opts.json) process.stderr.write(`backing up ${db.$client.name} to ${file} (written as ${partialPathFor(file)} until verified)…\n`);
        const result = backupDatabase(db, file);
        if (result.removedStale && !opts.json) process.stderr.write(`removed ${partialPathFor(file)}, left by a backup that did not finish\n`);
        if (opts.json) return printJson(result);
        process.stderr.write(`backup written to ${file}: ${mb(result.bytes)}, ${result.reviews} reviews, integrity check ok, ${(result.ms / 1000).toFixed(1)} s\n`);
      } finally {
        db.$client.close();
      }
    });

  withDbOption(
    program
      .command('restore')
      .description('replace the database with a backup; refuses while a server or another process uses it (the current database is kept beside it)')
      .argument('<backup>', 'a file written by `backup`')
      .option('--stop-server', 'stop the server that holds the database (SIGTERM) and wait for it, instead of refusing')
      .option('--discard-current', 'do not keep a copy of the database being replaced')
      .option('--json', 'print one JSON object'),
  ).action(async (backup: string, opts: DbOptions & { stopServer?: boolean; discardCurrent?: boolean; json?: boolean }) => {
    const config = loadConfig(process.env, opts.db ? { dbPath: opts.db } : {});
    refuseServerDatabase('restore', config.dbPath);
    const result = await restoreDatabase(backup, config.dbPath, { stopServer: opts.stopServer, discardCurrent: opts.discardCurrent });
    if (opts.json) return printJson(result);
    if (result.stoppedServer) process.stderr.write(`stopped the server (process ${result.stoppedServer.pid}, ${result.stoppedServer.url}); start it again with npm start\n`);
    if (result.previous) process.stderr.write(`kept the replaced database as ${result.previous}\n`);
    process.stderr.write(`restored ${result.restored} from ${backup}: ${result.stats.documents} documents, ${result.stats.reviews} reviews, integrity check ok\n`);
  });
}
