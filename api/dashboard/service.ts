import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { CodebookDefinition } from '../codebooks/definition.ts';
import { getActiveCodebook, getCodebook } from '../codebooks/service.ts';
import { bootstrapInterval, type Interval } from '../metrics/bootstrap.ts';
import { cohenKappa } from '../metrics/agreement.ts';
import { correctedEstimate, CorrectedEstimateSchema, normalQuantile, type CorrectionSums } from './corrected.ts';
import {
  basisSql,
  basisStatement,
  IN_RANDOM_SAMPLE,
  periodSql,
  readsRollups,
  rollupSourceClause,
  scopeSql,
  SETTLED,
  type DashboardFilters,
  type Granularity,
} from './filters.ts';
import { jensenShannonDistanceOfShares, shares } from './similarity.ts';

/**
 * Dashboard aggregates. Every number is a SQL aggregate over `items` (and `item_themes`), one
 * query per view grouped by source, so the cost grows with the number of sources, not with the
 * number of passages loaded into JavaScript. Labels and themes always come from the codebook.
 *
 * Unfiltered views (any basis, either level, optionally some sources) read the rollup tables
 * the item-state functions maintain (rollups.ts) and never touch `items`; a date range,
 * provenance, codebook or review-status filter falls back to the scans below, which give the
 * same numbers (readsRollups in filters.ts; dashboard-rollups.test.ts checks both agree).
 */

/** Sources with fewer counted items or documents than this are flagged as small, never hidden. */
export const SMALL_ITEMS = 30;
export const SMALL_DOCUMENTS = 5;
/** Sources with at most this many documents get a bootstrap interval; larger ones the cluster-robust normal one. */
export const BOOTSTRAP_MAX_DOCUMENTS = 30;
export const BOOTSTRAP_ITERATIONS = 1000;
export const BOOTSTRAP_SEED = 20_230_501;

/** The codebook a view's labels and themes come from. */
const CodebookViewSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    version: z.string(),
    labels: z.array(z.object({ id: z.string(), name: z.string() })),
    themes: z.array(z.object({ id: z.string(), name: z.string() })),
    stance: z.object({ min: z.number().int(), max: z.number().int(), target: z.string() }),
  })
  .meta({ id: 'DashboardCodebook' });
type CodebookView = z.infer<typeof CodebookViewSchema>;

const Level = z.enum(['passage', 'document']);
const Statement = z.string().meta({ description: 'Where the numbers come from (model, people, or final)' });

/** What every view states about its numbers. */
const ViewHeaderSchema = z.object({ basis: z.enum(['model', 'reviewed', 'final']), statement: Statement, level: Level, codebook: CodebookViewSchema });
export type ViewHeader = z.infer<typeof ViewHeaderSchema>;
const CountsSchema = z.record(z.string(), z.number().int());
const SharesSchema = z.record(z.string(), z.number());

function codebookFor(db: Db, f: DashboardFilters): CodebookView {
  const cb = f.codebookId === null ? getActiveCodebook(db) : getCodebook(db, f.codebookId);
  const def: CodebookDefinition = cb.definition;
  return {
    id: cb.id,
    name: def.name,
    version: def.version,
    labels: def.labels.map((l) => ({ id: l.id, name: l.name })),
    themes: def.themes.map((t) => ({ id: t.id, name: t.name })),
    stance: { min: def.stance.min, max: def.stance.max, target: def.stance.target },
  };
}

function header(db: Db, f: DashboardFilters): ViewHeader {
  return { basis: f.basis, statement: basisStatement(f.basis), level: f.level, codebook: codebookFor(db, f) };
}

function sourceNames(db: Db): Map<number, string> {
  const rows = db.$client.prepare('SELECT id, name FROM sources').all() as { id: number; name: string }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}

// ---------------------------------------------------------------------------------------------
// Meta: what the filter bar offers

/** What the filter bar offers. */
export const DashboardMetaSchema = z
  .object({
    codebook: CodebookViewSchema,
    codebooks: z.array(z.object({ id: z.number().int(), name: z.string(), version: z.string(), active: z.boolean() })),
    sources: z.array(z.object({ id: z.number().int(), name: z.string(), items: z.number().int() })),
    provenance: z.array(z.object({ provider: z.string(), model: z.string(), promptVersion: z.string() })),
    totals: z.object({ items: z.number().int(), suggested: z.number().int(), reviewed: z.number().int(), randomSample: z.number().int() }),
    dates: z.object({ earliest: z.string().nullable(), latest: z.string().nullable() }),
  })
  .meta({ id: 'DashboardMeta' });
export type DashboardMeta = z.infer<typeof DashboardMetaSchema>;

/** Codebook, sources, provenance values and totals for the filter bar and the empty state. */
export function dashboardMeta(db: Db, f: DashboardFilters): DashboardMeta {
  const c = db.$client;
  const codebook = codebookFor(db, f);
  const codebooks = (c.prepare('SELECT id, name, version, active FROM codebooks ORDER BY id').all() as { id: number; name: string; version: string; active: number }[]).map(
    (r) => ({ ...r, active: r.active === 1 }),
  );
  // The filter bar's numbers ignore the filters, so the rollups always answer them.
  const rollups = !f.scan;
  const counts = new Map(
    (
      c
        .prepare(
          rollups
            ? 'SELECT source_id AS id, sum(n) AS n FROM source_status_rollups WHERE level = ? GROUP BY source_id'
            : 'SELECT source_id AS id, count(*) AS n FROM items WHERE level = ? AND excluded = 0 GROUP BY source_id',
        )
        .all(f.level) as { id: number; n: number }[]
    ).map((r) => [r.id, r.n]),
  );
  const sources = (c.prepare('SELECT id, name FROM sources ORDER BY name').all() as { id: number; name: string }[]).map((s) => ({ ...s, items: counts.get(s.id) ?? 0 }));
  const provenance = c
    .prepare(`SELECT DISTINCT provider, model, prompt_version AS promptVersion FROM ${rollups ? 'suggestion_provenance' : 'suggestions'} ORDER BY provider, model, prompt_version`)
    .all() as DashboardMeta['provenance'];
  const totals = c
    .prepare(
      rollups
        ? `SELECT coalesce(sum(n), 0) AS items, coalesce(sum(suggested), 0) AS suggested,
                  coalesce(sum(CASE WHEN review_status <> 'unreviewed' THEN n ELSE 0 END), 0) AS reviewed, coalesce(sum(random_sample), 0) AS randomSample
           FROM source_status_rollups WHERE level = ?`
        : `SELECT count(*) AS items, count(i.suggested_label) AS suggested,
              coalesce(sum(i.review_status <> 'unreviewed'), 0) AS reviewed,
              coalesce(sum(r.queue_order = 'random' OR r.blind = 1), 0) AS randomSample
       FROM items i LEFT JOIN reviews r ON r.id = i.decision_review_id
       WHERE i.level = ? AND i.excluded = 0`,
    )
    .get(f.level) as DashboardMeta['totals'];
  const dates = c.prepare('SELECT min(published_start) AS earliest, max(published_start) AS latest FROM documents').get() as DashboardMeta['dates'];
  return { codebook, codebooks, sources, provenance, totals, dates };
}

