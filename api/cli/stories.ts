import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { AppError, zodIssueText } from '../errors.ts';
import { jobRunnerFor } from '../jobs/setup.ts';
import { defaultProviders } from '../providers/factory.ts';
import { StoryGroupingSchema, type StoryJobResult } from '../stories/job.ts';
import { groupingParams } from '../stories/service.ts';
import { listStories } from '../stories/read.ts';
import { CliError, openForCommand, printJson, withDbOption, type DbOptions } from './common.ts';

interface GroupOptions extends DbOptions {
  windowDays?: string;
  threshold?: string;
  llmCheck?: boolean;
  margin?: string;
  maxChecks?: string;
  profile?: string;
  model?: string;
  json?: boolean;
}

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

export function registerStories(program: Command): void {
  const stories = program.command('stories').description('stories: documents of different outlets that report the same event');
  withDbOption(stories.command('group').description('group the documents into stories (title and lead similarity within a time window), as a job'))
    .option('--window-days <n>', 'days two reports of one event may lie apart', '3')
    .option('--threshold <x>', 'cosine similarity (0..1) of title and lead at or above which two documents are linked', '0.2')
    .option('--llm-check', 'ask the configured provider "same event?" about the borderline pairs')
    .option('--margin <x>', 'with --llm-check: pairs this close to the threshold (either side) are asked', '0.08')
    .option('--max-checks <n>', 'with --llm-check: questions at most', '200')
    .option('--profile <id>', 'with --llm-check: a provider profile instead of OPENAI_BASE_URL / OPENAI_API_KEY')
    .option('--model <name>', 'with --llm-check: the model to ask')
    .option('--json', 'print the result as one JSON object')
    .action(async (opts: GroupOptions) => {
      const parsed = StoryGroupingSchema.safeParse({
        windowDays: num(opts.windowDays),
        threshold: num(opts.threshold),
        llmCheck: opts.llmCheck === true,
        margin: num(opts.margin),
        maxChecks: num(opts.maxChecks),
        profileId: num(opts.profile),
        model: opts.model,
      });
      if (!parsed.success) throw new CliError(zodIssueText(parsed.error), 2);
      const base = { ...openForCommand(opts), now: () => new Date(), providers: defaultProviders };
      const deps = { ...base, jobs: jobRunnerFor(base, { background: false }) };
      const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ stream: process.stderr, format: 'stories {phase} [{bar}] {value}/{total} {unit}', hideCursor: true }, cliProgress.Presets.shades_classic) : null;
      let phase = '';
      let jobId: number | null = null;
      const onSigint = () => {
        process.stderr.write('\ncancelling: nothing is written\n');
        if (jobId !== null) deps.jobs.cancel(jobId, 'cli');
      };
      process.once('SIGINT', onSigint);
      try {
        const { job: recorded, done } = deps.jobs.runHere({ kind: 'stories', params: groupingParams(deps, parsed.data), createdBy: 'cli' }, (e) => {
          const p = e.job.progress;
          if (!bar || !p || p.total === null) return;
          if (p.phase !== phase) {
            if (phase) bar.stop();
            phase = p.phase;
            bar.start(p.total, p.done, { phase, unit: p.unit });
          } else bar.update(p.done);
        });
        jobId = recorded.id;
        const job = await done;
        bar?.stop();
        if (job.state !== 'completed') throw new CliError(`story grouping ${job.state}${job.error ? `: ${job.error}` : ''}`);
        const r = job.result as StoryJobResult;
        if (opts.json) return printJson(r);
        process.stderr.write(
          `${r.documents} documents (${r.undated} undated, ${r.copies} syndicated copies), ${r.compared} pairs compared, ${r.similarPairs} similar\n` +
            `${r.stories} stories: ${r.created} new, ${r.kept} kept, ${r.dropped} dropped; ${r.addedToEdited} documents added to ${r.editedGrown} edited stories\n` +
            (parsed.data.llmCheck ? `check: ${r.checks.asked} asked, ${r.checks.yes} same, ${r.checks.no} not, ${r.checks.failed} without an answer (threshold decided), ${r.checks.skippedOverLimit} over the limit\n` : ''),
        );
      } catch (err) {
        bar?.stop();
        if (err instanceof AppError) throw new CliError(err.message, 2);
        throw err;
      } finally {
        process.off('SIGINT', onSigint);
        deps.db.$client.close();
      }
    });

  withDbOption(stories.command('list').description('list the stories, newest first'))
    .option('--limit <n>', 'stories at most', '50')
    .option('--json', 'print one JSON object')
    .action((opts: DbOptions & { limit: string; json?: boolean }) => {
      const { db } = openForCommand(opts);
      const page = listStories(db, { limit: Number(opts.limit) || 50 });
      if (opts.json) return printJson(page);
      for (const s of page.stories) console.log(`${String(s.id).padStart(6)}  ${s.firstPublished ?? '----------'}  ${String(s.sourceCount).padStart(3)} outlets  ${String(s.documentCount).padStart(4)} documents${s.edited ? '  edited' : ''}  ${s.title}`);
      console.log(`${page.total} stories`);
    });
}
