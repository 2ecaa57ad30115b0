import { EventEmitter, setMaxListeners } from 'node:events';
import { and, asc, desc, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import {
  documents,
  items,
  itemThemes,
  passages,
  sources,
  suggestions,
  suggestionThemes,
  taggingRunItems,
  taggingRuns,
  type TaggingRun,
} from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import type { CodebookDefinition } from '../codebooks/definition.ts';
import { getActiveCodebook, getCodebook } from '../codebooks/service.ts';
import type { Config } from '../config.ts';
import { badRequest, conflict, notFound, zodIssueText } from '../errors.ts';
import { MAX_IDS_PER_LIST, tooManyIds } from '../guards/limits.ts';
import { applySuggestion } from '../items/state.ts';
import { createProvider, type TrainingExample } from '../providers/index.ts';
import { LOCAL_MODEL } from '../providers/local.ts';
import { costUsd, type ModelPrice } from '../providers/prices.ts';
import type { Provider } from '../providers/types.ts';
import { AdaptiveGate } from './gate.ts';
import type { RunEstimate, RunProgress } from './schemas.ts';
import { DEFAULT_PROMPT_VERSIONS, getPromptTemplate, registerPromptVersion, renderPrompt, type Level } from './prompts.ts';
import { cacheKeyFor, suggestForText, type CodebookRef, type SuggestInput, type SuggestionDraft } from './suggest.ts';

/** What a tagging run is asked to do: the same shape from the CLI and from HTTP. */
export const RunRequestSchema = z.object({
  provider: z.enum(['openai', 'local']).optional(),
  model: z.string().min(1).optional(),
  /** Defaults to the active codebook. */
  codebookId: z.number().int().positive().optional(),
  promptVersions: z.object({ passage: z.string().optional(), document: z.string().optional() }).optional(),
  levels: z.array(z.enum(['passage', 'document'])).min(1).default(['passage', 'document']),
  /** Empty: everything. Sources and documents narrow; untaggedOnly skips items with any suggestion; sample keeps N at random. */
  selection: z
    .object({
      sourceIds: z.array(z.number().int().positive()).max(MAX_IDS_PER_LIST, tooManyIds()).optional(),
      documentIds: z.array(z.number().int().positive()).max(MAX_IDS_PER_LIST, tooManyIds()).optional(),
      untaggedOnly: z.boolean().optional(),
      sample: z.number().int().positive().optional(),
    })
    .default({}),
  concurrency: z.number().int().min(1).max(256).default(4),
  /** Self-consistency: ask each item this many times and store every answer. */
  repeats: z.number().int().min(1).max(10).default(1),
  /** USD; the run stops (budget_exceeded) before spending more. */
  budgetUsd: z.number().positive().optional(),
  maskOutlet: z.boolean().default(false),
  temperature: z.number().min(0).max(2).optional(),
  /** Attempts per request for 429, 5xx, timeouts and dropped connections. */
  maxAttempts: z.number().int().min(1).max(20).default(5),
  /** ms per request */
  timeoutMs: z.number().int().min(100).max(600_000).default(60_000),
  /** ms; first retry delay, doubled each attempt, with jitter. */
  backoffBaseMs: z.number().int().min(0).max(60_000).default(500),
  responseFormat: z.enum(['auto', 'json_schema', 'json_object']).default('auto'),
  /** Price overrides, USD per 1M tokens by model. */
  prices: z.record(z.string(), z.object({ inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0) })).optional(),
});
export type RunRequest = z.input<typeof RunRequestSchema>;
type RunOptions = z.output<typeof RunRequestSchema>;

/** What the services need from the app: the database, the provider configuration and a clock. */
export interface TaggingDeps {
  db: Db;
  config: Config;
  now: () => Date;
}

interface SelectedItem {
  itemId: number;
  level: Level;
  text: string;
  documentTitle: string;
  sourceName: string;
}

/** Rough tokens for a text (4 characters per token, the usual rule for English). */
const tokensOf = (chars: number) => Math.ceil(chars / 4);
const EXPECTED_OUTPUT_TOKENS = 180;

function codebookRef(row: { definition: CodebookDefinition; version: string; hash: string }): CodebookRef {
  return { definition: row.definition, version: row.version, hash: row.hash };
}

