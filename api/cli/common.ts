import type { Command } from 'commander';
import type { Db } from '../../db/client.ts';
import { loadConfig, type Config } from '../config.ts';
import { openAppDb } from '../db.ts';

export interface DbOptions {
  db?: string;
}

/** Adds the `--db` option every command takes. */
export function withDbOption(cmd: Command): Command {
  return cmd.option('--db <path>', 'database: an SQLite file or a postgres:// URL (default: $FRAMESCOPE_DB, else a postgres:// $DATABASE_URL, else ./data/framescope.db)');
}

/** Config and an open, migrated, seeded database for a command. */
export function openForCommand(opts: DbOptions): { config: Config; db: Db } {
  const config = loadConfig(process.env, opts.db ? { dbPath: opts.db } : {});
  return { config, db: openAppDb(config.dbPath) };
}

/** Prints exactly one JSON object on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A failure the CLI reports as one line on stderr with a non-zero exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