// ---------------------------------------------------------------------------------------------
// Framing mix

const FramingRowSchema = z.object({
  sourceId: z.number().int(),
  source: z.string(),
  /** Items with a label under the basis (the denominator of the shares). */
  counted: z.number().int(),
  /** label id → count; labels outside the codebook are summed in `other`. */
  counts: CountsSchema,
  shares: SharesSchema,
  other: z.number().int(),
  meanStance: z.number().nullable(),
  /** Items in scope left out: disputed, or without a label under the basis (unsuggested, open reject). */
  disputed: z.number().int(),
  unlabelled: z.number().int(),
  small: z.boolean(),
});
export type FramingRow = z.infer<typeof FramingRowSchema>;

/** The framing-label mix per source. */
export const FramingSchema = ViewHeaderSchema.extend({ rows: z.array(FramingRowSchema) }).meta({ id: 'DashboardFraming' });

function labelColumns(labels: { id: string }[], expr: string, params: (string | number)[]): string {
  return labels
    .map((l, k) => {
      params.push(l.id);
      return `coalesce(sum(${expr} = ?), 0) AS c${k}`;
    })
    .join(', ');
}

/** The framing scan's rows (per source: c<k> per codebook label, counted, meanStance, disputed, total) from the rollups. */
function framingFromRollups(db: Db, f: DashboardFilters, labels: { id: string }[]): Record<string, number>[] {
  const { clause, params } = rollupSourceClause(f);
  const c = db.$client;
  const byLabel = c
    .prepare(`SELECT source_id AS sourceId, label, n, stance_n AS stanceN, stance_sum AS stanceSum FROM source_rollups WHERE level = ? AND basis = ?${clause} ORDER BY source_id`)
    .all(f.level, f.basis, ...params) as { sourceId: number; label: string; n: number; stanceN: number; stanceSum: number }[];
  const disputed = new Map(
    (
      c
        .prepare(`SELECT source_id AS sourceId, n FROM source_status_rollups WHERE level = ? AND review_status = 'disputed'${clause}`)
        .all(f.level, ...params) as { sourceId: number; n: number }[]
    ).map((r) => [r.sourceId, r.n]),
  );
  const perSource = new Map<number, { row: Record<string, number>; stanceN: number; stanceSum: number }>();
  for (const r of byLabel) {
    let acc = perSource.get(r.sourceId);
    if (!acc) {
      const row: Record<string, number> = { sourceId: r.sourceId, counted: 0, disputed: disputed.get(r.sourceId) ?? 0, total: 0 };
      labels.forEach((_, k) => (row[`c${k}`] = 0));
      perSource.set(r.sourceId, (acc = { row, stanceN: 0, stanceSum: 0 }));
    }
    const k = labels.findIndex((l) => l.id === r.label);
    if (k >= 0) acc.row[`c${k}`] = r.n;
    if (r.label !== '') acc.row.counted! += r.n;
    acc.row.total! += r.n;
    acc.stanceN += r.stanceN;
    acc.stanceSum += r.stanceSum;
  }
  return [...perSource.values()].map(({ row, stanceN, stanceSum }) => ({ ...row, meanStance: (stanceN > 0 ? stanceSum / stanceN : null) as number }));
}

/** Share of each framing label per source (100% stacked bars), with the mean stance for sorting. */
export function framingMix(db: Db, f: DashboardFilters): z.infer<typeof FramingSchema> {
  const head = header(db, f);
  const b = basisSql(f.basis);
  const scope = scopeSql(f);
  const params: (string | number)[] = [];
  const cols = labelColumns(head.codebook.labels, b.label, params);
  const rows = readsRollups(f)
    ? framingFromRollups(db, f, head.codebook.labels)
    : (db.$client
        .prepare(
          `SELECT i.source_id AS sourceId, ${cols}, count(${b.label}) AS counted, avg(${b.stance}) AS meanStance,
                  coalesce(sum(i.review_status = 'disputed'), 0) AS disputed, count(*) AS total
           FROM ${scope.from} WHERE ${scope.where} GROUP BY i.source_id`,
        )
        .all(...params, ...scope.params) as Record<string, number>[]);
  const names = sourceNames(db);
  return {
    ...head,
    rows: rows
      .map((r) => {
        const counts: Record<string, number> = {};
        const shares: Record<string, number> = {};
        let labelled = 0;
        head.codebook.labels.forEach((l, k) => {
          counts[l.id] = r[`c${k}`]!;
          labelled += r[`c${k}`]!;
        });
        const counted = r.counted!;
        for (const l of head.codebook.labels) shares[l.id] = counted > 0 ? counts[l.id]! / counted : 0;
        return {
          sourceId: r.sourceId!,
          source: names.get(r.sourceId!) ?? `source ${r.sourceId}`,
          counted,
          counts,
          shares,
          other: counted - labelled,
          meanStance: r.meanStance ?? null,
          disputed: r.disputed!,
          unlabelled: r.total! - counted - r.disputed!,
          small: counted < SMALL_ITEMS,
        };
      })
      .sort((a, b2) => a.source.localeCompare(b2.source)),
  };
}

// ---------------------------------------------------------------------------------------------
// Stance with intervals

const StanceRowSchema = z.object({
  sourceId: z.number().int(),
  source: z.string(),
  items: z.number().int(),
  documents: z.number().int(),
  mean: z.number(),
  low: z.number(),
  high: z.number(),
  /**
   * bootstrap: percentile bootstrap over documents; cluster-normal: ratio estimator with
   * document-clustered variance; bootstrap-passages: a single document, so its passages are
   * resampled as if independent (the interval is too narrow, and the source is flagged small).
   */
  method: z.enum(['bootstrap', 'cluster-normal', 'bootstrap-passages']),
  small: z.boolean(),
});
export type StanceRow = z.infer<typeof StanceRowSchema>;