/** The item ids a selection means, without excluded passages, in document order. */
function selectItemIds(db: Db, levels: Level[], sel: RunOptions['selection']): number[] {
  const conditions = [inArray(items.level, levels), eq(items.excluded, false)];
  if (sel.sourceIds?.length) conditions.push(inArray(items.sourceId, sel.sourceIds));
  if (sel.documentIds?.length) conditions.push(inArray(items.documentId, sel.documentIds));
  if (sel.untaggedOnly) conditions.push(eq(items.suggestionCount, 0));
  const where = and(...conditions);
  if (sel.sample) {
    // The stable random key makes a sample reproducible: the same N items every time.
    const sampled = db.select({ id: items.id }).from(items).where(where).orderBy(asc(items.randomKey)).limit(sel.sample).all();
    return sampled.map((r) => r.id).sort((a, b) => a - b);
  }
  return db.select({ id: items.id }).from(items).where(where).orderBy(asc(items.documentId), asc(items.seq)).all().map((r) => r.id);
}

/** Texts and context of items, by id. */
function loadItems(db: Db, ids: number[]): SelectedItem[] {
  const out: SelectedItem[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = db
      .select({
        itemId: items.id,
        level: items.level,
        passageText: passages.text,
        documentText: documents.text,
        documentTitle: documents.title,
        sourceName: sources.name,
      })
      .from(items)
      .innerJoin(documents, eq(documents.id, items.documentId))
      .innerJoin(sources, eq(sources.id, items.sourceId))
      .leftJoin(passages, eq(passages.id, items.passageId))
      .where(inArray(items.id, ids.slice(i, i + 500)))
      .all();
    for (const r of rows) {
      out.push({ itemId: r.itemId, level: r.level, text: r.level === 'passage' ? r.passageText! : r.documentText, documentTitle: r.documentTitle, sourceName: r.sourceName });
    }
  }
  const order = new Map(ids.map((id, i) => [id, i]));
  return out.sort((a, b) => order.get(a.itemId)! - order.get(b.itemId)!);
}

/**
 * Every item with an independent human label under the codebook's labels: what the local
 * baseline learns from (api/items/provenance.ts, the `people` basis). Bulk accepts (the model's
 * own labels endorsed), model suggestions and imported labels (unless the import is marked gold)
 * never enter it, so the model never learns from its own output.
 */
export function reviewedTrainingExamples(db: Db, cb: CodebookDefinition): TrainingExample[] {
  const rows = db
    .select({ itemId: items.id, level: items.level, label: items.independentLabel, stance: items.independentStance, passageText: passages.text, documentText: documents.text })
    .from(items)
    .innerJoin(documents, eq(documents.id, items.documentId))
    .leftJoin(passages, eq(passages.id, items.passageId))
    .where(isNotNull(items.independentLabel))
    .orderBy(asc(items.id))
    .all();
  const themes = new Map<number, string[]>();
  for (const t of db.select().from(itemThemes).where(eq(itemThemes.kind, 'independent')).all()) {
    themes.set(t.itemId, [...(themes.get(t.itemId) ?? []), t.theme]);
  }
  const labelIds = new Set(cb.labels.map((l) => l.id));
  const themeIds = new Set(cb.themes.map((t) => t.id));
  return rows
    .filter((r) => labelIds.has(r.label!))
    .map((r) => ({
      text: r.level === 'passage' ? r.passageText! : r.documentText,
      label: r.label!,
      stance: r.stance,
      themes: (themes.get(r.itemId) ?? []).filter((t) => themeIds.has(t)),
      level: r.level,
    }));
}

const localCache = new WeakMap<Db, Map<string, Provider>>();

/**
 * The local baseline for a codebook, trained on its examples and every reviewed item. It is
 * retrained whenever the reviewed set has changed since the last training (so reviews feed
 * back into the next run), and reused otherwise.
 */
export function localProviderFor(db: Db, cb: CodebookRef): Provider {
  const marker = db
    .select({ n: sql<number>`count(*)`, last: sql<number>`coalesce(max(${items.independentReviewId}), 0)`, v: sql<number>`coalesce(sum(${items.version}), 0)` })
    .from(items)
    .where(isNotNull(items.independentLabel))
    .get()!;
  const key = `${cb.hash}:${marker.n}:${marker.last}:${marker.v}`;
  const cache = localCache.get(db) ?? new Map<string, Provider>();
  localCache.set(db, cache);
  const hit = cache.get(key);
  if (hit) return hit;
  const provider = createProvider({ defaultProvider: 'local' } as Config, { name: 'local', codebook: cb.definition, trainingExamples: reviewedTrainingExamples(db, cb.definition) });
  cache.clear();
  cache.set(key, provider);
  return provider;
}

