import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import type { Db } from '../../db/client.ts';
import type { TaggingRun } from '../../db/schema/index.ts';
import { costUsd } from '../providers/prices.ts';
import { BudgetGuard } from './budget.ts';
import { EXPECTED_OUTPUT_TOKENS, renderedCodebookLength, tokensOf } from './estimate.ts';
import { AdaptiveGate, type GateState } from './gate.ts';
import type { Level } from './prompts.ts';
import { promptVersionFor, type RunPlan } from './request.ts';
import { cacheKeyFor, suggestForText, type SuggestInput, type SuggestionDraft } from './suggest.ts';
import type { Provider } from '../providers/types.ts';
import type { OutcomeSink } from './sink.ts';
import type { Outcome, WriteTotals } from './writer.ts';
import { dialectFor, jsonArrayAggText, jsonArrayOfText, jsonArrayValuesText } from '../../db/sqlDialect.ts';

/** Items read per page of pending items. */
const PAGE = 500;
/** Outcomes written per transaction at most, and ms an outcome waits at most before it is written. */
const FLUSH_AT = 500;
const FLUSH_EVERY_MS = 100;
/** Batches sent to the sink and not yet written, at most: the worker waits rather than run far ahead. */
const WRITES_IN_FLIGHT = 2;
/** ms of uninterrupted work after which the worker lets timers and messages run. */
const YIELD_EVERY_MS = 50;
/** Answers of this run kept in memory for items with the same text (older ones are found in the stored cache). */
const ANSWERED_KEPT = 5_000;

/** A pending item of a run with its input, cache keys and stored answers. */
export interface Pending {
  itemId: number;
  input: SuggestInput;
  keys: string[];
  /** Stored suggestions per cache key (any item): the cache. */
  stored: Map<string, { id: number; itemId: number }[]>;
}

/** How tagging the pending items ended. */
export interface WorkResult {
  stop: 'done' | 'cancelled' | 'budget_exceeded' | 'failed';
  error: string | null;
}

export interface WorkHooks {
  signal: AbortSignal;
  /** After every write, with the counters it moved. */
  onWritten: (totals: WriteTotals) => void;
  /** With every batch of outcomes: the rate limit the run works against. */
  onRateLimit?: (state: GateState) => void;
  yield: () => Promise<void>;
}

/**
 * Reads the run's pending items page by page (texts and context in one query) with their cache
 * lookups; with `batchId`, only those of that batch (null: those in no batch).
 */
