import type { Command } from 'commander';
import { CliError, withDbOption } from './common.ts';

export function registerImport(program: Command): void {
  withDbOption(program.command('import').description('import files into the corpus (issue 2)')).action(() => {
    throw new CliError('import: not built yet');
  });
}