function providerForRun(deps: TaggingDeps, name: 'openai' | 'local', model: string | undefined, cb: CodebookRef, o: RunOptions): Provider {
  if (name === 'local') {
    if (model && model !== LOCAL_MODEL) throw badRequest(`the local provider has one model, ${LOCAL_MODEL}, not ${model}`, 'unknown_model');
    return localProviderFor(deps.db, cb);
  }
  return createProvider(deps.config, { name, model, temperature: o.temperature, responseFormat: o.responseFormat, timeoutMs: o.timeoutMs, prices: o.prices as Record<string, ModelPrice> | undefined });
}

function inputFor(item: SelectedItem, cb: CodebookRef, o: RunOptions): SuggestInput {
  return {
    codebook: cb,
    level: item.level,
    text: item.text,
    sourceName: item.sourceName,
    documentTitle: item.documentTitle,
    maskOutlet: o.maskOutlet,
    promptVersion: o.promptVersions?.[item.level] ?? DEFAULT_PROMPT_VERSIONS[item.level],
  };
}

function resolve(deps: TaggingDeps, request: RunRequest) {
  const parsed = RunRequestSchema.safeParse(request);
  if (!parsed.success) {
    throw badRequest(zodIssueText(parsed.error, { root: 'request' }), 'invalid_run_request');
  }
  const o = parsed.data;
  const cbRow = o.codebookId ? getCodebook(deps.db, o.codebookId) : getActiveCodebook(deps.db);
  const cb = codebookRef(cbRow);
  const name = o.provider ?? deps.config.defaultProvider;
  const provider = providerForRun(deps, name, o.model, cb, o);
  const prompts = Object.fromEntries(o.levels.map((l) => [l, getPromptTemplate(o.promptVersions?.[l] ?? DEFAULT_PROMPT_VERSIONS[l], l)])) as Partial<Record<Level, ReturnType<typeof getPromptTemplate>>>;
  return { o, cbRow, cb, provider, prompts };
}

/** Counts the items a run would ask about and what it would cost, without asking anything. */
export function estimateRun(deps: TaggingDeps, request: RunRequest): RunEstimate {
  const { o, cb, provider, prompts } = resolve(deps, request);
  const ids = selectItemIds(deps.db, o.levels, o.selection);
  const selected = loadItems(deps.db, ids);
  let cached = 0;
  let requests = 0;
  let tokensIn = 0;
  const cachedKeys = existingCacheKeys(deps.db, ids);
  for (const item of selected) {
    const input = inputFor(item, cb, o);
    let missing = 0;
    for (let s = 0; s < o.repeats; s++) if (!cachedKeys.has(`${item.itemId}:${cacheKeyFor(provider, input, s)}`)) missing++;
    if (missing === 0) cached++;
    requests += missing;
    const promptChars = prompts[item.level]!.template.length + renderCodebookLength(cb);
    tokensIn += missing * tokensOf(promptChars + item.text.length);
  }
  const tokensOut = requests * EXPECTED_OUTPUT_TOKENS;
  return {
    provider: provider.name,
    model: provider.model,
    displayName: provider.displayName,
    items: selected.length,
    passages: selected.filter((i) => i.level === 'passage').length,
    documents: selected.filter((i) => i.level === 'document').length,
    cached,
    requests,
    estimatedTokensIn: provider.name === 'local' ? 0 : tokensIn,
    estimatedTokensOut: provider.name === 'local' ? 0 : tokensOut,
    estimatedCostUsd: provider.name === 'local' ? 0 : costUsd(provider.price, tokensIn, tokensOut),
  };
}

const codebookLengths = new WeakMap<CodebookDefinition, number>();
function renderCodebookLength(cb: CodebookRef): number {
  const known = codebookLengths.get(cb.definition);
  if (known !== undefined) return known;
  const length = renderPrompt(getPromptTemplate(DEFAULT_PROMPT_VERSIONS.passage, 'passage'), { codebook: cb.definition, text: '', maskOutlet: true }).system.length;
  codebookLengths.set(cb.definition, length);
  return length;
}

function existingCacheKeys(db: Db, itemIds: number[]): Set<string> {
  const keys = new Set<string>();
  for (let i = 0; i < itemIds.length; i += 500) {
    const rows = db.select({ itemId: suggestions.itemId, cacheKey: suggestions.cacheKey }).from(suggestions).where(inArray(suggestions.itemId, itemIds.slice(i, i + 500))).all();
    for (const r of rows) keys.add(`${r.itemId}:${r.cacheKey}`);
  }
  return keys;
}

