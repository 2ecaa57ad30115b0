import { Command, CommanderError } from 'commander';
import { registerBackup } from './cli/backup.ts';
import { registerCodebook } from './cli/codebook.ts';
import { CliError } from './cli/common.ts';
import { registerEval } from './cli/eval.ts';
import { registerExport } from './cli/export.ts';
import { registerImport } from './cli/import.ts';
import { registerMigrate } from './cli/migrate.ts';
import { registerServe } from './cli/serve.ts';
import { registerStats } from './cli/stats.ts';
import { registerStories } from './cli/stories.ts';
import { registerTag } from './cli/tag.ts';
import { AppError } from './errors.ts';
import { redactText, secretsOf } from './providers/redact.ts';

/** The `framescope` command line. Each command is a thin call into a service. */
export function buildProgram(): Command {
  const program = new Command('framescope')
    .description('Framescope: comparative framing dashboard with model-assisted tagging')
    .showHelpAfterError(false)
    .addHelpText('after', '\nEvery command takes --db FILE, and import, tag, eval, stats and codebook take --json; both may come before or after the command name.\nFor scripts use `npx framescope ...` or `npm run -s cli -- ...` (plain `npm run` prints its banner on stdout).')
    .exitOverride();
  registerImport(program);
  registerTag(program);
  registerExport(program);
  registerEval(program);
  registerStats(program);
  registerServe(program);
  registerBackup(program);
  registerMigrate(program);
  registerCodebook(program);
  registerStories(program);
  return program;
}

/** Options every command takes that may come before the command name. */
const GLOBAL_FLAGS = new Set(['--json']);
const GLOBAL_VALUES = new Set(['--db']);

/**
 * Moves global options written before the command name (`framescope --db x.db import f`) to
 * the end of the arguments (before a `--`), where the (sub)command's own parser reads them, so
 * they work in either place.
 */
export function hoistGlobalOptions(argv: string[]): string[] {
  const moved: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    const name = a.split('=', 1)[0]!;
    if (GLOBAL_FLAGS.has(a)) moved.push(a), i++;
    else if (GLOBAL_VALUES.has(name) && a.includes('=')) moved.push(a), i++;
    else if (GLOBAL_VALUES.has(a) && i + 1 < argv.length) moved.push(a, argv[i + 1]!), (i += 2);
    else break;
  }
  if (moved.length === 0 || i >= argv.length) return argv;
  const rest = argv.slice(i);
  const end = rest.indexOf('--');
  return end === -1 ? [...rest, ...moved] : [...rest.slice(0, end), ...moved, ...rest.slice(end)];
}

/** Runs the CLI; failures print one line on stderr and exit non-zero. */
export async function runCli(argv: string[]): Promise<void> {
  const program = buildProgram();
  argv = hoistGlobalOptions(argv);
  program.configureOutput({ writeErr: (str) => process.stderr.write(str.split('\n')[0] + '\n') });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      process.exitCode = err.exitCode;
      return;
    }
    const message = redactText(err instanceof Error ? err.message : String(err), secretsOf(process.env.OPENAI_BASE_URL, process.env.OPENAI_API_KEY));
    process.stderr.write(`framescope: ${message.split('\n')[0]}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : err instanceof AppError ? 2 : 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runCli(process.argv.slice(2));
}
