import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError, openForCommand, withDbOption, type DbOptions } from './common.ts';

export function registerBackup(program: Command): void {
  withDbOption(program.command('backup').description('write a consistent copy of the database, safe while the server runs'))
    .argument('<file>', 'where to write the copy (must not exist)')
    .action(async (file: string, opts: DbOptions) => {
      if (existsSync(file)) throw new CliError(`backup: ${file} already exists; choose a new file name`);
      const { db } = openForCommand(opts);
      // SQLite's online backup API copies a consistent snapshot even with concurrent writers.
      await db.$client.backup(file);
      console.error(`backup written to ${file}`);
    });
}