/**
 * Creates a run and materialises its item list in one transaction, so a run killed at any
 * later moment resumes with exactly the same items. Registers the prompt versions it uses
 * (refusing a prompt file changed after use). Does not start asking: see executeRun.
 */
export function createRun(deps: TaggingDeps, request: RunRequest, actor = 'cli'): TaggingRun {
  const { o, cbRow, provider, prompts } = resolve(deps, request);
  const estimate = estimateRun(deps, request);
  if (o.budgetUsd !== undefined && provider.price === null) {
    throw badRequest(`no price is known for model ${provider.model}, so a budget cap cannot be enforced; add it with prices`, 'unknown_price');
  }
  const ids = selectItemIds(deps.db, o.levels, o.selection);
  if (ids.length === 0) throw badRequest('the selection has no items to tag (nothing imported, everything excluded, or everything already tagged)', 'empty_selection');
  const { prices: _prices, ...storedOptions } = o;
  return deps.db.transaction((tx) => {
    for (const p of Object.values(prompts)) registerPromptVersion(tx, p!);
    const run = tx
      .insert(taggingRuns)
      .values({
        status: 'pending',
        provider: provider.name,
        model: provider.model,
        codebookId: cbRow.id,
        promptVersions: Object.fromEntries(Object.entries(prompts).map(([l, p]) => [l, p!.id])),
        selection: o.selection,
        options: { ...storedOptions, ...(o.prices ? { prices: o.prices } : {}), providerParams: provider.params },
        itemsTotal: ids.length,
        estimatedCostUsd: estimate.estimatedCostUsd,
        budgetUsd: o.budgetUsd ?? null,
        createdBy: actor,
        createdAt: deps.now().toISOString(),
      })
      .returning()
      .get();
    for (let i = 0; i < ids.length; i += 500) {
      tx.insert(taggingRunItems)
        .values(ids.slice(i, i + 500).map((itemId) => ({ runId: run.id, itemId })))
        .run();
    }
    audit(tx, { actor, action: 'tagging_run.create', entityType: 'tagging_run', entityId: run.id, after: { provider: run.provider, model: run.model, items: ids.length, selection: o.selection, levels: o.levels } });
    return run;
  });
}

/** Live runs in this process: their cancel switch and progress events. */
interface ActiveRun {
  controller: AbortController;
  events: EventEmitter;
  done: Promise<TaggingRun>;
}
const active = new Map<number, ActiveRun>();

/** True when this process is working on the run. */
export function isRunActive(runId: number): boolean {
  return active.has(runId);
}

/** Subscribes to a run's progress; returns the unsubscribe function (a no-op when the run is not live here). */
export function onRunProgress(runId: number, listener: (p: RunProgress) => void): () => void {
  const run = active.get(runId);
  if (!run) return () => {};
  run.events.on('progress', listener);
  return () => run.events.off('progress', listener);
}

/** Asks a live run to stop; in-flight requests are aborted and their items stay pending for a resume. */
export function cancelRun(deps: TaggingDeps, runId: number, actor = 'cli'): TaggingRun {
  const run = getRun(deps.db, runId);
  const live = active.get(runId);
  if (live) {
    live.controller.abort();
    return run;
  }
  if (run.status === 'completed' || run.status === 'cancelled') return run;
  return deps.db.transaction((tx) => {
    audit(tx, { actor, action: 'tagging_run.cancel', entityType: 'tagging_run', entityId: runId });
    return tx.update(taggingRuns).set({ status: 'cancelled', finishedAt: deps.now().toISOString() }).where(eq(taggingRuns.id, runId)).returning().get();
  });
}

export function getRun(db: Db, runId: number): TaggingRun {
  const run = db.select().from(taggingRuns).where(eq(taggingRuns.id, runId)).get();
  if (!run) throw notFound(`tagging run ${runId} not found`);
  return run;
}

/** Runs, newest first. */
export function listRuns(db: Db, limit = 50): TaggingRun[] {
  return db.select().from(taggingRuns).orderBy(desc(taggingRuns.id)).limit(limit).all();
}

/** The run's items that failed, with their reasons. */
export function runFailures(db: Db, runId: number) {
  return db
    .select({ itemId: taggingRunItems.itemId, errorKind: taggingRunItems.errorKind, error: taggingRunItems.error, attempts: taggingRunItems.attempts })
    .from(taggingRunItems)
    .where(and(eq(taggingRunItems.runId, runId), eq(taggingRunItems.status, 'failed')))
    .orderBy(asc(taggingRunItems.itemId))
    .all();
}