/** Mean stance per source with its 95% interval. */
export const StanceSchema = ViewHeaderSchema.extend({ rows: z.array(StanceRowSchema), level95: z.number() }).meta({ id: 'DashboardStance' });

/** Per source: documents with a stance, Σn, Σs, Σs², Σs·n, Σn² over them, and (where a bootstrap needs them) each document's (s, n). */
interface StanceSums {
  sourceId: number;
  documents: number;
  items: number;
  s: number;
  ss: number;
  sn: number;
  nn: number;
  docs: [number, number][];
}

function stanceSumsFromItems(db: Db, f: DashboardFilters): StanceSums[] {
  const b = basisSql(f.basis);
  const scope = scopeSql(f);
  // One row per document (an aggregate, never the passages themselves); sources are summed here.
  const perDocument = db.$client
    .prepare(`SELECT i.source_id, sum(${b.stance}), count(${b.stance}) FROM ${scope.from} WHERE ${scope.where} AND ${b.stance} IS NOT NULL GROUP BY i.document_id`)
    .raw()
    .all(...scope.params) as [number, number, number][];
  const bySource = new Map<number, StanceSums>();
  for (const [sourceId, ds, dn] of perDocument) {
    let r = bySource.get(sourceId);
    if (!r) bySource.set(sourceId, (r = { sourceId, documents: 0, items: 0, s: 0, ss: 0, sn: 0, nn: 0, docs: [] }));
    r.documents += 1;
    r.items += dn;
    r.s += ds;
    r.ss += ds * ds;
    r.sn += ds * dn;
    r.nn += dn * dn;
    r.docs.push([ds, dn]);
  }
  return [...bySource.values()];
}

/** The same sums from source_stance_rollups; per-document units are read only for the sources a bootstrap resamples. */
function stanceSumsFromRollups(db: Db, f: DashboardFilters): StanceSums[] {
  const { clause, params } = rollupSourceClause(f);
  const c = db.$client;
  const sums = (
    c
      .prepare(`SELECT source_id AS sourceId, documents, n AS items, s, ss, sn, nn FROM source_stance_rollups WHERE level = ? AND basis = ?${clause} ORDER BY source_id`)
      .all(f.level, f.basis, ...params) as Omit<StanceSums, 'docs'>[]
  ).map((r): StanceSums => ({ ...r, docs: [] }));
  const resampled = sums.filter((r) => r.documents > 1 && r.documents <= BOOTSTRAP_MAX_DOCUMENTS);
  if (resampled.length > 0) {
    const bySource = new Map(resampled.map((r) => [r.sourceId, r]));
    const ids = [...bySource.keys()];
    const docs = c
      .prepare(`SELECT source_id, stance_sum, n FROM document_rollups WHERE level = ? AND basis = ? AND source_id IN (${ids.map(() => '?').join(',')}) ORDER BY document_id`)
      .raw()
      .all(f.level, f.basis, ...ids) as [number, number, number][];
    for (const [sourceId, ds, dn] of docs) bySource.get(sourceId)!.docs.push([ds, dn]);
  }
  return sums;
}

/**
 * Mean stance per source with a 95% interval that treats documents as the sampling unit
 * (passages of one article are not independent): a percentile bootstrap over documents for
 * sources with up to {@link BOOTSTRAP_MAX_DOCUMENTS} documents, and beyond that the normal
 * interval of the same ratio estimator with the document-clustered (linearised) variance the
 * bootstrap converges to, so a 500-source corpus answers at once.
 */
export function stanceBySource(db: Db, f: DashboardFilters): z.infer<typeof StanceSchema> {
  const head = header(db, f);
  const b = basisSql(f.basis);
  const scope = scopeSql(f);
  const sums = readsRollups(f) ? stanceSumsFromRollups(db, f) : stanceSumsFromItems(db, f);
  const units = new Map<number, [number, number][]>();
  for (const r of sums) if (r.documents > 1 && r.documents <= BOOTSTRAP_MAX_DOCUMENTS) units.set(r.sourceId, r.docs);
  const collect = (rows: { sourceId: number; s: number; n: number }[]) => {
    for (const d of rows) {
      const list = units.get(d.sourceId) ?? [];
      list.push([d.s, d.n]);
      units.set(d.sourceId, list);
    }
  };
  const inList = (ids: number[]) => `source_id IN (${ids.map(() => '?').join(',')})`;
  // One document cannot be resampled: its passages are, and the method says they were treated as independent.
  const singleDocument = sums.filter((r) => r.documents === 1).map((r) => r.sourceId);
  if (singleDocument.length > 0) {
    collect(
      db.$client
        .prepare(`SELECT i.source_id AS sourceId, ${b.stance} AS s, 1 AS n FROM ${scope.from} WHERE ${scope.where} AND ${b.stance} IS NOT NULL AND i.${inList(singleDocument)}`)
        .all(...scope.params, ...singleDocument) as never,
    );
  }
  const z = normalQuantile(0.95);
  const names = sourceNames(db);
  const rows = sums.map((r): StanceRow => {
    const mean = r.s / r.items;
    let ci: Pick<Interval, 'low' | 'high'>;
    let method: StanceRow['method'];
    const docUnits = units.get(r.sourceId);
    if (docUnits) {
      const ratio = (sample: readonly [number, number][]) => {
        let s = 0;
        let n = 0;
        for (const [ds, dn] of sample) {
          s += ds;
          n += dn;
        }
        return s / n;
      };
      ci = bootstrapInterval(docUnits, ratio, { iterations: BOOTSTRAP_ITERATIONS, seed: BOOTSTRAP_SEED, level: 0.95 });
      method = r.documents > 1 ? 'bootstrap' : 'bootstrap-passages';
    } else {
      // Σ_d (s_d − r n_d)² expanded into the SQL sums.
      const resid = r.ss - 2 * mean * r.sn + mean * mean * r.nn;
      const se = Math.sqrt(Math.max(0, resid) * (r.documents / (r.documents - 1))) / r.items;
      ci = { low: mean - z * se, high: mean + z * se };
      method = 'cluster-normal';
    }
    return {
      sourceId: r.sourceId,
      source: names.get(r.sourceId) ?? `source ${r.sourceId}`,
      items: r.items,
      documents: r.documents,
      mean,
      low: ci.low,
      high: ci.high,
      method,
      small: r.items < SMALL_ITEMS || r.documents < SMALL_DOCUMENTS,
    };
  });
  return { ...head, level95: 0.95, rows: rows.sort((a, c) => a.source.localeCompare(c.source)) };
}

