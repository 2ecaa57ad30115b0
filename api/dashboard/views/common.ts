import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { getActiveCodebook, getCodebook } from '../../codebooks/service.ts';
import { basisStatement, BASES } from '../../items/provenance.ts';
import { inList, type DashboardFilters } from '../filters.ts';

/** Sources with fewer counted items or documents than this are flagged as small, never hidden. */
export const SMALL_ITEMS = 30;
export const SMALL_DOCUMENTS = 5;

/** The codebook a view's labels and themes come from. */
export const CodebookViewSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    version: z.string(),
    labels: z.array(z.object({ id: z.string(), name: z.string() })),
    themes: z.array(z.object({ id: z.string(), name: z.string() })),
    stance: z.object({ min: z.number().int(), max: z.number().int(), target: z.string() }),
  })
  .meta({ id: 'DashboardCodebook' });
export type CodebookView = z.infer<typeof CodebookViewSchema>;

export const LevelSchema = z.enum(['passage', 'document']);
export const StatementSchema = z.string().meta({ description: 'Where the numbers come from (model, people, or final)' });

/** What every view states about its numbers. */
export const ViewHeaderSchema = z.object({
  /** people-bulk: the people basis with bulk accepts and imported labels included (includeBulk=1). */
  basis: z.enum(BASES),
  statement: StatementSchema,
  level: LevelSchema,
  codebook: CodebookViewSchema,
  /** The grouping rows stand for (country, language or a named grouping); null: one row per source. */
  groupBy: z.string().nullable(),
  /** Sources (or groups) beyond `top` summed in the others row; 0 when every one has its row. */
  others: z.number().int(),
});
export type ViewHeader = z.infer<typeof ViewHeaderSchema>;

/** label id → count, and label id → share of the counted items. */
export const CountsSchema = z.record(z.string(), z.number().int());
export const SharesSchema = z.record(z.string(), z.number());

/** The codebook the filters name, or the active one. */
export function codebookFor(db: Db, f: DashboardFilters): CodebookView {
  const cb = f.codebookId === null ? getActiveCodebook(db) : getCodebook(db, f.codebookId);
  const def = cb.definition;
  return {
    id: cb.id,
    name: def.name,
    version: def.version,
    labels: def.labels.map((l) => ({ id: l.id, name: l.name })),
    themes: def.themes.map((t) => ({ id: t.id, name: t.name })),
    stance: { min: def.stance.min, max: def.stance.max, target: def.stance.target },
  };
}

export function header(db: Db, f: DashboardFilters): ViewHeader {
  return { basis: f.basis, statement: basisStatement(f.basis), level: f.level, codebook: codebookFor(db, f), groupBy: f.groupBy, others: 0 };
}

/** Source names by id (of every source, or of these ids only): views aggregate by id and name the rows at the end. */
export function sourceNames(db: Db, ids: readonly number[] | null = null): (id: number) => string {
  const rows =
    ids === null
      ? db.all<{ id: number; name: string }>(sql`SELECT id, name FROM sources`)
      : ids.length === 0
        ? []
        : db.all<{ id: number; name: string }>(sql`SELECT id, name FROM sources WHERE id IN ${inList(ids)}`);
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return (id) => names.get(id) ?? `source ${id}`;
}

/** Rows by source name, as every per-source view lists them. */
export const bySource = (a: { source: string }, b: { source: string }) => a.source.localeCompare(b.source);

/** Per-label columns c0, c1, ... (in codebook order), each `count(labelId)` as SQL. */
export type LabelColumns = Record<`c${number}`, number>;

/** `count(label) AS c0, ...` for the codebook's labels, in order: a pivot done in SQL. */
export function labelColumns(labels: readonly { id: string }[], count: (labelId: string) => SQL): SQL {
  return sql.join(
    labels.map((l, k) => sql`${count(l.id)} AS ${sql.raw(`c${k}`)}`),
    sql`, `,
  );
}

/** The label columns of a row, as counts in codebook order. */
export const labelCounts = (row: LabelColumns, labels: readonly unknown[]): number[] => labels.map((_, k) => row[`c${k}`] ?? 0);

/** Counts and shares of `counted` by label id, from label columns (thousands of timeline rows: plain loops). */
export function labelShares(row: LabelColumns, labels: readonly { id: string }[], counted: number): { counts: Record<string, number>; shares: Record<string, number> } {
  const counts: Record<string, number> = {};
  const shares: Record<string, number> = {};
  for (let k = 0; k < labels.length; k++) {
    const n = row[`c${k}`] ?? 0;
    counts[labels[k]!.id] = n;
    shares[labels[k]!.id] = n / counted;
  }
  return { counts, shares };
}
