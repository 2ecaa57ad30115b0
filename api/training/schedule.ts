import { getActiveCodebook } from '../codebooks/service.ts';
import type { JobRunner, Scheduled } from '../jobs/runner.ts';
import type { JobDeps } from '../jobs/types.ts';
import { decisionsSince } from './examples.ts';
import { currentLocalModel } from './store.ts';

/** New human decisions that make a retraining due: at least 25, and at least a tenth of what the model learned from. */
export function retrainThreshold(trainingSize: number): number {
  return Math.max(25, Math.ceil(trainingSize * 0.1));
}

/** Whether the active codebook's local baseline has enough new decisions to be trained again. */
export function retrainDue(deps: Pick<JobDeps, 'db'>): { codebookId: number; newDecisions: number; threshold: number; due: boolean } {
  const row = getActiveCodebook(deps.db);
  const model = currentLocalModel(deps.db, { definition: row.definition, version: row.version, hash: row.hash });
  const newDecisions = decisionsSince(deps.db, model.lastReviewId);
  const threshold = retrainThreshold(model.trainingSize);
  return { codebookId: row.id, newDecisions, threshold, due: newDecisions >= threshold };
}

/**
 * The server's retraining round: when the active codebook's local baseline is used (a model is
 * stored, or the local provider is the default) and enough decisions came in since it was
 * trained, queue a training job, unless one is already queued or running.
 */
export function retrainSchedule(deps: Pick<JobDeps, 'db' | 'config'>, everyMs = 30_000): Scheduled {
  return {
    name: 'retrain-local-baseline',
    everyMs,
    run(runner: JobRunner) {
      if (runner.queue.list({ kinds: ['training'], states: ['queued', 'running'], limit: 1 }).length > 0) return;
      const row = getActiveCodebook(deps.db);
      const model = currentLocalModel(deps.db, { definition: row.definition, version: row.version, hash: row.hash });
      if (!model.stored && deps.config.defaultProvider !== 'local') return;
      const due = retrainDue(deps);
      if (due.due) runner.submit({ kind: 'training', params: { codebookId: due.codebookId }, createdBy: 'system' });
    },
  };
}