// ---------------------------------------------------------------------------------------------
// Themes

const ThemeCellSchema = z.object({
  sourceId: z.number().int(),
  theme: z.string(),
  count: z.number().int(),
  /** Share of the source's counted items that touch the theme. */
  share: z.number(),
});
export type ThemeCell = z.infer<typeof ThemeCellSchema>;
const LabelThemeCellSchema = z.object({
  label: z.string(),
  theme: z.string(),
  count: z.number().int(),
  /** Share of the items with this label that touch the theme. */
  share: z.number(),
});
export type LabelThemeCell = z.infer<typeof LabelThemeCellSchema>;

/** Theme heatmap by source and the label × theme view. */
export const ThemesSchema = ViewHeaderSchema.extend({
  sources: z.array(z.object({ sourceId: z.number().int(), source: z.string(), counted: z.number().int() })),
  cells: z.array(ThemeCellSchema),
  labelCells: z.array(LabelThemeCellSchema),
  labelCounts: CountsSchema,
}).meta({ id: 'DashboardThemes' });

/** Theme heatmap by source and the label × theme view; themes outside the codebook are dropped. */
export function themesBySource(db: Db, f: DashboardFilters): z.infer<typeof ThemesSchema> {
  const head = header(db, f);
  const b = basisSql(f.basis);
  const scope = scopeSql(f);
  const themeIds = new Set(head.codebook.themes.map((t) => t.id));
  const labelIds = new Set(head.codebook.labels.map((l) => l.id));
  const c = db.$client;
  const rollups = readsRollups(f);
  const { clause, params } = rollupSourceClause(f);
  const denominators = (
    rollups
      ? c
          .prepare(`SELECT source_id AS sourceId, sum(CASE WHEN label <> '' THEN n ELSE 0 END) AS counted FROM source_rollups WHERE level = ? AND basis = ?${clause} GROUP BY source_id`)
          .all(f.level, f.basis, ...params)
      : c.prepare(`SELECT i.source_id AS sourceId, count(${b.label}) AS counted FROM ${scope.from} WHERE ${scope.where} GROUP BY i.source_id`).all(...scope.params)
  ) as { sourceId: number; counted: number }[];
  const byLabel = (
    rollups
      ? c.prepare(`SELECT label, sum(n) AS n FROM source_rollups WHERE level = ? AND basis = ? AND label <> ''${clause} GROUP BY label`).all(f.level, f.basis, ...params)
      : c.prepare(`SELECT ${b.label} AS label, count(*) AS n FROM ${scope.from} WHERE ${scope.where} AND ${b.label} IS NOT NULL GROUP BY 1`).all(...scope.params)
  ) as { label: string; n: number }[];
  const counted = new Map(denominators.map((d) => [d.sourceId, d.counted]));
  const labelCounts = Object.fromEntries(head.codebook.labels.map((l) => [l.id, byLabel.find((r) => r.label === l.id)?.n ?? 0]));
  let cellCounts: Omit<ThemeCell, 'share'>[];
  let labelCellCounts: Omit<LabelThemeCell, 'share'>[];
  if (rollups) {
    // Read in key order and packed one row per source: 500 sources × 15 themes cross into
    // JavaScript as 500 rows, and nothing is sorted.
    const perSource = c
      .prepare(`SELECT source_id, json_group_object(theme, n) FROM source_theme_totals WHERE level = ? AND basis = ?${clause} GROUP BY source_id`)
      .raw()
      .all(f.level, f.basis, ...params) as [number, string][];
    cellCounts = perSource.flatMap(([sourceId, json]) => Object.entries(JSON.parse(json) as Record<string, number>).map(([theme, count]) => ({ sourceId, theme, count })));
    labelCellCounts = (
      f.sourceIds.length === 0
        ? c.prepare(`SELECT label, theme, n AS count FROM label_theme_rollups WHERE level = ? AND basis = ?`).all(f.level, f.basis)
        : c.prepare(`SELECT label, theme, sum(n) AS count FROM source_theme_rollups WHERE level = ? AND basis = ?${clause} GROUP BY label, theme`).all(f.level, f.basis, ...params)
    ) as Omit<LabelThemeCell, 'share'>[];
  } else {
    const raw = c
      .prepare(
        `SELECT i.source_id AS sourceId, ${b.label} AS label, t.theme AS theme, count(*) AS n
         FROM ${scope.from} JOIN item_themes t ON t.item_id = i.id AND t.kind = ${b.themeKind}
         WHERE ${scope.where} AND ${b.label} IS NOT NULL GROUP BY i.source_id, 2, t.theme`,
      )
      .all(...scope.params) as { sourceId: number; label: string; theme: string; n: number }[];
    const bySourceTheme = new Map<string, Omit<ThemeCell, 'share'>>();
    const byLabelTheme = new Map<string, Omit<LabelThemeCell, 'share'>>();
    for (const r of raw) {
      const key = `${r.sourceId}\u0000${r.theme}`;
      const cell = bySourceTheme.get(key) ?? { sourceId: r.sourceId, theme: r.theme, count: 0 };
      cell.count += r.n;
      bySourceTheme.set(key, cell);
      const lkey = `${r.label}\u0000${r.theme}`;
      const lcell = byLabelTheme.get(lkey) ?? { label: r.label, theme: r.theme, count: 0 };
      lcell.count += r.n;
      byLabelTheme.set(lkey, lcell);
    }
    cellCounts = [...bySourceTheme.values()];
    labelCellCounts = [...byLabelTheme.values()];
  }
  const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const cells = cellCounts
    .filter((cell) => themeIds.has(cell.theme))
    .sort((x, y) => x.sourceId - y.sourceId || byText(x.theme, y.theme))
    .map((cell) => ({ ...cell, share: cell.count / (counted.get(cell.sourceId) || 1) }));
  const labelCells = labelCellCounts
    .filter((cell) => themeIds.has(cell.theme) && labelIds.has(cell.label))
    .sort((x, y) => byText(x.label, y.label) || byText(x.theme, y.theme))
    .map((cell) => ({ ...cell, share: cell.count / (labelCounts[cell.label] || 1) }));
  const names = sourceNames(db);
  return {
    ...head,
    sources: denominators
      .map((d) => ({ sourceId: d.sourceId, source: names.get(d.sourceId) ?? `source ${d.sourceId}`, counted: d.counted }))
      .sort((a, c2) => a.source.localeCompare(c2.source)),
    cells,
    labelCells,
    labelCounts,
  };
}