/** ms without a heartbeat after which a `running` run is taken to be dead (killed) and may be resumed. */
export const HEARTBEAT_STALE_MS = 4_000;
const HEARTBEAT_EVERY_MS = 1_000;

export function progressOf(run: TaggingRun, ratePerSec = 0): RunProgress {
  const processed = run.itemsDone + run.itemsFailed + run.itemsCached;
  const remaining = run.itemsTotal - processed;
  return {
    runId: run.id,
    status: run.status,
    provider: run.provider,
    model: run.model,
    itemsTotal: run.itemsTotal,
    itemsDone: run.itemsDone,
    itemsFailed: run.itemsFailed,
    itemsCached: run.itemsCached,
    costUsd: run.costUsd,
    ratePerSec,
    etaSec: ratePerSec > 0 ? remaining / ratePerSec : null,
    error: run.error,
  };
}

/**
 * Checks a run can be (re)started here: not finished, not live in this process, and, if
 * marked running, its heartbeat stale (its process was killed).
 */
function claimRun(deps: TaggingDeps, runId: number): TaggingRun {
  const run = getRun(deps.db, runId);
  if (active.has(runId)) throw conflict(`tagging run ${runId} is already running`, 'run_active');
  if (run.status === 'completed') throw conflict(`tagging run ${runId} is already completed`, 'run_completed');
  if (run.status === 'running' && run.heartbeatAt && deps.now().getTime() - Date.parse(run.heartbeatAt) < HEARTBEAT_STALE_MS) {
    throw conflict(`tagging run ${runId} is running in another process (heartbeat ${run.heartbeatAt}); try again in a few seconds if that process was killed`, 'run_active');
  }
  return run;
}

