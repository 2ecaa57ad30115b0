import type { Command } from 'commander';
import { getStats } from '../stats/service.ts';
import { openForCommand, printJson, withDbOption, type DbOptions } from './common.ts';

export function registerStats(program: Command): void {
  withDbOption(program.command('stats').description('count sources, documents, passages, suggestions and reviews'))
    .option('--json', 'print one JSON object')
    .action((opts: DbOptions & { json?: boolean }) => {
      const { db } = openForCommand(opts);
      const stats = getStats(db);
      if (opts.json) return printJson(stats);
      const width = Math.max(...Object.keys(stats).map((k) => k.length));
      for (const [key, value] of Object.entries(stats)) console.log(`${key.padEnd(width)}  ${value}`);
    });
}