// ---------------------------------------------------------------------------------------------
// Over time

const TimelineRowSchema = z.object({
  sourceId: z.number().int(),
  source: z.string(),
  period: z.string(),
  counted: z.number().int(),
  counts: CountsSchema,
  shares: SharesSchema,
  meanStance: z.number().nullable(),
});
export type TimelineRow = z.infer<typeof TimelineRowSchema>;

/** Framing mix and mean stance per source and period. */
export const TimelineSchema = ViewHeaderSchema.extend({
  granularity: z.enum(['month', 'year']),
  rows: z.array(TimelineRowSchema),
  /** Counted items whose date is too coarse for the granularity. */
  undated: z.number().int(),
  /** Sources left out (only the `limit` largest are drawn). */
  omitted: z.number().int(),
}).meta({ id: 'DashboardTimeline' });

/** The timeline scan's rows (per source and period, in period order) from timeline_rollups, pivoted by label in SQL. */
function timelineFromRollups(db: Db, f: DashboardFilters, labels: { id: string }[], granularity: Granularity): Record<string, number | string | null>[] {
  const { clause, params } = rollupSourceClause(f);
  const cols = labels.map((_, k) => `coalesce(sum(CASE WHEN label = ? THEN n END), 0) AS c${k}`).join(', ');
  return db.$client
    .prepare(
      `SELECT source_id AS sourceId, CASE WHEN period <> '' THEN period END AS period, ${cols}, sum(n) AS counted,
              CASE WHEN sum(stance_n) > 0 THEN 1.0 * sum(stance_sum) / sum(stance_n) END AS meanStance
       FROM timeline_rollups WHERE level = ? AND basis = ? AND granularity = ?${clause} GROUP BY period, source_id ORDER BY period, source_id`,
    )
    .all(...labels.map((l) => l.id), f.level, f.basis, granularity, ...params) as Record<string, number | string | null>[];
}

/**
 * Framing mix and mean stance per source and month or year. A document dated only to the year
 * is never spread over months: at month granularity it is counted in `undated` instead.
 */
export function timeline(
  db: Db,
  filters: DashboardFilters,
  granularity: Granularity,
  limit: number | null = null,
): z.infer<typeof TimelineSchema> {
  const head = header(db, filters);
  // A chart draws a handful of lines; 500 sources by 120 months would be 60,000 rows. With a
  // limit and no chosen sources, only the `limit` sources with the most counted items are read.
  const { f, omitted } = limitTimelineSources(db, filters, limit);
  const b = basisSql(f.basis);
  const scope = scopeSql(f);
  const from = scope.from.includes('JOIN documents d') ? scope.from : `${scope.from} JOIN documents d ON d.id = i.document_id`;
  const params: (string | number)[] = [];
  const cols = labelColumns(head.codebook.labels, b.label, params);
  const period = periodSql(granularity);
  const raw = readsRollups(f)
    ? timelineFromRollups(db, f, head.codebook.labels, granularity)
    : (db.$client
        .prepare(
          `SELECT i.source_id AS sourceId, ${period} AS period, ${cols}, count(${b.label}) AS counted, avg(${b.stance}) AS meanStance
           FROM ${from} WHERE ${scope.where} AND ${b.label} IS NOT NULL GROUP BY i.source_id, 2 ORDER BY 2, i.source_id`,
        )
        .all(...params, ...scope.params) as Record<string, number | string | null>[]);
  const names = sourceNames(db);
  let undated = 0;
  const rows: TimelineRow[] = [];
  for (const r of raw) {
    if (r.period === null) {
      undated += r.counted as number;
      continue;
    }
    const counts: Record<string, number> = {};
    const shares: Record<string, number> = {};
    head.codebook.labels.forEach((l, k) => {
      counts[l.id] = r[`c${k}`] as number;
      shares[l.id] = (r[`c${k}`] as number) / (r.counted as number);
    });
    rows.push({
      sourceId: r.sourceId as number,
      source: names.get(r.sourceId as number) ?? `source ${r.sourceId}`,
      period: r.period as string,
      counted: r.counted as number,
      counts,
      shares,
      meanStance: (r.meanStance as number | null) ?? null,
    });
  }
  if (limit !== null && !readsRollups(filters) && filters.sourceIds.length === 0) return { ...head, granularity, ...keepLargest(raw, rows, limit) };
  return { ...head, granularity, rows, undated, omitted };
}

/** On the rollup path, narrows the filters to the `limit` sources with the most counted items (dated or not). */
function limitTimelineSources(db: Db, f: DashboardFilters, limit: number | null): { f: DashboardFilters; omitted: number } {
  if (limit === null || f.sourceIds.length > 0 || !readsRollups(f)) return { f, omitted: 0 };
  const ranked = db.$client
    .prepare(
      `SELECT source_id AS id FROM timeline_rollups WHERE level = ? AND basis = ? AND granularity = 'year'
       GROUP BY source_id ORDER BY sum(n) DESC, source_id`,
    )
    .all(f.level, f.basis) as { id: number }[];
  if (ranked.length <= limit) return { f, omitted: 0 };
  return { f: { ...f, sourceIds: ranked.slice(0, limit).map((r) => r.id) }, omitted: ranked.length - limit };
}

/** On the scan path (filters set), the same choice made over the scanned rows, undated ones included. */
function keepLargest(raw: Record<string, number | string | null>[], rows: TimelineRow[], limit: number): { rows: TimelineRow[]; undated: number; omitted: number } {
  const totals = new Map<number, number>();
  for (const r of raw) totals.set(r.sourceId as number, (totals.get(r.sourceId as number) ?? 0) + (r.counted as number));
  const keep = new Set([...totals.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, limit).map(([id]) => id));
  // `undated` speaks of the sources returned, as it does on the rollup path.
  const undated = raw.filter((r) => r.period === null && keep.has(r.sourceId as number)).reduce((n, r) => n + (r.counted as number), 0);
  return { rows: rows.filter((r) => keep.has(r.sourceId)), undated, omitted: Math.max(0, totals.size - limit) };
}

// ---------------------------------------------------------------------------------------------
// Source similarity

/** Jensen–Shannon distances (base 2, 0..1) between the listed sources, row-major; null where a source has no profile. */
const DistanceMatrix = z.array(z.array(z.number().nullable()));

