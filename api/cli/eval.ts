import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { Db } from '../../db/client.ts';
import { databaseExists, describeTarget } from '../../db/target.ts';
import { loadConfig } from '../config.ts';
import { openAppDb } from '../db.ts';
import { compareRuns, type ComparisonTarget } from '../evals/comparison.ts';
import { renderComparisonReport } from '../evals/comparisonText.ts';
import { compareResults, renderComparisonMarkdown } from '../evals/report.ts';
import { readResultFile, resultJson } from '../evals/results.ts';
import { DEFAULT_GOLD_FILE, evaluate } from '../evals/service.ts';
import { CliError, printJson, withDbOption } from './common.ts';

interface EvalCliOptions {
  db?: string;
  provider?: string;
  model?: string;
  prompt?: string;
  gold: string;
  corpus?: string;
  codebook?: string;
  repeats: string;
  outletBias?: boolean;
  folds: string;
  group: string;
  evaluationOnly?: boolean;
  seed: string;
  bootstrap: string;
  concurrency: string;
  record?: string;
  replay?: string;
  resultsDir?: string;
  name?: string;
  compare?: string[];
  json?: boolean;
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

/** `--compare 3,4` (runs) or `--compare 2` (a comparison); anything else names result files. */
function runTarget(args: string[]): ComparisonTarget | null {
  if (args.length !== 1) return null;
  const arg = args[0]!;
  if (/^\d+$/.test(arg)) return { comparisonId: Number(arg) };
  if (/^\d+(,\d+)+$/.test(arg)) return { runIds: arg.split(',').map(Number) };
  return null;
}

/** `eval`: scores a provider against gold labels, or compares stored results (`--compare a.json b.json`). */
export function registerEval(program: Command): void {
  withDbOption(
    program
      .command('eval')
      .description('evaluate a provider against gold labels through the app\'s tagging path; results go to evals/results/<name>.json and .md')
      .option('--provider <name>', 'local | openai (default: openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else local)')
      .option('--model <model>', 'model name (openai provider; default FRAMESCOPE_MODEL or gpt-4o-mini)')
      .option('--prompt <version>', 'prompt version for both levels (v1), or prompt ids (passage-v1,document-v1); default: the current templates')
      .option('--gold <file|db>', 'gold JSONL file, or db for blind/adjudicated/imported reviews in the database', DEFAULT_GOLD_FILE)
      .option('--corpus <dir>', 'directory the gold file\'s documents are read from (default ../shared/corpus)')
      .option('--codebook <file>', 'codebook JSON (default: the bundled default; the active one with --gold db)')
      .option('--repeats <n>', 'asks per item; 2 or more reports run-to-run agreement', '1')
      .option('--outlet-bias', 'also ask with the outlet named and compare with the masked answers')
      .option('--folds <n>', 'cross-validation folds for the local baseline', '5')
      .option('--group <source|document>', "what a fold keeps whole: source (each outlet's items in one fold) or document (optimistic: the same outlet in training and test)", 'source')
      .option('--evaluation-only', 'with --gold db: score only the items evaluation-only imports labelled; the local baseline trains on the rest of the database once')
      .option('--seed <n>', 'seed for folds and bootstrap', '1')
      .option('--bootstrap <n>', 'bootstrap resamples for the 95% intervals', '2000')
      .option('--concurrency <n>', 'parallel requests', '4')
      .option('--record <file>', 'save the raw model answers to FILE')
      .option('--replay <file>', 'answer from a recording made with --record instead of calling the model')
      .option('--results-dir <dir>', 'where result files are written (default evals/results)')
      .option('--name <name>', 'result name (default <provider>-<model>-<date>)')
      .option('--compare <what...>', 'instead of running an eval: RUN_ID,RUN_ID[,...] or COMPARISON_ID compares tagging runs on their shared items (agreement with people and between models, cost, latency, disagreements); files compare stored results side by side')
      .option('--json', 'print exactly one JSON object on stdout'),
  ).action(async (opts: EvalCliOptions) => {
    const target = opts.compare ? runTarget(opts.compare) : null;
    if (target) {
      const config = loadConfig(process.env, opts.db ? { dbPath: opts.db } : {});
      if (!databaseExists(config.dbPath)) throw new CliError(`no database at ${describeTarget(config.dbPath)}: --compare with run or comparison ids reads the runs from it`);
      const db = openAppDb(config.dbPath);
      try {
        const report = compareRuns(db, target, { iterations: positiveInt(opts.bootstrap, '--bootstrap'), seed: positiveInt(opts.seed, '--seed') });
        if (opts.json) printJson(report);
        else process.stdout.write(renderComparisonReport(report));
      } finally {
        db.$client.close();
      }
      return;
    }
    if (opts.compare) {
      const comparison = compareResults(opts.compare.map((f) => readResultFile(f)));
      if (opts.json) printJson(comparison);
      else process.stdout.write(renderComparisonMarkdown(comparison));
      return;
    }
    const config = loadConfig(process.env, opts.db ? { dbPath: opts.db } : {});
    const provider = opts.provider ?? config.defaultProvider;
    if (opts.group !== 'source' && opts.group !== 'document') throw new CliError(`--group must be source or document, got "${opts.group}"`);
    if (provider !== 'local' && provider !== 'openai') throw new CliError(`--provider must be local or openai, got "${provider}"`);
    // The database is only needed for db gold and the human baseline; do not create one as a side effect.
    let db: Db | undefined;
    if (opts.gold === 'db' || databaseExists(config.dbPath)) db = openAppDb(config.dbPath);
    const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: 'eval [{bar}] {value}/{total} requests | {eta_formatted} left', stream: process.stderr }, cliProgress.Presets.shades_classic) : null;
    try {
      const { result, paths } = await evaluate(
        {
          provider,
          model: opts.model,
          prompt: opts.prompt,
          gold: opts.gold,
          corpusDir: opts.corpus,
          codebookFile: opts.codebook,
          repeats: positiveInt(opts.repeats, '--repeats'),
          outletBias: opts.outletBias,
          folds: positiveInt(opts.folds, '--folds'),
          groupBy: opts.group,
          evaluationOnly: opts.evaluationOnly,
          seed: positiveInt(opts.seed, '--seed'),
          bootstrapIterations: positiveInt(opts.bootstrap, '--bootstrap'),
          concurrency: positiveInt(opts.concurrency, '--concurrency'),
          record: opts.record,
          replay: opts.replay,
          resultsDir: opts.resultsDir,
          name: opts.name,
          onProgress: (done, total) => {
            if (!bar) return;
            if (done === 1) bar.start(total, 0);
            bar.update(done);
          },
        },
        { config, db },
      );
      bar?.stop();
      if (opts.json) {
        process.stdout.write(resultJson({ ...result, files: paths }));
      } else {
        const l = result.label;
        const f = (x: number | null) => (x !== null && Number.isFinite(x) ? x.toFixed(3) : 'n/a');
        process.stdout.write(
          `${result.provenance.displayName} on ${l.n} gold items (${result.provenance.protocol.kind === 'cross-validation' ? result.provenance.protocol.note : 'no training on the gold set'})\n` +
            `accuracy ${f(l.accuracy.estimate)} [${f(l.accuracy.low)}, ${f(l.accuracy.high)}]  macro-F1 ${f(l.macroF1.estimate)} [${f(l.macroF1.low)}, ${f(l.macroF1.high)}]  kappa ${f(l.kappa.estimate)} [${f(l.kappa.low)}, ${f(l.kappa.high)}]\n` +
            (paths ? `wrote ${paths.json} and ${paths.markdown}\n` : ''),
        );
      }
    } finally {
      bar?.stop();
      db?.$client.close();
    }
  });
}