export function pendingReader(db: Db, run: TaggingRun, plan: RunPlan, scope: { batchId: number | null } | null = null) {
  const c: Database.Database = db.$client;
  const page = c.prepare(
    `SELECT ri.id AS cursor, i.id AS "itemId", i.level AS level, i.text_hash AS "textHash", coalesce(p.text, d.text) AS text, d.title AS title, s.name AS "sourceName",
       CASE WHEN i.passage_id IS NULL THEN (SELECT ${jsonArrayAggText(dialectFor(c), jsonArrayOfText(dialectFor(c), ['x.start', 'x."end"']))} FROM (SELECT start, "end" FROM passages WHERE document_id = d.id AND excluded = FALSE ORDER BY seq) x) END AS spans
     FROM tagging_run_items ri JOIN items i ON i.id = ri.item_id JOIN documents d ON d.id = i.document_id JOIN sources s ON s.id = i.source_id
     LEFT JOIN passages p ON p.id = i.passage_id
     WHERE ri.run_id = @runId AND ri.status = 'pending' AND ri.id > @cursor ${scope ? 'AND ri.batch_id IS NOT DISTINCT FROM @batchId' : ''} ORDER BY ri.id LIMIT @limit`,
  );
  // Same cache key means same text: the stored answers are found through the items with the page's text hashes.
  const cache = c.prepare(
    `SELECT s.id, s.item_id AS "itemId", s.cache_key AS "cacheKey" FROM items i JOIN suggestions s ON s.item_id = i.id
     WHERE i.text_hash IN (${jsonArrayValuesText(dialectFor(c), '?', 'text')}) AND s.cache_key IN (${jsonArrayValuesText(dialectFor(c), '?', 'text')}) ORDER BY s.id`,
  );
  const stored = c.prepare('SELECT * FROM suggestions WHERE id = ?');
  const { options, provider, codebook } = plan;
  let cursor = 0;
  let buffer: Pending[] = [];
  /** A stored answer (the cache) as a draft for another item: same answer, no cost, pointing back to it. */
  const copyOf = (suggestionId: number): SuggestionDraft => {
    const src = stored.get(suggestionId) as Record<string, unknown> & { id: number };
    return {
      label: src.label as string,
      stance: src.stance as number,
      themes: JSON.parse(src.themes as string) as string[],
      confidence: src.confidence as number | null,
      rationale: (src.rationale as string | null) ?? '',
      evidence: JSON.parse(src.evidence as string) as SuggestionDraft['evidence'],
      substantive: Boolean(src.substantive),
      provider: src.provider as Provider['name'],
      model: src.model as string,
      promptVersion: src.prompt_version as string,
      promptHash: src.prompt_hash as string,
      codebookVersion: src.codebook_version as string,
      codebookHash: src.codebook_hash as string,
      params: { ...(JSON.parse(src.params as string) as Record<string, unknown>), copiedFromSuggestion: src.id },
      outletMasked: Boolean(src.outlet_masked),
      costUsd: 0,
      tokensIn: 0,
      tokensOut: 0,
      latencyMs: 0,
      requestId: src.request_id as string | null,
      rawResponse: (src.raw_response as string | null) ?? '',
    };
  };
  const next = (): Pending | null => {
    if (buffer.length === 0) {
      const rows = page.all({ runId: run.id, cursor, limit: PAGE, ...(scope ? { batchId: scope.batchId } : {}) }) as { cursor: number; itemId: number; level: Level; textHash: string; text: string; title: string; sourceName: string; spans: string | null }[];
      if (rows.length === 0) return null;
      cursor = rows.at(-1)!.cursor;
      buffer = rows.map((r) => {
        const input: SuggestInput = {
          codebook,
          level: r.level,
          text: r.text,
          sourceName: r.sourceName,
          documentTitle: r.title,
          maskOutlet: options.maskOutlet,
          promptVersion: promptVersionFor(options, r.level),
          passages: r.spans ? (JSON.parse(r.spans) as [number, number][]).map(([start, end]) => ({ start, end })) : undefined,
        };
        return { itemId: r.itemId, input, keys: Array.from({ length: options.repeats }, (_, s) => cacheKeyFor(provider, input, s)), stored: new Map() };
      });
      const byKey = new Map<string, { id: number; itemId: number }[]>();
      const hashes = JSON.stringify([...new Set(rows.map((r) => r.textHash))]);
      for (const r of cache.all(hashes, JSON.stringify([...new Set(buffer.flatMap((b) => b.keys))])) as { id: number; itemId: number; cacheKey: string }[]) {
        byKey.set(r.cacheKey, [...(byKey.get(r.cacheKey) ?? []), r]);
      }
      for (const b of buffer) for (const k of b.keys) if (byKey.has(k)) b.stored.set(k, byKey.get(k)!);
    }
    return buffer.shift() ?? null;
  };
  return { next, copyOf };
}

/**
 * Works through a run's pending items with its provider: concurrency with adaptive 429
 * back-off, retries with exponential backoff and jitter, per-request timeouts, the cache
 * (an answer stored for the same text, asked the same way, is reused), the budget cap and
 * cancellation. Outcomes go to the sink in batches (written by the OutcomeWriter, here or in a
 * thread of its own); an item whose request was cancelled stays pending for a resume.
 */
