import { getCodebook } from '../codebooks/service.ts';
import type { JobKindSpec } from '../jobs/types.ts';
import { reviewedTrainingExamples } from './examples.ts';
import { LocalModelInfoSchema, trainAndStore } from './store.ts';

/** A training job's parameters: the codebook whose local baseline is trained. */
export interface TrainingJobParams {
  codebookId: number;
}

class Cancelled extends Error {}

/**
 * Trains the local baseline on every reviewed item of a codebook and stores it as a new
 * version (api/training/store.ts), with progress per gradient-descent iteration. Training is
 * synchronous work, so it runs only here, in a job's thread, never in a request.
 */
export const trainingJob: JobKindSpec<TrainingJobParams> = {
  kind: 'training',
  resumable: false,
  describe: (p) => `training of the local baseline (codebook ${p.codebookId})`,
  result: LocalModelInfoSchema,
  async run(ctx) {
    const { db } = ctx.deps;
    const row = getCodebook(db, ctx.params.codebookId);
    const cb = { id: row.id, definition: row.definition, version: row.version, hash: row.hash };
    ctx.progress({ phase: 'reading', unit: 'examples', done: 0, total: null });
    const { examples, lastReviewId } = db.transaction((tx) => reviewedTrainingExamples(tx, row.definition), { behavior: 'deferred' });
    ctx.progress({ phase: 'training', unit: 'iterations', done: 0, total: null, message: `${examples.length} reviewed items` });
    try {
      const info = trainAndStore(db, cb, examples, { lastReviewId, jobId: ctx.job.id }, {
        onProgress: (done, total) => {
          if (ctx.signal.aborted) throw new Cancelled();
          ctx.progress({ done, total });
        },
      });
      return { state: 'completed', result: info };
    } catch (err) {
      if (err instanceof Cancelled) return { state: 'cancelled' };
      throw err;
    }
  },
};
