import { readFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { eq, inArray } from 'drizzle-orm';
import { sources } from '../../db/schema/index.ts';
import { loadCodebookFile } from '../codebooks/definition.ts';
import { saveCodebook } from '../codebooks/service.ts';
import { AppError } from '../errors.ts';
import { stripJsonNul } from '../json.ts';
import { jobRunnerFor } from '../jobs/setup.ts';
import { defaultProviders } from '../providers/factory.ts';
import { LOCAL_MODEL } from '../providers/local.ts';
import { findProfile } from '../providers/profiles/service.ts';
import { createRun, estimateRun, getRun, progressOf, resumeRun, runFailures, type RunRequest, type TaggingJobDeps } from '../tagging/runs.ts';
import { retrainDue } from '../training/schedule.ts';
import type { RunProgress } from '../tagging/schemas.ts';
import { CliError, openForCommand, printJson, withDbOption, type DbOptions } from './common.ts';

interface TagCliOptions extends DbOptions {
  provider?: 'openai' | 'local';
  profile?: string;
  model?: string;
  prompt?: string;
  codebook?: string;
  level: 'passage' | 'document' | 'both';
  source?: string[];
  document?: string[];
  untagged?: boolean;
  sample?: string;
  concurrency: string;
  repeats: string;
  budget?: string;
  maskOutlet?: boolean;
  resume?: string;
  timeout: string;
  maxAttempts: string;
  responseFormat: 'auto' | 'json_schema' | 'json_object';
  temperature?: string;
  prices?: string;
  json?: boolean;
  retrain?: boolean;
  batch?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${name} must be a positive whole number, got "${value}"`);
  return n;
}

function positiveNumber(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`${name} must be a positive number, got "${value}"`);
  return n;
}

/** A progress bar on stderr: done, failed, rate, ETA, cost so far. */
function progressBar(enabled: boolean) {
  if (!enabled) return { update: (_p: RunProgress) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{phase} {bar} {value}/{total} | done {done} cached {cached} failed {failed} | {rate}/s | ETA {etaText} | ${cost}{message}',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p: RunProgress) {
      const payload = {
        done: p.itemsDone,
        cached: p.itemsCached,
        failed: p.itemsFailed,
        rate: p.ratePerSec.toFixed(1),
        etaText: p.etaSec === null ? '-' : `${Math.round(p.etaSec)}s`,
        cost: p.costUsd.toFixed(4),
        phase: p.phase,
        message: p.message ? ` | ${p.message}` : '',
      };
      const value = p.itemsDone + p.itemsCached + p.itemsFailed;
      if (!started) {
        bar.start(p.itemsTotal, value, payload);
        started = true;
      } else bar.update(value, payload);
    },
    stop: () => started && bar.stop(),
  };
}

/** `tag`: asks a provider for suggestions on a selection of items, as a resumable tagging run. */
export function registerTag(program: Command): void {
  withDbOption(
    program
      .command('tag')
      .description('ask a provider (OpenAI-compatible model or the local baseline) for suggestions, as a resumable tagging run')
      .option('--provider <name>', 'openai or local (default: openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else local)')
      .option('--profile <name>', 'a provider profile set up on the Settings page (its server, key, model, prices and concurrency)')
      .option('--model <name>', 'model name (default: $FRAMESCOPE_MODEL, gpt-4o-mini; local: the current stored local-baseline-v2 version, or a version to pin)')
      .option('--prompt <versions>', 'prompt versions, e.g. passage-v1,document-v1 (default: the latest shipped)')
      .option('--codebook <file>', 'codebook JSON file: stored as a new version, activated and used')
      .option('--level <level>', 'passage, document or both', 'both')
      .option('--source <names>', 'only these sources (names or ids; repeatable or comma-separated)', collect)
      .option('--document <ids>', 'only these documents (ids; repeatable or comma-separated)', collect)
      .option('--untagged', 'only items with no suggestion yet')
      .option('--sample <n>', 'a reproducible random sample of n items')
      .option('--concurrency <n>', 'requests in flight at most', '4')
      .option('--repeats <n>', 'ask each item n times and store every answer (self-consistency)', '1')
      .option('--budget <usd>', 'stop before spending more than this many US dollars')
      .option('--mask-outlet', "keep the outlet's name out of the prompt (recorded in provenance)")
      .option('--timeout <ms>', 'per-request timeout in ms', '60000')
      .option('--max-attempts <n>', 'attempts per request on 429, 5xx, timeouts and dropped connections', '5')
      .option('--response-format <mode>', 'auto, json_schema or json_object', 'auto')
      .option('--temperature <t>', 'sampling temperature (default 0)')
      .option('--prices <file>', 'JSON price overrides: {"model": {"inputPerMTok": 0.15, "outputPerMTok": 0.6}}')
      .option('--batch', "submit through the provider's Batch API: half the price, answers within 24 h (resumable: the batch ids are stored with the run)")
      .option('--resume <run>', 'resume a stopped, cancelled or killed run')
      .option('--retrain', 'local provider: train the local baseline on every review first (it is retrained anyway when enough new reviews came in)')
      .option('--json', 'print the run summary as one JSON object on stdout'),
  ).action(async (opts: TagCliOptions) => {
    const base = { ...openForCommand(opts), now: () => new Date(), providers: defaultProviders };
    const deps = { ...base, jobs: jobRunnerFor(base, { background: false }) };
    const drawn = progressBar(process.stderr.isTTY === true || !opts.json);
    let last: RunProgress | null = null;
    const controller = new AbortController();
    let jobId: number | null = null;
    const onSigint = () => {
      process.stderr.write('\ncancelling: requests in flight are dropped and their items stay pending\n');
      controller.abort();
      if (jobId !== null) deps.jobs.cancel(jobId, 'cli');
    };
    process.once('SIGINT', onSigint);
    try {
      // A run (or training) whose process was killed is still marked running: find those first.
      deps.jobs.recover();
      let claimed;
      if (opts.resume !== undefined) {
        const runId = positiveInt('--resume', opts.resume);
        claimed = resumeRun(deps, runId, 'cli', { budgetUsd: opts.budget === undefined ? undefined : positiveNumber('--budget', opts.budget), claimBy: deps.jobs.owner });
      } else {
        const request = buildRequest(deps.db, opts);
        await retrainIfDue(deps, request, opts.retrain === true);
        const estimate = estimateRun(deps, request);
        process.stderr.write(
          `${estimate.items} items (${estimate.passages} passages, ${estimate.documents} documents), ${estimate.cached} already answered; ${estimate.displayName}; estimated cost ${estimate.estimatedCostUsd === null ? 'unknown (no price for this model)' : `$${estimate.estimatedCostUsd.toFixed(4)}${request.batch ? ' at the batch price' : ''}`}\n`,
        );
        claimed = createRun(deps, request, 'cli', { claimBy: deps.jobs.owner });
        process.stderr.write(`tagging run ${claimed.run.id} (resume with: tag --resume ${claimed.run.id})\n`);
      }
      const runId = claimed.run.id;
      jobId = claimed.job.id;
      if (controller.signal.aborted) deps.jobs.cancel(jobId, 'cli');
      await deps.jobs.runClaimed(claimed.job, (e) => {
        last = progressOf(getRun(deps.db, runId), e.job);
        drawn.update(last);
      });
      drawn.stop();
      const run = getRun(deps.db, runId);
      const failures = runFailures(deps.db, run.id);
      const finalProgress = progressOf(run, deps.jobs.queue.get(claimed.job.id));
      const summary = { ...finalProgress, ratePerSec: (last as RunProgress | null)?.ratePerSec ?? 0, etaSec: null, levels: (run.promptVersions ?? {}) as Record<string, string>, tokensIn: run.tokensIn, tokensOut: run.tokensOut, budgetUsd: run.budgetUsd, failures };
      if (opts.json) printJson(summary);
      else {
        process.stderr.write(`run ${run.id} ${run.status}: ${run.itemsDone} suggested, ${run.itemsCached} cached, ${run.itemsFailed} failed, $${run.costUsd.toFixed(4)}\n`);
        for (const f of failures.slice(0, 20)) process.stderr.write(`  item ${f.itemId}: ${f.errorKind}: ${f.error}\n`);
      }
      if (run.status === 'cancelled' || run.status === 'budget_exceeded' || run.status === 'interrupted') process.stderr.write(`resume with: tag --resume ${run.id}${run.status === 'budget_exceeded' ? ' --budget <higher>' : ''}\n`);
      if (run.status === 'failed') throw new CliError(`tagging run ${run.id} failed: ${run.error}`);
    } catch (err) {
      drawn.stop();
      if (err instanceof AppError) throw new CliError(err.message, 2);
      throw err;
    } finally {
      process.off('SIGINT', onSigint);
      deps.db.$client.close();
    }
  });
}

/**
 * Before a local run: train the local baseline on the reviews when enough new ones came in
 * (or `--retrain` asks), as a training job in this process with its own progress bar, so the
 * run uses a model that knows them. The trained model is stored and reused by later processes.
 */
async function retrainIfDue(deps: TaggingJobDeps, request: RunRequest, force: boolean): Promise<void> {
  if ((request.provider ?? deps.config.defaultProvider) !== 'local' || (request.model && request.model !== LOCAL_MODEL)) return;
  const due = retrainDue(deps);
  if (!force && !due.due) return;
  process.stderr.write(`training the local baseline (${due.newDecisions} new decisions since the stored model)…\n`);
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'training {bar} {value}/{total} iterations', hideCursor: true }, cliProgress.Presets.shades_classic);
  let started = false;
  const { done } = deps.jobs.runHere({ kind: 'training', params: { codebookId: request.codebookId ?? due.codebookId }, createdBy: 'cli' }, (e) => {
    const p = e.job.progress;
    if (!p || p.phase !== 'training' || p.total === null) return;
    if (!started) bar.start(p.total, p.done);
    started = true;
    bar.update(p.done);
  });
  const job = await done;
  if (started) bar.stop();
  if (job.state !== 'completed') throw new CliError(`training the local baseline failed: ${job.error ?? job.state}`);
  process.stderr.write(`local baseline ${(job.result as { version: string }).version} stored\n`);
}

function buildRequest(db: ReturnType<typeof openForCommand>['db'], opts: TagCliOptions): RunRequest {
  const levels = opts.level === 'both' ? (['passage', 'document'] as const) : opts.level === 'passage' || opts.level === 'document' ? ([opts.level] as const) : null;
  if (!levels) throw new CliError(`--level must be passage, document or both, got "${opts.level}"`);
  if (opts.provider && opts.provider !== 'openai' && opts.provider !== 'local') throw new CliError(`--provider must be openai or local, got "${opts.provider}"`);
  if (!['auto', 'json_schema', 'json_object'].includes(opts.responseFormat)) throw new CliError(`--response-format must be auto, json_schema or json_object`);
  const promptVersions: Record<string, string> = {};
  for (const id of collect(opts.prompt ?? '')) {
    const level = id.split('-')[0]!;
    if (level !== 'passage' && level !== 'document') throw new CliError(`--prompt: "${id}" is not a prompt version like passage-v1 or document-v1`);
    promptVersions[level] = id;
  }
  let codebookId: number | undefined;
  if (opts.codebook) {
    const def = loadCodebookFile(opts.codebook);
    const row = saveCodebook(db, def, { activate: true });
    process.stderr.write(`codebook ${row.name} v${row.version} stored and active\n`);
    codebookId = row.id;
  }
  let sourceIds: number[] | undefined;
  if (opts.source?.length) {
    const numeric = opts.source.filter((s) => /^\d+$/.test(s)).map(Number);
    const named = opts.source.filter((s) => !/^\d+$/.test(s));
    const found = named.length > 0 ? db.select().from(sources).where(inArray(sources.name, named)).all() : [];
    const missing = named.filter((n) => !found.some((f) => f.name === n));
    if (missing.length > 0) throw new CliError(`--source: no source named ${missing.map((m) => `"${m}"`).join(', ')}`);
    for (const id of numeric) if (!db.select().from(sources).where(eq(sources.id, id)).get()) throw new CliError(`--source: no source with id ${id}`);
    sourceIds = [...numeric, ...found.map((f) => f.id)];
  }
  const documentIds = opts.document?.map((d) => positiveInt('--document', d));
  let prices: RunRequest['prices'];
  if (opts.prices) {
    try {
      prices = JSON.parse(stripJsonNul(readFileSync(opts.prices, 'utf8')));
    } catch (err) {
      throw new CliError(`--prices: cannot read ${opts.prices}: ${(err as Error).message}`);
    }
  }
  if (opts.profile !== undefined && opts.provider === 'local') throw new CliError('--profile names an OpenAI-compatible server: leave out --provider local');
  return {
    provider: opts.provider,
    profileId: opts.profile === undefined ? undefined : findProfile(db, opts.profile).id,
    model: opts.model,
    codebookId,
    promptVersions,
    levels: [...levels],
    selection: { sourceIds, documentIds, untaggedOnly: opts.untagged, sample: opts.sample === undefined ? undefined : positiveInt('--sample', opts.sample) },
    concurrency: positiveInt('--concurrency', opts.concurrency),
    repeats: positiveInt('--repeats', opts.repeats),
    budgetUsd: opts.budget === undefined ? undefined : positiveNumber('--budget', opts.budget),
    maskOutlet: opts.maskOutlet ?? false,
    timeoutMs: positiveInt('--timeout', opts.timeout),
    maxAttempts: positiveInt('--max-attempts', opts.maxAttempts),
    responseFormat: opts.responseFormat,
    temperature: opts.temperature === undefined ? undefined : Number(opts.temperature),
    prices,
    batch: opts.batch === true,
  };
}