export async function tagPendingItems(db: Db, run: TaggingRun, plan: RunPlan, sink: OutcomeSink, hooks: WorkHooks): Promise<WorkResult> {
  const { options: o, provider, codebook } = plan;
  const { next, copyOf } = pendingReader(db, run, plan);
  const gate = new AdaptiveGate(Math.min(o.concurrency, provider.concurrency ?? o.concurrency));
  const perItemUsd = provider.price ? (costUsd(provider.price, tokensOf(renderedCodebookLength(codebook.definition) + 2_000), EXPECTED_OUTPUT_TOKENS) ?? 0) * o.repeats : 0;
  // The row's budget, not the options': a resume may raise it.
  const budget = new BudgetGuard(run.budgetUsd, run.costUsd, perItemUsd);
  let fatal: Error | null = null;

  let outcomes: Outcome[] = [];
  let lastFlush = performance.now();
  const writes = new Set<Promise<void>>();
  const flush = () => {
    lastFlush = performance.now();
    hooks.onRateLimit?.(gate.state());
    if (outcomes.length === 0) return;
    const batch = outcomes;
    outcomes = [];
    const write: Promise<void> = sink
      .write(batch)
      .then(hooks.onWritten, (err: Error) => {
        fatal ??= err;
      })
      .finally(() => writes.delete(write));
    writes.add(write);
  };
  const record = (out: Outcome) => {
    outcomes.push(out);
    if (outcomes.length >= FLUSH_AT || performance.now() - lastFlush >= FLUSH_EVERY_MS) flush();
  };

  const answeredHere = new Map<string, { draft: SuggestionDraft; itemId: number }>();
  const tagItem = async ({ itemId, input, keys, stored }: Pending): Promise<number> => {
    const out: Outcome = { itemId, drafts: [], failure: null, attempts: 0, failedCost: 0, cachedAll: true };
    for (let s = 0; s < o.repeats; s++) {
      const cacheKey = keys[s]!;
      const hits = stored.get(cacheKey) ?? [];
      if (hits.some((r) => r.itemId === itemId)) continue;
      out.cachedAll = false;
      if (hits.length > 0) {
        // The same text, asked the same way, for another item: reuse the stored answer.
        out.drafts.push({ draft: copyOf(hits[0]!.id), sampleIndex: s, cacheKey });
        continue;
      }
      const earlier = answeredHere.get(cacheKey);
      if (earlier) {
        // Answered earlier in this run for another item with the same text (maybe not yet written).
        out.drafts.push({ draft: { ...earlier.draft, params: { ...earlier.draft.params, copiedFromItem: earlier.itemId }, costUsd: 0, tokensIn: 0, tokensOut: 0, latencyMs: 0 }, sampleIndex: s, cacheKey });
        continue;
      }
      const result = await suggestForText(provider, input, { signal: hooks.signal, timeoutMs: o.timeoutMs, maxAttempts: o.maxAttempts, backoffBaseMs: o.backoffBaseMs, gate });
      out.attempts += result.attempts;
      if (result.ok) {
        answeredHere.set(cacheKey, { draft: result.suggestion, itemId });
        if (answeredHere.size > ANSWERED_KEPT) answeredHere.delete(answeredHere.keys().next().value!);
        out.drafts.push({ draft: result.suggestion, sampleIndex: s, cacheKey });
      } else {
        out.failedCost += result.costUsd ?? 0;
        if (result.errorKind === 'cancelled') return 0; // stays pending for a resume
        out.failure = { errorKind: result.errorKind, error: result.error };
        break;
      }
    }
    record(out);
    return out.failedCost + out.drafts.reduce((n, d) => n + (d.draft.costUsd ?? 0), 0);
  };

  let lastYield = performance.now();
  const worker = async () => {
    for (;;) {
      if (hooks.signal.aborted || budget.hit || fatal) return;
      if (!budget.tryReserve()) return;
      const item = next();
      if (!item) {
        budget.settle(0);
        return;
      }
      let spent = 0;
      try {
        spent = await tagItem(item);
      } catch (err) {
        fatal = err as Error;
      } finally {
        budget.settle(spent);
      }
      while (writes.size > WRITES_IN_FLIGHT) await Promise.race(writes);
      // A provider that answers without waiting (the local baseline) never lets timers run by itself.
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        lastYield = performance.now();
        await hooks.yield();
      }
    }
  };

  const flushTimer = setInterval(flush, FLUSH_EVERY_MS);
  try {
    await Promise.all(Array.from({ length: o.concurrency }, worker));
  } finally {
    clearInterval(flushTimer);
    flush();
    await Promise.all(writes);
  }
  const fatalError = fatal as Error | null;
  if (fatalError) return { stop: 'failed', error: fatalError.message };
  if (hooks.signal.aborted) return { stop: 'cancelled', error: null };
  if (budget.hit) return { stop: 'budget_exceeded', error: budget.message };
  return { stop: 'done', error: null };
}
