import type Database from 'better-sqlite3';
import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { items, taggingRunItems, taggingRuns } from '../../db/schema/index.ts';
import type { Level } from './prompts.ts';
import type { RunOptions } from './request.ts';
import { dialectFor, jsonArrayValuesText } from '../../db/sqlDialect.ts';

/**
 * Which items a run asks about: the selection as SQL, its counts for the estimate (from the
 * item_totals rollup, never from the texts), and its materialisation into the run's item list
 * in short batches.
 */

type Selection = RunOptions['selection'];

/** The selection's conditions on `items` (excluded passages never count). */
export function selectionConditions(levels: Level[], sel: Selection): SQL[] {
  const conditions = [inArray(items.level, levels), eq(items.excluded, false)];
  if (sel.sourceIds?.length) conditions.push(inArray(items.sourceId, sel.sourceIds));
  if (sel.documentIds?.length) conditions.push(inArray(items.documentId, sel.documentIds));
  if (sel.untaggedOnly) conditions.push(eq(items.suggestionCount, 0));
  if (sel.comparisonId !== undefined) conditions.push(sql`${items.id} IN (SELECT item_id FROM model_comparison_items WHERE comparison_id = ${sel.comparisonId})`);
  return conditions;
}

/** Items and characters per level. */
export interface LevelCounts {
  passage: { n: number; chars: number };
  document: { n: number; chars: number };
}

const emptyCounts = (): LevelCounts => ({ passage: { n: 0, chars: 0 }, document: { n: 0, chars: 0 } });

function countsOf(rows: { level: Level; n: number; chars: number }[]): LevelCounts {
  const out = emptyCounts();
  for (const r of rows) out[r.level] = { n: Number(r.n), chars: Number(r.chars) };
  return out;
}

/** The whole selection (before sampling), from the rollup unless documents are named. */
function selectionTotals(db: Db, levels: Level[], sel: Selection): LevelCounts {
  if (sel.documentIds?.length || sel.comparisonId !== undefined) {
    // Named documents or a comparison's stored sample: their own items (bounded by the request or the sample).
    return countsOf(
      db
        .select({ level: items.level, n: sql<number>`count(*)`, chars: sql<number>`coalesce(sum(${items.chars}), 0)` })
        .from(items)
        .where(and(...selectionConditions(levels, sel)))
        .groupBy(items.level)
        .all(),
    );
  }
  const where = [sql`level IN ${levels}`];
  if (sel.sourceIds?.length) where.push(sql`source_id IN ${sel.sourceIds}`);
  if (sel.untaggedOnly) where.push(sql`tagged = 0`);
  return countsOf(db.all<{ level: Level; n: number; chars: number }>(sql`SELECT level, sum(n) AS n, sum(chars) AS chars FROM item_totals WHERE ${sql.join(where, sql` AND `)} GROUP BY level`));
}

/** The sampled items' ids as a subquery: the N lowest stable random keys of the selection. */
export function sampleSubquery(levels: Level[], sel: Selection, sample: number): SQL {
  return sql`SELECT ${items.id} FROM ${items} WHERE ${and(...selectionConditions(levels, sel))} ORDER BY ${items.randomKey} LIMIT ${sample}`;
}

/** What a selection holds: counts per level, and whether it is a true sample (fewer than all). */
export interface SelectionSize {
  counts: LevelCounts;
  /** The sample size when it is smaller than the selection; null when every item is taken. */
  sample: number | null;
}

/**
 * Counts a selection without reading any text. A sample at least as large as the selection
 * is the whole selection; a smaller one is counted over its items' stable random keys.
 */
export function sizeSelection(db: Db, levels: Level[], sel: Selection): SelectionSize {
  const totals = selectionTotals(db, levels, sel);
  const all = totals.passage.n + totals.document.n;
  if (!sel.sample || sel.sample >= all) return { counts: totals, sample: null };
  const rows = db.all<{ level: Level; n: number; chars: number }>(
    sql`SELECT ${items.level} AS level, count(*) AS n, coalesce(sum(${items.chars}), 0) AS chars FROM ${items} WHERE ${items.id} IN (${sampleSubquery(levels, sel, sel.sample)}) GROUP BY ${items.level}`,
  );
  return { counts: countsOf(rows), sample: sel.sample };
}

/** Items a batch of the item list holds: a short write transaction, so reviewers' writes never wait long. */
const SELECT_BATCH = 20_000;

/**
 * Writes the run's item list in batches, in item (document) order, so a run over a million
 * passages never holds the write lock for long. A run interrupted while selecting carries on
 * after the last item written. Marks the list complete and records its size.
 */
export async function materialiseRunItems(
  db: Db,
  run: { id: number },
  options: Pick<RunOptions, 'levels' | 'selection'>,
  hooks: { signal: AbortSignal; yield: () => Promise<void>; onProgress: (selected: number) => void; now: () => Date },
): Promise<'done' | 'aborted'> {
  const client: Database.Database = db.$client;
  const insert = client.prepare(`INSERT INTO tagging_run_items (run_id, item_id) SELECT CAST(? AS INTEGER), value FROM (${jsonArrayValuesText(dialectFor(client), '?', 'integer')}) AS ids WHERE TRUE ON CONFLICT DO NOTHING`);
  const writeBatch = (ids: number[]) => client.transaction(() => insert.run(run.id, JSON.stringify(ids))).immediate();
  let selected = db.select({ n: sql<number>`count(*)` }).from(taggingRunItems).where(eq(taggingRunItems.runId, run.id)).get()!.n;
  const conditions = selectionConditions(options.levels, options.selection);
  const sample = options.selection.sample;
  if (sample) {
    // A sample is recomputed (the same stable keys give the same items) and written again; items already there are kept.
    const ids = db.all<{ id: number }>(sampleSubquery(options.levels, options.selection, sample)).map((r) => r.id).sort((a, b) => a - b);
    for (let i = 0; i < ids.length; i += SELECT_BATCH) {
      if (hooks.signal.aborted) return 'aborted';
      writeBatch(ids.slice(i, i + SELECT_BATCH));
      hooks.onProgress(Math.min(ids.length, i + SELECT_BATCH));
      await hooks.yield();
    }
    selected = ids.length;
  } else {
    let cursor = db.select({ last: sql<number>`coalesce(max(${taggingRunItems.itemId}), 0)` }).from(taggingRunItems).where(eq(taggingRunItems.runId, run.id)).get()!.last;
    for (;;) {
      if (hooks.signal.aborted) return 'aborted';
      const ids = db
        .select({ id: items.id })
        .from(items)
        .where(and(...conditions, gt(items.id, cursor)))
        .orderBy(asc(items.id))
        .limit(SELECT_BATCH)
        .all()
        .map((r) => r.id);
      if (ids.length === 0) break;
      writeBatch(ids);
      cursor = ids.at(-1)!;
      selected += ids.length;
      hooks.onProgress(selected);
      await hooks.yield();
    }
  }
  const total = db.select({ n: sql<number>`count(*)` }).from(taggingRunItems).where(eq(taggingRunItems.runId, run.id)).get()!.n;
  db.update(taggingRuns).set({ itemsTotal: total, itemsSelectedAt: hooks.now().toISOString() }).where(eq(taggingRuns.id, run.id)).run();
  return 'done';
}
