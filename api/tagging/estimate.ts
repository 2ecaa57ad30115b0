import { and, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { items } from '../../db/schema/index.ts';
import type { CodebookDefinition } from '../codebooks/definition.ts';
import { costUsd } from '../providers/prices.ts';
import { DEFAULT_PROMPT_VERSIONS, getPromptTemplate, renderPrompt, type Level } from './prompts.ts';
import { resolvePlan, type RunPlan, type RunRequest, type TaggingDeps } from './request.ts';
import type { RunEstimate } from './schemas.ts';
import { sampleSubquery, selectionConditions, sizeSelection, type LevelCounts } from './selection.ts';
import { dialectFor, jsonKeyIs } from '../../db/sqlDialect.ts';

/** Rough tokens for a number of characters (4 characters per token, the usual rule for English). */
export const tokensOf = (chars: number) => Math.ceil(chars / 4);
/** Tokens a typical answer takes. */
export const EXPECTED_OUTPUT_TOKENS = 180;

const codebookLengths = new WeakMap<CodebookDefinition, number>();
/** Characters the codebook adds to every prompt. */
export function renderedCodebookLength(definition: CodebookDefinition): number {
  const known = codebookLengths.get(definition);
  if (known !== undefined) return known;
  const length = renderPrompt(getPromptTemplate(DEFAULT_PROMPT_VERSIONS.passage, 'passage'), { codebook: definition, text: '', maskOutlet: true }).system.length;
  codebookLengths.set(definition, length);
  return length;
}

/** SQLite binds numbers, strings and null; booleans are stored in JSON and read back as 1 and 0. */
const bindable = (v: unknown): number | string | null | undefined =>
  typeof v === 'boolean' ? Number(v) : typeof v === 'number' || typeof v === 'string' ? v : v === null || v === undefined ? null : undefined;

/**
 * The selected items already answered for every repeat by the same provider, model, prompt
 * (version and hash), codebook, outlet masking and parameters. Driven from that model's own
 * suggestions (suggestions_model_idx), so it reads nothing for a model that never ran.
 */
function cachedCounts(db: Db, plan: RunPlan, sample: number | null): LevelCounts {
  const { provider, options, codebook, prompts } = plan;
  const promptIds = Object.values(prompts).map((p) => p!.id);
  const promptHashes = Object.values(prompts).map((p) => p!.hash);
  const params = Object.entries(provider.params).flatMap(([k, v]) => {
    const b = bindable(v);
    return b === undefined || !/^\w+$/.test(k) ? [] : [jsonKeyIs(dialectFor(db), sql`s.params`, k, b)];
  });
  const answered = sql`SELECT s.item_id FROM suggestions s
    WHERE s.provider = ${provider.name} AND s.model = ${provider.model} AND s.prompt_version IN ${promptIds} AND s.prompt_hash IN ${promptHashes}
      AND s.codebook_hash = ${codebook.hash} AND s.outlet_masked = ${Number(options.maskOutlet)} AND s.sample_index < ${options.repeats}
      ${params.length ? sql`AND ${sql.join(params, sql` AND `)}` : sql``}
    GROUP BY s.item_id HAVING count(DISTINCT s.sample_index) = ${options.repeats}`;
  const conditions = [...selectionConditions(options.levels, options.selection), sql`${items.id} IN (${answered})`];
  if (sample !== null) conditions.push(sql`${items.id} IN (${sampleSubquery(options.levels, options.selection, sample)})`);
  const out: LevelCounts = { passage: { n: 0, chars: 0 }, document: { n: 0, chars: 0 } };
  const rows = db
    .select({ level: items.level, n: sql<number>`count(*)`, chars: sql<number>`coalesce(sum(${items.chars}), 0)` })
    .from(items)
    .where(and(...conditions))
    .groupBy(items.level)
    .all();
  for (const r of rows) out[r.level] = { n: r.n, chars: r.chars };
  return out;
}

/** Estimates a resolved plan: counts from SQL aggregates, tokens from stored character counts. */
export function estimatePlan(db: Db, plan: RunPlan): RunEstimate {
  const { provider, options, codebook, prompts } = plan;
  const size = sizeSelection(db, options.levels, options.selection);
  const cached = cachedCounts(db, plan, size.sample);
  let requests = 0;
  let tokensIn = 0;
  for (const level of options.levels as Level[]) {
    const missing = size.counts[level].n - cached[level].n;
    const missingChars = size.counts[level].chars - cached[level].chars;
    const promptChars = prompts[level]!.template.length + renderedCodebookLength(codebook.definition);
    requests += missing * options.repeats;
    tokensIn += tokensOf((missing * promptChars + missingChars) * options.repeats);
  }
  const tokensOut = requests * EXPECTED_OUTPUT_TOKENS;
  const local = provider.name === 'local';
  // A batch run is priced at the batch price (null without a Batch API: createRun refuses it).
  const price = options.batch ? (provider.batch?.price ?? null) : provider.price;
  return {
    provider: provider.name,
    model: provider.model,
    displayName: provider.displayName,
    items: size.counts.passage.n + size.counts.document.n,
    passages: size.counts.passage.n,
    documents: size.counts.document.n,
    cached: cached.passage.n + cached.document.n,
    requests,
    estimatedTokensIn: local ? 0 : tokensIn,
    estimatedTokensOut: local ? 0 : tokensOut,
    estimatedCostUsd: local ? 0 : costUsd(price, tokensIn, tokensOut),
  };
}

/** Counts the items a run would ask about and what it would cost, without asking or reading any text. */
export function estimateRun(deps: TaggingDeps, request: RunRequest): RunEstimate {
  return estimatePlan(deps.db, resolvePlan(deps, request));
}
