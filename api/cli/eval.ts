import type { Command } from 'commander';
import { CliError, withDbOption } from './common.ts';

export function registerEval(program: Command): void {
  withDbOption(program.command('eval').description('evaluate a provider against gold labels (issue 7)')).action(() => {
    throw new CliError('eval: not built yet');
  });
}
