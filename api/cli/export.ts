import type { Command } from 'commander';
import { CliError, withDbOption } from './common.ts';

export function registerExport(program: Command): void {
  withDbOption(program.command('export').description('export labelled datasets (issue 6)')).action(() => {
    throw new CliError('export: not built yet');
  });
}