/** Waits until a killed run's heartbeat is stale, then claims it. */
export async function claimRunWhenStale(deps: TaggingDeps, runId: number): Promise<TaggingRun> {
  const deadline = Date.now() + HEARTBEAT_STALE_MS + 1_000;
  for (;;) {
    try {
      return claimRun(deps, runId);
    } catch (err) {
      const run = getRun(deps.db, runId);
      if (Date.now() > deadline || active.has(runId) || run.status !== 'running') throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export interface ExecuteHooks {
  onProgress?: (p: RunProgress) => void;
  /** Cancels the run (e.g. on Ctrl-C); items in flight stay pending for a resume. */
  signal?: AbortSignal;
}

/**
 * Works through a run's pending items with its provider: concurrency with adaptive 429
 * back-off, retries with exponential backoff and jitter, per-request timeouts, the cache,
 * the budget cap and cancellation. Each item's suggestions, its run-item status and the run's
 * counters are written in one transaction, so a kill at any moment loses nothing and never
 * stores an item twice; `resumeRun` picks up the pending rest. Resolves with the final run row.
 */
export async function executeRun(deps: TaggingDeps, runId: number, hooks: ExecuteHooks = {}): Promise<TaggingRun> {
  const claimed = claimRun(deps, runId);
  const controller = new AbortController();
  // Every request in flight listens on the run's signal.
  setMaxListeners(0, controller.signal);
  const events = new EventEmitter();
  events.setMaxListeners(100);
  let resolveDone!: (r: TaggingRun) => void;
  const done = new Promise<TaggingRun>((r) => (resolveDone = r));
  active.set(runId, { controller, events, done });
  hooks.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  try {
    const finished = await work(deps, claimed, controller, events, hooks);
    resolveDone(finished);
    return finished;
  } finally {
    active.delete(runId);
    events.emit('end');
  }
}

/** Starts a run in the background of this process (the server's way); resolves at once with the row. */
export function startRunInBackground(deps: TaggingDeps, runId: number): TaggingRun {
  const run = claimRun(deps, runId);
  executeRun(deps, runId).catch((err: unknown) => {
    console.error(`tagging run ${runId} failed:`, err);
  });
  return { ...run, status: 'running' };
}

/** Resumes a run in the background of this process (the server's way), optionally with a new budget. */
export async function resumeRunInBackground(deps: TaggingDeps, runId: number, budgetUsd?: number): Promise<TaggingRun> {
  await claimRunWhenStale(deps, runId);
  if (budgetUsd !== undefined) deps.db.update(taggingRuns).set({ budgetUsd }).where(eq(taggingRuns.id, runId)).run();
  return startRunInBackground(deps, runId);
}

/** Resumes a stopped, cancelled, budget-stopped or killed run with its pending items. */
export async function resumeRun(deps: TaggingDeps, runId: number, hooks: ExecuteHooks = {}, budgetUsd?: number): Promise<TaggingRun> {
  await claimRunWhenStale(deps, runId);
  if (budgetUsd !== undefined) deps.db.update(taggingRuns).set({ budgetUsd }).where(eq(taggingRuns.id, runId)).run();
  return executeRun(deps, runId, hooks);
}

async function work(deps: TaggingDeps, claimed: TaggingRun, controller: AbortController, events: EventEmitter, hooks: ExecuteHooks): Promise<TaggingRun> {
  const { db } = deps;
  const runId = claimed.id;
  const o = RunRequestSchema.parse(claimed.options);
  const cbRow = getCodebook(db, claimed.codebookId);
  const cb = codebookRef(cbRow);
  const provider = providerForRun(deps, claimed.provider as 'openai' | 'local', claimed.model, cb, o);
  const nowIso = () => deps.now().toISOString();
  db.update(taggingRuns)
    .set({ status: 'running', startedAt: claimed.startedAt ?? nowIso(), heartbeatAt: nowIso(), finishedAt: null, error: null })
    .where(eq(taggingRuns.id, runId))
    .run();

  const startedMs = Date.now();
  let processedHere = 0;
  const emit = () => {
    const elapsed = (Date.now() - startedMs) / 1000;
    const p = progressOf(getRun(db, runId), elapsed > 0 ? processedHere / elapsed : 0);
    hooks.onProgress?.(p);
    events.emit('progress', p);
  };
  const heartbeat = setInterval(() => {
    db.update(taggingRuns).set({ heartbeatAt: nowIso() }).where(eq(taggingRuns.id, runId)).run();
    emit();
  }, HEARTBEAT_EVERY_MS);

  const gate = new AdaptiveGate(o.concurrency);
  const perItemEstimate = provider.price
    ? (costUsd(provider.price, tokensOf(renderCodebookLength(cb) + 2_000), EXPECTED_OUTPUT_TOKENS) ?? 0) * o.repeats
    : 0;
  // The row's budget, not the options': a resume may raise it.
  const budgetUsd = claimed.budgetUsd;
  let spentUsd = claimed.costUsd;
  let reservedUsd = 0;
  let budgetHit = false;
  let fatal: Error | null = null;

  interface Prepared {
    item: SelectedItem;
    input: SuggestInput;
    keys: string[];
    /** Stored suggestions per cache key (any item): the cache. */
    stored: Map<string, { id: number; itemId: number }[]>;
  }
  // Pending items are read in pages so a run over a million passages never holds them all;
  // each page's cache lookups are one query instead of one per item.
  let cursor = 0;
  let buffer: Prepared[] = [];
  const nextItem = (): Prepared | null => {
    if (buffer.length === 0) {
      const page = db
        .select({ id: taggingRunItems.id, itemId: taggingRunItems.itemId })
        .from(taggingRunItems)
        .where(and(eq(taggingRunItems.runId, runId), eq(taggingRunItems.status, 'pending'), gt(taggingRunItems.id, cursor)))
        .orderBy(asc(taggingRunItems.id))
        .limit(500)
        .all();
      if (page.length === 0) return null;
      cursor = page.at(-1)!.id;
      buffer = loadItems(db, page.map((p) => p.itemId)).map((item) => {
        const input = inputFor(item, cb, o);
        return { item, input, keys: Array.from({ length: o.repeats }, (_, s) => cacheKeyFor(provider, input, s)), stored: new Map() };
      });
      const byKey = new Map<string, { id: number; itemId: number }[]>();
      const allKeys = [...new Set(buffer.flatMap((b) => b.keys))];
      for (let i = 0; i < allKeys.length; i += 500) {
        const rows = db
          .select({ id: suggestions.id, itemId: suggestions.itemId, cacheKey: suggestions.cacheKey })
          .from(suggestions)
          .where(inArray(suggestions.cacheKey, allKeys.slice(i, i + 500)))
          .orderBy(asc(suggestions.id))
          .all();
        for (const r of rows) byKey.set(r.cacheKey, [...(byKey.get(r.cacheKey) ?? []), r]);
      }
      for (const b of buffer) for (const k of b.keys) if (byKey.has(k)) b.stored.set(k, byKey.get(k)!);
    }
    return buffer.shift() ?? null;
  };

  interface Outcome {
    itemId: number;
    drafts: { draft: SuggestionDraft; sampleIndex: number; cacheKey: string }[];
    failure: { errorKind: string; error: string } | null;
    attempts: number;
    failedCost: number;
    cachedAll: boolean;
  }
  // Outcomes are written in batches: one transaction per batch (each item's suggestions and
  // its run-item status always together), flushed every FLUSH_EVERY_MS or FLUSH_AT items. A
  // kill loses only unflushed answers, whose items are still pending and are asked again.
  const FLUSH_AT = 64;
  // The hot writes as statements prepared once: building and compiling them per item cost
  // more than the rest of an item's work (the columns are those of db/schema/suggestions.ts
  // and taggingRuns.ts).
  const statements = {
    insertSuggestion: db.$client.prepare(
      `INSERT INTO suggestions (item_id, run_id, codebook_id, label, stance, themes, confidence, rationale, evidence, substantive, provider, model,
         prompt_version, prompt_hash, codebook_version, codebook_hash, params, outlet_masked, sample_index, tokens_in, tokens_out, cost_usd,
         latency_ms, request_id, raw_response, cache_key, created_at)
       VALUES (@itemId, @runId, @codebookId, @label, @stance, @themes, @confidence, @rationale, @evidence, @substantive, @provider, @model,
         @promptVersion, @promptHash, @codebookVersion, @codebookHash, @params, @outletMasked, @sampleIndex, @tokensIn, @tokensOut, @costUsd,
         @latencyMs, @requestId, @rawResponse, @cacheKey, @createdAt)`,
    ),
    insertTheme: db.$client.prepare('INSERT OR IGNORE INTO suggestion_themes (suggestion_id, theme) VALUES (?, ?)'),
    finishRunItem: db.$client.prepare('UPDATE tagging_run_items SET status = ?, attempts = ?, error_kind = ?, error = ?, updated_at = ? WHERE run_id = ? AND item_id = ?'),
  };
  const FLUSH_EVERY_MS = 100;
  let outcomes: Outcome[] = [];
  const flush = () => {
    if (outcomes.length === 0) return;
    const batch = outcomes;
    outcomes = [];
    db.transaction((tx) => {
      const totals = { done: 0, failed: 0, cached: 0, tokensIn: 0, tokensOut: 0, cost: 0 };
      for (const out of batch) {
        for (const { draft, sampleIndex, cacheKey } of out.drafts) {
          const id = Number(
            statements.insertSuggestion.run({
              itemId: out.itemId,
              runId,
              codebookId: cbRow.id,
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
              createdAt: nowIso(),
            }).lastInsertRowid,
          );
          for (const theme of draft.themes) statements.insertTheme.run(id, theme);
          const row = { id };
          applySuggestion(tx, row.id, deps.now());
          totals.cost += draft.costUsd ?? 0;
          totals.tokensIn += draft.tokensIn ?? 0;
          totals.tokensOut += draft.tokensOut ?? 0;
        }
        totals.cost += out.failedCost;
        const status = out.failure ? 'failed' : out.cachedAll ? 'cached' : 'done';
        totals[status === 'done' ? 'done' : status === 'failed' ? 'failed' : 'cached']++;
        statements.finishRunItem.run(status, out.attempts, out.failure?.errorKind ?? null, out.failure?.error ?? null, nowIso(), runId, out.itemId);
      }
      tx.update(taggingRuns)
        .set({
          itemsDone: sql`${taggingRuns.itemsDone} + ${totals.done}`,
          itemsFailed: sql`${taggingRuns.itemsFailed} + ${totals.failed}`,
          itemsCached: sql`${taggingRuns.itemsCached} + ${totals.cached}`,
          tokensIn: sql`${taggingRuns.tokensIn} + ${totals.tokensIn}`,
          tokensOut: sql`${taggingRuns.tokensOut} + ${totals.tokensOut}`,
          costUsd: sql`${taggingRuns.costUsd} + ${totals.cost}`,
        })
        .where(eq(taggingRuns.id, runId))
        .run();
    });
  };
  const record = (out: Outcome) => {
    outcomes.push(out);
    spentUsd += out.failedCost + out.drafts.reduce((n, d) => n + (d.draft.costUsd ?? 0), 0);
    if (outcomes.length >= FLUSH_AT) flush();
  };

  const worker = async () => {
    for (;;) {
      if (controller.signal.aborted || budgetHit || fatal) return;
      if (budgetUsd !== null && spentUsd + reservedUsd + perItemEstimate > budgetUsd) {
        budgetHit = true;
        return;
      }
      const next = nextItem();
      if (!next) return;
      reservedUsd += perItemEstimate;
      try {
        await tagItem(next);
      } catch (err) {
        fatal = err as Error;
      } finally {
        reservedUsd -= perItemEstimate;
      }
      processedHere++;
    }
  };

  const answeredHere = new Map<string, { draft: SuggestionDraft; itemId: number }>();
  const tagItem = async ({ item, input, keys, stored }: Prepared) => {
    const out: Outcome = { itemId: item.itemId, drafts: [], failure: null, attempts: 0, failedCost: 0, cachedAll: true };
    for (let s = 0; s < o.repeats; s++) {
      const cacheKey = keys[s]!;
      const hits = stored.get(cacheKey) ?? [];
      if (hits.some((r) => r.itemId === item.itemId)) continue;
      out.cachedAll = false;
      if (hits.length > 0) {
        // The same text, asked the same way, for another item: reuse the stored answer.
        const src = db.select().from(suggestions).where(eq(suggestions.id, hits[0]!.id)).get()!;
        const draft: SuggestionDraft = {
          ...src,
          provider: src.provider as Provider['name'],
          rationale: src.rationale ?? '',
          params: { ...(src.params as Record<string, unknown>), copiedFromSuggestion: src.id },
          costUsd: 0,
          tokensIn: 0,
          tokensOut: 0,
          latencyMs: 0,
          rawResponse: src.rawResponse ?? '',
        };
        out.drafts.push({ draft, sampleIndex: s, cacheKey });
        continue;
      }
      const earlier = answeredHere.get(cacheKey);
      if (earlier) {
        // Answered earlier in this run for another item with the same text (maybe not yet flushed).
        out.drafts.push({ draft: { ...earlier.draft, params: { ...earlier.draft.params, copiedFromItem: earlier.itemId }, costUsd: 0, tokensIn: 0, tokensOut: 0, latencyMs: 0 }, sampleIndex: s, cacheKey });
        continue;
      }
      const result = await suggestForText(provider, input, { signal: controller.signal, timeoutMs: o.timeoutMs, maxAttempts: o.maxAttempts, backoffBaseMs: o.backoffBaseMs, gate });
      out.attempts += result.attempts;
      if (result.ok) {
        answeredHere.set(cacheKey, { draft: result.suggestion, itemId: item.itemId });
        // Bounded: older answers are flushed by now and found through the stored cache instead.
        if (answeredHere.size > 5_000) answeredHere.delete(answeredHere.keys().next().value!);
        out.drafts.push({ draft: result.suggestion, sampleIndex: s, cacheKey });
      } else {
        out.failedCost += result.costUsd ?? 0;
        if (result.errorKind === 'cancelled') return; // stays pending for a resume
        out.failure = { errorKind: result.errorKind, error: result.error };
        break;
      }
    }
    record(out);
  };

  const flushTimer = setInterval(flush, FLUSH_EVERY_MS);
  let lastEmit = 0;
  const progressTimer = setInterval(() => {
    if (processedHere !== lastEmit) {
      lastEmit = processedHere;
      emit();
    }
  }, 200);
  try {
    await Promise.all(Array.from({ length: o.concurrency }, worker));
  } finally {
    clearInterval(heartbeat);
    clearInterval(progressTimer);
    clearInterval(flushTimer);
    flush();
  }
  const fatalError = fatal as Error | null;
  const status: TaggingRun['status'] = fatalError ? 'failed' : controller.signal.aborted ? 'cancelled' : budgetHit ? 'budget_exceeded' : 'completed';
  const final = db.transaction((tx) => {
    audit(tx, { actor: 'system', action: `tagging_run.${status}`, entityType: 'tagging_run', entityId: runId, details: fatalError ? { error: fatalError.message } : null });
    return tx
      .update(taggingRuns)
      .set({
        status,
        finishedAt: nowIso(),
        heartbeatAt: nowIso(),
        error: fatalError ? fatalError.message : budgetHit ? `budget of $${budgetUsd} reached; resume with a higher budget to continue` : null,
      })
      .where(eq(taggingRuns.id, runId))
      .returning()
      .get();
  });
  const elapsed = (Date.now() - startedMs) / 1000;
  const p = progressOf(final, elapsed > 0 ? processedHere / elapsed : 0);
  hooks.onProgress?.(p);
  events.emit('progress', p);
  return final;
}

/** Every suggestion of an item with its provenance, newest first. */
export function itemSuggestions(db: Db, itemId: number) {
  const item = db.select({ id: items.id }).from(items).where(eq(items.id, itemId)).get();
  if (!item) throw notFound(`item ${itemId} not found`);
  return db.select().from(suggestions).where(eq(suggestions.itemId, itemId)).orderBy(desc(suggestions.id)).all();
}
