import { z } from 'zod';
import type { JobKindSpec } from '../jobs/types.ts';

/**
 * An eval as the web UI asks for it: a provider against the shipped gold set or the database's
 * own blind, adjudicated and imported reviews. Paths on the server are not taken from requests.
 */
export const EvalJobSchema = z.object({
  provider: z.enum(['openai', 'local']),
  model: z.string().min(1).max(200).optional(),
  /** `shipped`: the gold set in evals/gold; `db`: this database's reviews. */
  gold: z.enum(['shipped', 'db']).default('shipped'),
  prompt: z.string().regex(/^(v\d+|(passage|document)-v\d+(,(passage|document)-v\d+)?)$/, 'a version (v1) or prompt ids (passage-v1,document-v1)').optional(),
  folds: z.number().int().min(2).max(20).default(5),
  /** What a cross-validation fold keeps whole: each outlet (default) or, optimistically, each document. */
  group: z.enum(['source', 'document']).default('source'),
  /** With `db` gold: only the items evaluation-only imports labelled (held out from training). */
  evaluationOnly: z.boolean().default(false),
  repeats: z.number().int().min(1).max(5).default(1),
  seed: z.number().int().min(0).default(1),
  concurrency: z.number().int().min(1).max(64).default(4),
  name: z.string().regex(/^[A-Za-z0-9._-]{1,120}$/, 'letters, digits, dot, dash and underscore only').optional(),
});
export type EvalJobParams = z.output<typeof EvalJobSchema>;

/** What an eval job reports: the result's name, size, headline figure and files. */
export const EvalJobResultSchema = z
  .object({ name: z.string(), n: z.number().int(), macroF1: z.number().nullable(), paths: z.object({ json: z.string(), markdown: z.string() }).nullable() })
  .meta({ id: 'EvalJobResult' });

class Cancelled extends Error {}

/** Runs an eval as a job and writes its result files (evals/results, or the app's results folder). */
export const evalJob: JobKindSpec<EvalJobParams & { resultsDir?: string }> = {
  kind: 'eval',
  resumable: false,
  result: EvalJobResultSchema,
  describe: (p) => `eval of ${p.provider}${p.model ? ` ${p.model}` : ''} on ${p.gold === 'db' ? 'the database reviews' : 'the shipped gold set'}`,
  async run(ctx) {
    // Loaded here, not with the job registry: the eval runner and gold readers are only needed by this kind.
    const { DEFAULT_GOLD_FILE, evaluate } = await import('./service.ts');
    const p = ctx.params;
    ctx.progress({ phase: 'asking', unit: 'requests', done: 0, total: null, message: `${p.provider}${p.model ? ` ${p.model}` : ''} on ${p.gold === 'db' ? 'the database reviews' : 'the shipped gold set'}` });
    try {
      const { result, paths } = await evaluate(
        {
          provider: p.provider,
          model: p.model,
          prompt: p.prompt,
          gold: p.gold === 'db' ? 'db' : DEFAULT_GOLD_FILE,
          folds: p.folds,
          groupBy: p.group,
          evaluationOnly: p.evaluationOnly,
          repeats: p.repeats,
          seed: p.seed,
          concurrency: p.concurrency,
          name: p.name,
          resultsDir: p.resultsDir,
          onProgress: (done, total) => {
            if (ctx.signal.aborted) throw new Cancelled();
            ctx.progress({ done, total });
          },
        },
        { config: ctx.deps.config, db: ctx.deps.db, now: ctx.deps.now },
      );
      return { state: 'completed', result: { name: result.name, n: result.label.n, macroF1: result.label.macroF1.estimate, paths } };
    } catch (err) {
      if (err instanceof Cancelled) return { state: 'cancelled' };
      throw err;
    }
  },
};
