import type { TaggingBatch } from '../../db/schema/index.ts';
import { RETRYABLE_KINDS, type BatchInfo, type ClassifyResult, type Provider } from '../providers/types.ts';
import { batchItemAttempts, closeBatch } from './batchStore.ts';
import { customIdOf, type BatchWork } from './batchSubmit.ts';
import { suggestForText, type SuggestionDraft } from './suggest.ts';
import { pendingReader } from './worker.ts';
import type { Outcome } from './writer.ts';

/** Outcomes written per transaction. */
const FLUSH_AT = 500;
/** Items between yields while applying (validation and evidence checks are synchronous work). */
const YIELD_EVERY = 200;

/** The provider that "answers" with a line of a batch's output: the online validation, evidence check and provenance then apply to it unchanged. */
function replaying(provider: Provider, price: Provider['price'], batchId: string, result: ClassifyResult): Provider {
  const answer: ClassifyResult = result.ok ? { ...result, params: { ...result.params, batchId } } : result;
  return { name: provider.name, model: provider.model, displayName: provider.displayName, params: provider.params, price, classify: async () => answer };
}

/** Reads a batch's output and error files into the answer of each custom_id. */
async function resultsOf(work: BatchWork, info: BatchInfo): Promise<Map<string, ClassifyResult>> {
  const results = new Map<string, ClassifyResult>();
  for (const fileId of [info.outputFileId, info.errorFileId]) {
    if (!fileId) continue;
    const text = await work.api.content(fileId, work.signal);
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const read = work.api.readLine(line, work.plan.codebook.definition);
      if (read && !results.has(read.customId)) results.set(read.customId, read.result);
    }
  }
  return results;
}

/**
 * Applies a finished batch: every answer is validated against the codebook, its evidence
 * checked and stored with full provenance at the batch price, exactly as an online answer is;
 * items whose request failed for good are recorded failed with the reason. Items left without
 * an answer (an expired or cancelled batch, a retryable failed line) leave the batch to be
 * submitted again, unless they were submitted `maxRounds` times (then failed, with the reason).
 * A refused batch (status failed) fails its items with the provider's reason. Idempotent: a
 * process killed while applying applies the rest when it runs again.
 */
export async function applyBatch(work: BatchWork, batch: TaggingBatch, info: BatchInfo): Promise<TaggingBatch['status']> {
  const { plan, api } = work;
  const refused = info.status === 'failed' ? `the provider refused batch ${info.id}: ${info.errors ?? 'no reason given'}` : null;
  const results = refused ? new Map<string, ClassifyResult>() : await resultsOf(work, info);
  const attempts = batchItemAttempts(work.db, batch.id);
  const { next, copyOf } = pendingReader(work.db, work.run, plan, { batchId: batch.id });
  /** What each text asked in this batch came to: an answer, a final failure, or nothing yet. */
  const byKey = new Map<string, { draft: SuggestionDraft; itemId: number } | { failure: { errorKind: string; error: string } } | { missing: string }>();
  const unanswered: number[] = [];
  let outcomes: Outcome[] = [];
  const flush = async () => {
    if (outcomes.length === 0) return;
    const out = outcomes;
    outcomes = [];
    work.onWritten(await work.sink.write(out));
  };

  let seen = 0;
  for (let item = next(); item; item = next()) {
    if (++seen % YIELD_EVERY === 0) await work.yield();
    const submissions = attempts.get(item.itemId) ?? 1;
    const out: Outcome = { itemId: item.itemId, drafts: [], failure: null, attempts: submissions, failedCost: 0, cachedAll: true };
    let missing: string | null = null;
    for (let s = 0; s < item.keys.length && !out.failure && missing === null; s++) {
      const key = item.keys[s]!;
      const hits = item.stored.get(key) ?? [];
      if (hits.some((r) => r.itemId === item.itemId)) continue;
      out.cachedAll = false;
      if (hits.length > 0) {
        out.drafts.push({ draft: copyOf(hits[0]!.id), sampleIndex: s, cacheKey: key });
        continue;
      }
      let known = byKey.get(key);
      const line = results.get(customIdOf(item.itemId, s));
      if (!known && line) {
        const result = await suggestForText(replaying(plan.provider, api.price, info.id, line), item.input, { maxAttempts: 1 });
        if (result.ok) known = { draft: result.suggestion, itemId: item.itemId };
        else {
          out.failedCost += result.costUsd ?? 0;
          known = RETRYABLE_KINDS.has(result.errorKind) ? { missing: `${result.errorKind}: ${result.error}` } : { failure: { errorKind: result.errorKind, error: result.error } };
        }
        byKey.set(key, known);
        if ('draft' in known) {
          out.drafts.push({ draft: known.draft, sampleIndex: s, cacheKey: key });
          continue;
        }
      } else if (known && 'draft' in known) {
        // The same text asked the same way by another item of the batch: its answer, at no cost.
        out.drafts.push({ draft: { ...known.draft, params: { ...known.draft.params, copiedFromItem: known.itemId }, costUsd: 0, tokensIn: 0, tokensOut: 0, latencyMs: 0 }, sampleIndex: s, cacheKey: key });
        continue;
      }
      if (refused) out.failure = { errorKind: 'bad_request', error: refused };
      else if (known && 'failure' in known) out.failure = known.failure;
      else missing = known && 'missing' in known ? known.missing : `no answer in batch ${info.id} (${info.status})`;
    }
    if (missing !== null && submissions >= work.limits.maxRounds) {
      out.failure = { errorKind: 'server_error', error: `no answer after ${submissions} batch submissions; the last: ${missing}` };
      out.drafts = [];
    } else if (missing !== null) {
      unanswered.push(item.itemId);
      continue;
    }
    outcomes.push(out);
    if (outcomes.length >= FLUSH_AT) await flush();
  }
  await flush();
  const status = refused ? 'failed' : 'applied';
  closeBatch(work.db, batch, unanswered, { status, error: refused, providerStatus: info.status, outputFileId: info.outputFileId, errorFileId: info.errorFileId, finishedAt: work.now().toISOString() });
  return status;
}