/** How alike sources are. */
export const SimilaritySchema = ViewHeaderSchema.extend({
  sources: z.array(z.object({ sourceId: z.number().int(), source: z.string(), counted: z.number().int(), nearest: z.object({ sourceId: z.number().int(), distance: z.number() }).nullable() })),
  framing: DistanceMatrix,
  themes: DistanceMatrix,
  combined: DistanceMatrix,
  /** Sources left out of the matrix (only the `limit` largest are compared). */
  omitted: z.number().int(),
}).meta({ id: 'DashboardSimilarity' });

/** The similarity view as computed: a source without themes has NaN distances. */
export type SimilarityResult = Omit<z.infer<typeof SimilaritySchema>, 'framing' | 'themes' | 'combined'> & { framing: number[][]; themes: number[][]; combined: number[][] };

/**
 * How alike sources are: Jensen–Shannon distance between their framing-label distributions,
 * between their theme distributions, and their mean. The profiles are the same SQL aggregates
 * the framing and theme views use; only the pairwise distances are computed here.
 */
export function sourceSimilarity(db: Db, f: DashboardFilters, limit: number | null): SimilarityResult {
  const framing = framingMix(db, f);
  const themes = themesBySource(db, f);
  const themeIds = framing.codebook.themes.map((t) => t.id);
  const labelIds = framing.codebook.labels.map((l) => l.id);
  const themeProfile = new Map<number, number[]>();
  for (const cell of themes.cells) {
    const v = themeProfile.get(cell.sourceId) ?? themeIds.map(() => 0);
    v[themeIds.indexOf(cell.theme)] = cell.count;
    themeProfile.set(cell.sourceId, v);
  }
  const ranked = framing.rows.filter((r) => r.counted > 0).sort((a, b) => b.counted - a.counted || a.source.localeCompare(b.source));
  const shown = limit === null ? ranked : ranked.slice(0, limit);
  const framingVec = (r: FramingRow) => labelIds.map((id) => r.counts[id]!);
  const themeVec = (r: FramingRow) => themeProfile.get(r.sourceId) ?? themeIds.map(() => 0);
  const all = ranked.map((r, index) => ({ r, index, fp: shares(framingVec(r)), tp: shares(themeVec(r)) }));
  const jsd = (p: number[] | null, q: number[] | null) => (p === null || q === null ? Number.NaN : jensenShannonDistanceOfShares(p, q));
  type Profile = (typeof all)[number];
  const distance = (x: Profile, y: Profile) => {
    const df = jsd(x.fp, y.fp);
    const dt = jsd(x.tp, y.tp);
    return { df, dt, dc: Number.isNaN(dt) ? df : (df + dt) / 2 };
  };
  const shownAll = all.slice(0, shown.length);
  // The shown matrix is symmetric: each pair is computed once.
  const size = shownAll.length;
  const square = () => Array.from({ length: size }, () => new Array<number>(size).fill(0));
  const [mf, mt, mc] = [square(), square(), square()];
  for (let a = 0; a < size; a++) {
    for (let b = a + 1; b < size; b++) {
      const d = distance(shownAll[a]!, shownAll[b]!);
      mf[a]![b] = mf[b]![a] = d.df;
      mt[a]![b] = mt[b]![a] = d.dt;
      mc[a]![b] = mc[b]![a] = d.dc;
    }
    // A source against itself: 0 where it has a profile, NaN where it has none (as jsd gives).
    const self = distance(shownAll[a]!, shownAll[a]!);
    [mf[a]![a], mt[a]![a], mc[a]![a]] = [self.df, self.dt, self.dc];
  }
  const nearestOf = (a: Profile) => {
    let best: { sourceId: number; distance: number } | null = null;
    for (const b of all) {
      if (b === a) continue;
      const d = distance(a, b).dc;
      if (!Number.isNaN(d) && (best === null || d < best.distance)) best = { sourceId: b.r.sourceId, distance: d };
    }
    return best;
  };
  return {
    basis: framing.basis,
    statement: framing.statement,
    level: framing.level,
    codebook: framing.codebook,
    sources: shownAll.map((a) => ({ sourceId: a.r.sourceId, source: a.r.source, counted: a.r.counted, nearest: nearestOf(a) })),
    framing: mf,
    themes: mt,
    combined: mc,
    omitted: ranked.length - shown.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Model and people

/** Suggested against reviewed labels, and review progress per source. */
export const AgreementSchema = z
  .object({
    level: Level,
    statement: Statement,
    codebook: CodebookViewSchema,
    /** suggested label → reviewed label → count, over settled items with both. */
    confusion: z.array(z.object({ suggested: z.string(), reviewed: z.string(), count: z.number().int() })),
    pairs: z.number().int(),
    percentAgreement: z.number().nullable(),
    cohenKappa: z.number().nullable(),
    /** Mean |reviewed − suggested| stance over the same items. */
    meanAbsStanceDifference: z.number().nullable(),
    progress: z.array(
      z.object({
        sourceId: z.number().int(),
        source: z.string(),
        items: z.number().int(),
        suggested: z.number().int(),
        unreviewed: z.number().int(),
        reviewed: z.number().int(),
        disputed: z.number().int(),
        adjudicated: z.number().int(),
        randomSample: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'DashboardAgreement' });
export type AgreementResult = z.infer<typeof AgreementSchema>;

/** Confusion matrix of suggested vs reviewed labels, agreement, and review progress per source. */
export function modelAndPeople(db: Db, f: DashboardFilters): AgreementResult {
  const codebook = codebookFor(db, f);
  const scope = scopeSql(f);
  const c = db.$client;
  const rollups = readsRollups(f);
  const { clause, params } = rollupSourceClause(f);
  const confusion = (
    rollups
      ? c
          .prepare(
            `SELECT suggested, reviewed, sum(n) AS count, sum(abs_diff) AS absDiff, sum(stance_pairs) AS stancePairs
             FROM agreement_rollups WHERE level = ?${clause} GROUP BY 1, 2 ORDER BY 1, 2`,
          )
          .all(f.level, ...params)
      : c
          .prepare(
            `SELECT i.suggested_label AS suggested, i.reviewed_label AS reviewed, count(*) AS count,
                    sum(abs(i.reviewed_stance - i.suggested_stance)) AS absDiff, count(i.reviewed_stance - i.suggested_stance) AS stancePairs
             FROM ${scope.from} WHERE ${scope.where} AND ${SETTLED} AND i.suggested_label IS NOT NULL AND i.reviewed_label IS NOT NULL
             GROUP BY 1, 2 ORDER BY 1, 2`,
          )
          .all(...scope.params)
  ) as { suggested: string; reviewed: string; count: number; absDiff: number | null; stancePairs: number }[];
  const pairs = confusion.reduce((a, r) => a + r.count, 0);
  const agree = confusion.filter((r) => r.suggested === r.reviewed).reduce((a, r) => a + r.count, 0);
  const model: string[] = [];
  const people: string[] = [];
  for (const r of confusion) {
    for (let k = 0; k < r.count; k++) {
      model.push(r.suggested);
      people.push(r.reviewed);
    }
  }
  const kappa = pairs > 0 ? cohenKappa(model, people) : Number.NaN;
  const stancePairs = confusion.reduce((a, r) => a + r.stancePairs, 0);
  const absDiff = confusion.reduce((a, r) => a + (r.absDiff ?? 0), 0);
  const progressRows = (
    rollups
      ? c
          .prepare(
            `SELECT source_id AS sourceId, sum(n) AS items, sum(suggested) AS suggested,
                    sum(CASE WHEN review_status = 'unreviewed' THEN n ELSE 0 END) AS unreviewed, sum(CASE WHEN review_status = 'reviewed' THEN n ELSE 0 END) AS reviewed,
                    sum(CASE WHEN review_status = 'disputed' THEN n ELSE 0 END) AS disputed, sum(CASE WHEN review_status = 'adjudicated' THEN n ELSE 0 END) AS adjudicated,
                    sum(random_sample) AS randomSample
             FROM source_status_rollups WHERE level = ?${clause} GROUP BY source_id`,
          )
          .all(f.level, ...params)
      : c
        .prepare(
          `SELECT i.source_id AS sourceId, count(*) AS items, count(i.suggested_label) AS suggested,
                  coalesce(sum(i.review_status = 'unreviewed'), 0) AS unreviewed, coalesce(sum(i.review_status = 'reviewed'), 0) AS reviewed,
                  coalesce(sum(i.review_status = 'disputed'), 0) AS disputed, coalesce(sum(i.review_status = 'adjudicated'), 0) AS adjudicated,
                  coalesce(sum(r.queue_order = 'random' OR r.blind = 1), 0) AS randomSample
           FROM ${scope.from} LEFT JOIN reviews r ON r.id = i.decision_review_id WHERE ${scope.where} GROUP BY i.source_id`,
        )
        .all(...scope.params)
  ) as Omit<AgreementResult['progress'][number], 'source'>[];
  const names = sourceNames(db);
  return {
    level: f.level,
    statement: 'Model suggestions against human decisions on the same items (reviewed and adjudicated; disputed items have no human label yet).',
    codebook,
    confusion: confusion.map(({ suggested, reviewed, count }) => ({ suggested, reviewed, count })),
    pairs,
    percentAgreement: pairs > 0 ? agree / pairs : null,
    cohenKappa: Number.isNaN(kappa) ? null : kappa,
    meanAbsStanceDifference: stancePairs > 0 ? absDiff / stancePairs : null,
    progress: progressRows
      .map((r) => ({ ...r, source: names.get(r.sourceId) ?? `source ${r.sourceId}` }))
      .sort((a, b) => a.source.localeCompare(b.source)),
  };
}

// ---------------------------------------------------------------------------------------------
// Corrected estimates

const CorrectedRowSchema = z.object({
  sourceId: z.number().int(),
  source: z.string(),
  /** Items with a model suggestion. */
  n: z.number().int(),
  /** Items of the random reviewed sample. */
  nSample: z.number().int(),
  labels: z.record(z.string(), CorrectedEstimateSchema),
  stance: CorrectedEstimateSchema,
});
export type CorrectedRow = z.infer<typeof CorrectedRowSchema>;

/** Model estimates corrected by the random reviewed sample. */
export const CorrectedSchema = z.object({ level: Level, statement: Statement, codebook: CodebookViewSchema, rows: z.array(CorrectedRowSchema) }).meta({ id: 'DashboardCorrected' });

/**
 * Per source: the model's label shares and mean stance over every suggested item, corrected by
 * the mean human − model difference on the random reviewed sample (reviews made in the queue's
 * random order or blind), with intervals that carry both sources of uncertainty.
 */
export function correctedEstimates(db: Db, f: DashboardFilters): z.infer<typeof CorrectedSchema> {
  const codebook = codebookFor(db, f);
  const scope = scopeSql(f);
  const inSample = IN_RANDOM_SAMPLE;
  const stanceDiff = `(i.reviewed_stance - i.suggested_stance)`;
  const stanceSample = `${inSample} AND i.reviewed_stance IS NOT NULL`;
  // Grouped by (source, model label, human label on the sample): few groups, from which every
  // label's sums follow; the stance sums are carried per group.
  const { clause, params } = rollupSourceClause(f);
  const groups = (
    readsRollups(f)
      ? db.$client
          .prepare(
            `SELECT source_id AS sourceId, suggested, CASE WHEN reviewed <> '' THEN reviewed END AS reviewed, n, sm, smm, sns, sd, sdd, smd
             FROM corrected_rollups WHERE level = ?${clause} ORDER BY source_id, suggested, reviewed`,
          )
          .all(f.level, ...params)
      : db.$client
        .prepare(
          `SELECT i.source_id AS sourceId, i.suggested_label AS suggested, CASE WHEN ${inSample} THEN i.reviewed_label END AS reviewed, count(*) AS n,
                  sum(i.suggested_stance) AS sm, sum(i.suggested_stance * i.suggested_stance) AS smm,
                  coalesce(sum(${stanceSample}), 0) AS sns,
                  coalesce(sum(CASE WHEN ${stanceSample} THEN ${stanceDiff} END), 0) AS sd,
                  coalesce(sum(CASE WHEN ${stanceSample} THEN ${stanceDiff} * ${stanceDiff} END), 0) AS sdd,
                  coalesce(sum(CASE WHEN ${stanceSample} THEN i.suggested_stance * ${stanceDiff} END), 0) AS smd
           FROM ${scope.from} LEFT JOIN reviews r ON r.id = i.decision_review_id
           WHERE ${scope.where} AND i.suggested_label IS NOT NULL GROUP BY 1, 2, 3`,
        )
        .all(...scope.params)
  ) as { sourceId: number; suggested: string; reviewed: string | null; n: number; sm: number; smm: number; sns: number; sd: number; sdd: number; smd: number }[];
  const empty = (): CorrectionSums => ({ n: 0, sumModel: 0, sumModelSq: 0, nSample: 0, sumDiff: 0, sumDiffSq: 0, sumModelDiff: 0 });
  const perSource = new Map<number, { labels: Map<string, CorrectionSums>; stance: CorrectionSums; nSample: number }>();
  for (const g of groups) {
    let acc = perSource.get(g.sourceId);
    if (!acc) perSource.set(g.sourceId, (acc = { labels: new Map(codebook.labels.map((l) => [l.id, empty()])), stance: empty(), nSample: 0 }));
    const inSampleGroup = g.reviewed !== null;
    if (inSampleGroup) acc.nSample += g.n;
    for (const [label, sums] of acc.labels) {
      const yhat = g.suggested === label ? 1 : 0;
      sums.n += g.n;
      sums.sumModel += g.n * yhat;
      sums.sumModelSq += g.n * yhat;
      if (inSampleGroup) {
        const d = (g.reviewed === label ? 1 : 0) - yhat;
        sums.nSample += g.n;
        sums.sumDiff += g.n * d;
        sums.sumDiffSq += g.n * d * d;
        sums.sumModelDiff += g.n * yhat * d;
      }
    }
    const st = acc.stance;
    st.n += g.n;
    st.sumModel += g.sm;
    st.sumModelSq += g.smm;
    st.nSample += g.sns;
    st.sumDiff += g.sd;
    st.sumDiffSq += g.sdd;
    st.sumModelDiff += g.smd;
  }
  const names = sourceNames(db);
  const rows = [...perSource.entries()].map(
    ([sourceId, acc]): CorrectedRow => ({
      sourceId,
      source: names.get(sourceId) ?? `source ${sourceId}`,
      n: acc.stance.n,
      nSample: acc.nSample,
      labels: Object.fromEntries([...acc.labels].map(([label, sums]) => [label, correctedEstimate(sums)])),
      stance: correctedEstimate(acc.stance),
    }),
  );
  return {
    level: f.level,
    statement: 'Model suggestions corrected by people: model share or mean over all suggested items plus the mean human − model difference on the random reviewed sample.',
    codebook,
    rows: rows.sort((a, b) => a.source.localeCompare(b.source)),
  };
}

// ---------------------------------------------------------------------------------------------
// Drill-down

/** What a clicked bar, cell or point stands for; every field narrows the list. */
export interface DrillDown {
  sourceId?: number;
  label?: string;
  theme?: string;
  period?: string;
  granularity?: Granularity;
  /** Confusion-matrix cell: suggested and reviewed label of settled items. */
  suggested?: string;
  reviewed?: string;
  /** Only items of the random reviewed sample. */
  randomSample?: boolean;
  offset: number;
  limit: number;
}

const DrillDownItemSchema = z.object({
  itemId: z.number().int(),
  documentId: z.number().int(),
  documentTitle: z.string(),
  sourceId: z.number().int(),
  source: z.string(),
  level: Level,
  seq: z.number().int(),
  /** Passage text, or the document's opening, cut at 400 characters. */
  text: z.string(),
  label: z.string().nullable(),
  stance: z.number().int().nullable(),
  reviewStatus: z.enum(['unreviewed', 'reviewed', 'disputed', 'adjudicated']),
});
export type DrillDownItem = z.infer<typeof DrillDownItemSchema>;

/** A page of the items behind one number. */
export const PassagesSchema = z.object({ total: z.number().int(), items: z.array(DrillDownItemSchema), statement: Statement }).meta({ id: 'DashboardPassages' });

/** The items behind one number on the dashboard, in document order, paginated. */
export function drillDown(db: Db, f: DashboardFilters, d: DrillDown): z.infer<typeof PassagesSchema> {
  const b = basisSql(f.basis);
  const scope = scopeSql(f);
  const where = [scope.where];
  const params = [...scope.params];
  let from = scope.from;
  // The count reads documents only when a period narrows it; the page of rows joins them for titles.
  const withDocuments = (sql: string) => (sql.includes('JOIN documents d') ? sql : `${sql} JOIN documents d ON d.id = i.document_id`);
  if (d.suggested !== undefined || d.reviewed !== undefined) {
    where.push(SETTLED, 'i.suggested_label IS NOT NULL', 'i.reviewed_label IS NOT NULL');
    if (d.suggested !== undefined) {
      where.push('i.suggested_label = ?');
      params.push(d.suggested);
    }
    if (d.reviewed !== undefined) {
      where.push('i.reviewed_label = ?');
      params.push(d.reviewed);
    }
  } else {
    where.push(`${b.label} IS NOT NULL`);
  }
  if (d.sourceId !== undefined) {
    where.push('i.source_id = ?');
    params.push(d.sourceId);
  }
  if (d.label !== undefined) {
    where.push(`${b.label} = ?`);
    params.push(d.label);
  }
  if (d.theme !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM item_themes t WHERE t.item_id = i.id AND t.kind = ${b.themeKind} AND t.theme = ?)`);
    params.push(d.theme);
  }
  if (d.period !== undefined) {
    from = withDocuments(from);
    where.push(`${periodSql(d.granularity ?? 'month')} = ?`);
    params.push(d.period);
  }
  if (d.randomSample) {
    from += ' JOIN reviews r ON r.id = i.decision_review_id';
    where.push(`(r.queue_order = 'random' OR r.blind = 1)`);
  }
  const c = db.$client;
  // items_source_order_idx covers the state columns, so the count of one source's cell reads the
  // index alone, and its rows come in document order without a sort.
  const total = (c.prepare(`SELECT count(*) AS n FROM ${from} WHERE ${where.join(' AND ')}`).get(...params) as { n: number }).n;
  const order = d.sourceId !== undefined ? 'i.document_id, i.seq' : 'src.name, i.document_id, i.seq';
  const rows = c
    .prepare(
      `SELECT i.id AS itemId, i.document_id AS documentId, d.title AS documentTitle, i.source_id AS sourceId, src.name AS source,
              i.level AS level, i.seq AS seq,
              substr(CASE WHEN i.level = 'passage' THEN (SELECT p.text FROM passages p WHERE p.id = i.passage_id) ELSE d.text END, 1, 400) AS text,
              ${b.label} AS label, ${b.stance} AS stance, i.review_status AS reviewStatus
       FROM ${withDocuments(from)} JOIN sources src ON src.id = i.source_id
       WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ? OFFSET ?`,
    )
    .all(...params, d.limit, d.offset) as DrillDownItem[];
  return { total, items: rows, statement: basisStatement(f.basis) };
}
