import type { Command } from 'commander';
import { CliError, withDbOption } from './common.ts';

export function registerTag(program: Command): void {
  withDbOption(program.command('tag').description('ask a provider for suggestions (issue 3)')).action(() => {
    throw new CliError('tag: not built yet');
  });
}
