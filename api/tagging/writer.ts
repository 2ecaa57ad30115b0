import type Database from 'better-sqlite3';
import type { Db } from '../../db/client.ts';
import { applySuggestions } from '../items/state.ts';
import type { SuggestionDraft } from './suggest.ts';

/** What happened to one item of a run. */
export interface Outcome {
  itemId: number;
  drafts: { draft: SuggestionDraft; sampleIndex: number; cacheKey: string }[];
  failure: { errorKind: string; error: string } | null;
  attempts: number;
  /** USD spent on failed attempts that still consumed tokens */
  failedCost: number;
  /** Every requested answer was already stored for this item. */
  cachedAll: boolean;
}

/** Counters one write moved. */
export interface WriteTotals {
  done: number;
  failed: number;
  cached: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
}

/**
 * Writes a run's outcomes in batches: one short transaction per batch with each item's
 * suggestions, its run-item status, the item states and rollups they move (applySuggestions,
 * set-wise) and the run's counters, so a kill loses only unwritten answers (their items stay
 * pending) and never stores an item twice. The hot statements are prepared once: building them
 * per item cost more than the rest of an item's work (columns of db/schema/suggestions.ts and
 * taggingRuns.ts).
 */
export class OutcomeWriter {
  private readonly c: Database.Database;
  private readonly insertSuggestion: Database.Statement;
  private readonly insertTheme: Database.Statement;
  private readonly finishRunItem: Database.Statement;
  private readonly addToRun: Database.Statement;

  constructor(
    private readonly db: Db,
    private readonly runId: number,
    private readonly codebookId: number,
    private readonly now: () => Date,
  ) {
    this.c = db.$client;
    this.insertSuggestion = this.c.prepare(
      `INSERT INTO suggestions (item_id, run_id, codebook_id, label, stance, themes, confidence, rationale, evidence, substantive, provider, model,
         prompt_version, prompt_hash, codebook_version, codebook_hash, params, outlet_masked, sample_index, tokens_in, tokens_out, cost_usd,
         latency_ms, request_id, raw_response, cache_key, created_at)
       VALUES (@itemId, @runId, @codebookId, @label, @stance, @themes, @confidence, @rationale, @evidence, @substantive, @provider, @model,
         @promptVersion, @promptHash, @codebookVersion, @codebookHash, @params, @outletMasked, @sampleIndex, @tokensIn, @tokensOut, @costUsd,
         @latencyMs, @requestId, @rawResponse, @cacheKey, @createdAt)`,
    );
    this.insertTheme = this.c.prepare('INSERT INTO suggestion_themes (suggestion_id, theme) VALUES (?, ?) ON CONFLICT DO NOTHING');
    this.finishRunItem = this.c.prepare('UPDATE tagging_run_items SET status = ?, attempts = ?, error_kind = ?, error = ?, updated_at = ? WHERE run_id = ? AND item_id = ?');
    this.addToRun = this.c.prepare(
      `UPDATE tagging_runs SET items_done = items_done + ?, items_failed = items_failed + ?, items_cached = items_cached + ?,
         tokens_in = tokens_in + ?, tokens_out = tokens_out + ?, cost_usd = cost_usd + ?, heartbeat_at = ? WHERE id = ?`,
    );
  }

  /** Writes a batch in one transaction; returns the counters it moved. */
  write(batch: Outcome[]): WriteTotals {
    const totals: WriteTotals = { done: 0, failed: 0, cached: 0, tokensIn: 0, tokensOut: 0, costUsd: 0 };
    if (batch.length === 0) return totals;
    const at = this.now();
    const iso = at.toISOString();
    this.db.transaction((tx) => {
      const ids: number[] = [];
      for (const out of batch) {
        for (const { draft, sampleIndex, cacheKey } of out.drafts) {
          const id = Number(
            this.insertSuggestion.run({
              itemId: out.itemId,
              runId: this.runId,
              codebookId: this.codebookId,
              label: draft.label,
              stance: draft.stance,
              themes: JSON.stringify(draft.themes),
              confidence: draft.confidence,
              rationale: draft.rationale,
              evidence: JSON.stringify(draft.evidence),
              substantive: draft.substantive ? 1 : 0,
              provider: draft.provider,
              model: draft.model,
              promptVersion: draft.promptVersion,
              promptHash: draft.promptHash,
              codebookVersion: draft.codebookVersion,
              codebookHash: draft.codebookHash,
              params: JSON.stringify(draft.params),
              outletMasked: draft.outletMasked ? 1 : 0,
              sampleIndex,
              tokensIn: draft.tokensIn,
              tokensOut: draft.tokensOut,
              costUsd: draft.costUsd,
              latencyMs: draft.latencyMs,
              requestId: draft.requestId,
              rawResponse: draft.rawResponse,
              cacheKey,
              createdAt: iso,
            }).lastInsertRowid,
          );
          for (const theme of draft.themes) this.insertTheme.run(id, theme);
          ids.push(id);
          totals.costUsd += draft.costUsd ?? 0;
          totals.tokensIn += draft.tokensIn ?? 0;
          totals.tokensOut += draft.tokensOut ?? 0;
        }
        totals.costUsd += out.failedCost;
        const status = out.failure ? 'failed' : out.cachedAll ? 'cached' : 'done';
        totals[status === 'done' ? 'done' : status === 'failed' ? 'failed' : 'cached']++;
        this.finishRunItem.run(status, out.attempts, out.failure?.errorKind ?? null, out.failure?.error ?? null, iso, this.runId, out.itemId);
      }
      applySuggestions(tx, ids, at);
      this.addToRun.run(totals.done, totals.failed, totals.cached, totals.tokensIn, totals.tokensOut, totals.costUsd, iso, this.runId);
    });
    return totals;
  }
}
