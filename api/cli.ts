import { Command, CommanderError } from 'commander';
import { registerBackup } from './cli/backup.ts';
import { CliError } from './cli/common.ts';
import { registerEval } from './cli/eval.ts';
import { registerExport } from './cli/export.ts';
import { registerImport } from './cli/import.ts';
import { registerServe } from './cli/serve.ts';
import { registerStats } from './cli/stats.ts';
import { registerTag } from './cli/tag.ts';
import { AppError } from './errors.ts';

/** The `framescope` command line. Each command is a thin call into a service. */
export function buildProgram(): Command {
  const program = new Command('framescope')
    .description('Framescope: comparative framing dashboard with model-assisted tagging')
    .showHelpAfterError(false)
    .exitOverride();
  registerImport(program);
  registerTag(program);
  registerExport(program);
  registerEval(program);
  registerStats(program);
  registerServe(program);
  registerBackup(program);
  return program;
}

/** Runs the CLI; failures print one line on stderr and exit non-zero. */
export async function runCli(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.configureOutput({ writeErr: (str) => process.stderr.write(str.split('\n')[0] + '\n') });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      process.exitCode = err.exitCode;
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`framescope: ${message.split('\n')[0]}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : err instanceof AppError ? 2 : 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runCli(process.argv.slice(2));
}
