import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { dialectFor, jsonObjectAgg } from '../../../db/sqlDialect.ts';
import { basisSql } from '../../items/provenance.ts';
import { rollupSources, scope, type DashboardFilters } from '../filters.ts';
import { CountsSchema, header, ViewHeaderSchema } from './common.ts';
import { mergeByUnit, UnitFields, unitsFor } from '../groups.ts';
import { readView } from './read.ts';
import { isDated, wholeMonths } from '../months.ts';
import { edgeItems, splitDays, viewTable } from './days.ts';
import { rollupRowsOver } from '../rollups.ts';
import { hasFacets } from '../facets.ts';

const ThemeCellSchema = z.object({
  sourceId: UnitFields.sourceId,
  group: UnitFields.group,
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
  sources: z.array(z.object({ ...UnitFields, counted: z.number().int() })),
  cells: z.array(ThemeCellSchema),
  labelCells: z.array(LabelThemeCellSchema),
  labelCounts: CountsSchema,
}).meta({ id: 'DashboardThemes' });
export type Themes = z.infer<typeof ThemesSchema>;

/** What both ways of reading give: labelled items per source and per label, and the theme counts. */
interface ThemeSums {
  counted: { sourceId: number; counted: number }[];
  byLabel: { label: string; n: number }[];
  cells: { sourceId: number; theme: string; count: number }[];
  labelCells: Omit<LabelThemeCell, 'share'>[];
}

/** Labelled items per source and theme from source_theme_totals, as the view's filters narrow it. */
function cellsFromRollups(db: Db, f: DashboardFilters): ThemeSums['cells'] {
  // Read in key order and packed one row per source: 500 sources × 15 themes cross into
  // JavaScript as 500 rows, and nothing is sorted.
  const perSource = db.values<[sourceId: number, json: string]>(
    sql`SELECT source_id, ${jsonObjectAgg(dialectFor(db), sql`theme`, sql`n`)} FROM ${viewTable(f, 'source_theme_totals')} WHERE level = ${f.level} AND basis = ${f.basis}${rollupSources(f)} GROUP BY source_id`,
  );
  return perSource.flatMap(([sourceId, json]) => Object.entries(themeCounts(json)).map(([theme, count]) => ({ sourceId, theme, count })));
}

/**
 * Labelled items per source and theme (themes of the basis's kind), from the rollups or a scan
 * as the filters allow: the heatmap's cells before they are merged into units, which the
 * similarity view's theme profiles are made of.
 */
export function sourceThemeCells(db: Db, f: DashboardFilters): ThemeSums['cells'] {
  return readView(f, {
    rollups: () => cellsFromRollups(db, f),
    scan: () => {
      const b = basisSql(f.basis);
      const s = scope(f);
      return db.all(sql`SELECT i.source_id AS "sourceId", t.theme AS theme, count(*) AS count
        FROM ${s.from} JOIN item_themes t ON t.item_id = i.id AND t.kind = ${b.themeKind}
        WHERE ${s.where} AND ${b.label} IS NOT NULL GROUP BY i.source_id, t.theme`);
    },
  });
}

function fromRollups(db: Db, f: DashboardFilters): ThemeSums {
  const on = sql`level = ${f.level} AND basis = ${f.basis}`;
  const sources = rollupSources(f);
  // Labelled items per source and per label from one read of the label rows (a day bound's edge is computed once).
  const counted = new Map<number, number>();
  const byLabel = new Map<string, number>();
  for (const [sourceId, label, n] of db.values<[sourceId: number, label: string, n: number]>(sql`SELECT source_id, label, n FROM ${viewTable(f, 'source_rollups')} WHERE ${on}${sources} ORDER BY source_id`)) {
    counted.set(sourceId, (counted.get(sourceId) ?? 0) + (label === '' ? 0 : n));
    if (label !== '') byLabel.set(label, (byLabel.get(label) ?? 0) + n);
  }
  const { cells, labelCells } = isDated(f) && wholeMonths(f) === null ? themeCellsOverDays(db, f) : { cells: cellsFromRollups(db, f), labelCells: labelCellsFromRollups(db, f) };
  return { counted: [...counted].map(([sourceId, n]) => ({ sourceId, counted: n })), byLabel: [...byLabel].map(([label, n]) => ({ label, n })), cells, labelCells };
}

/** The label × theme cells from the rollups: label_theme_rollups, or summed from source_theme_rollups for chosen sources. */
function labelCellsFromRollups(db: Db, f: DashboardFilters): ThemeSums['labelCells'] {
  const on = sql`level = ${f.level} AND basis = ${f.basis}`;
  return f.sourceIds.length === 0
    ? db.all(sql`SELECT label, theme, n AS count FROM ${viewTable(f, 'label_theme_rollups')} WHERE ${on}`)
    : db.all(sql`SELECT label, theme, sum(n) AS count FROM source_theme_rollups WHERE ${on}${rollupSources(f)} GROUP BY label, theme`);
}

/**
 * Both kinds of cells under a date bound inside a month (views/days.ts): the whole months' from
 * their rollups, plus the edge days' items per source, label and theme, read once for both (each
 * cell kind reading the edge on its own scanned the edge's items and themes twice).
 */
function themeCellsOverDays(db: Db, f: DashboardFilters): Pick<ThemeSums, 'cells' | 'labelCells'> {
  const split = splitDays(f);
  const months = split.months === null ? null : { ...f, ...split.months };
  const cells = new Map<string, ThemeSums['cells'][number]>((months === null ? [] : cellsFromRollups(db, months)).map((c) => [`${c.sourceId}\u0000${c.theme}`, c]));
  const labelCells = new Map<string, ThemeSums['labelCells'][number]>((months === null ? [] : labelCellsFromRollups(db, months)).map((c) => [`${c.label}\u0000${c.theme}`, c]));
  for (const edge of split.edges) {
    const rows = db.values<[sourceId: number, label: string, theme: string, n: number]>(
      sql`SELECT source_id, label, theme, n FROM (${rollupRowsOver('source_theme_rollups', edgeItems(f, edge), { basis: f.basis })}) AS edge`,
    );
    for (const [sourceId, label, theme, n] of rows) {
      const cell = cells.get(`${sourceId}\u0000${theme}`);
      if (cell) cell.count += n;
      else cells.set(`${sourceId}\u0000${theme}`, { sourceId, theme, count: n });
      const labelCell = labelCells.get(`${label}\u0000${theme}`);
      if (labelCell) labelCell.count += n;
      else labelCells.set(`${label}\u0000${theme}`, { label, theme, count: n });
    }
  }
  return { cells: [...cells.values()], labelCells: [...labelCells.values()] };
}

/** A packed row of source_theme_totals: the JSON object of theme → integer count (db/sqlDialect.ts jsonObjectAgg). */
function themeCounts(json: string): Record<string, number> {
  return JSON.parse(json);
}

function fromItems(db: Db, f: DashboardFilters): ThemeSums {
  const b = basisSql(f.basis);
  const s = scope(f);
  const raw = db.all<{ sourceId: number; label: string; theme: string; n: number }>(sql`
    SELECT i.source_id AS "sourceId", ${b.label} AS label, t.theme AS theme, count(*) AS n
    FROM ${s.from} JOIN item_themes t ON t.item_id = i.id AND t.kind = ${b.themeKind}
    WHERE ${s.where} AND ${b.label} IS NOT NULL GROUP BY i.source_id, 2, t.theme`);
  const bySourceTheme = new Map<string, ThemeSums['cells'][number]>();
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
  return {
    counted: db.all(sql`SELECT i.source_id AS "sourceId", count(${b.label}) AS counted FROM ${s.from} WHERE ${s.where} GROUP BY i.source_id`),
    byLabel: db.all(sql`SELECT ${b.label} AS label, count(*) AS n FROM ${s.from} WHERE ${s.where} AND ${b.label} IS NOT NULL GROUP BY 1`),
    cells: [...bySourceTheme.values()],
    labelCells: [...byLabelTheme.values()],
  };
}

const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** Theme heatmap by source (or group) and the label × theme view; themes outside the codebook are dropped. */
export function themesBySource(db: Db, f: DashboardFilters): Themes {
  const head = header(db, f);
  const themeIds = new Set(head.codebook.themes.map((t) => t.id));
  const labelIds = new Set(head.codebook.labels.map((l) => l.id));
  // The label × theme cells of some sources have no month or facet rollups: those filters scan their items.
  const sums = readView((isDated(f) || hasFacets(f)) && f.sourceIds.length > 0 ? { ...f, scan: true } : f, { rollups: () => fromRollups(db, f), scan: () => fromItems(db, f) });
  const units = unitsFor(db, f);
  const perUnit = mergeByUnit(sums.counted, units, (into, r) => (into.counted += r.counted), (r) => ({ ...r }));
  const counted = new Map(perUnit.map(({ key, sums: d }) => [key, d.counted]));
  const cellsByKey = new Map<string, { unit: string; theme: string; count: number }>();
  for (const c of sums.cells) {
    if (!themeIds.has(c.theme)) continue;
    const unit = units.keyOf(c.sourceId);
    const key = `${unit}\u0000${c.theme}`;
    const acc = cellsByKey.get(key);
    if (acc) acc.count += c.count;
    else cellsByKey.set(key, { unit, theme: c.theme, count: c.count });
  }
  const labelCounts = Object.fromEntries(head.codebook.labels.map((l) => [l.id, sums.byLabel.find((r) => r.label === l.id)?.n ?? 0]));
  const unitRank = rankOfUnitKeys(new Set([...cellsByKey.values()].map((c) => c.unit)));
  const cells = [...cellsByKey.values()]
    .sort((x, y) => unitRank.get(x.unit)! - unitRank.get(y.unit)! || byText(x.theme, y.theme))
    .map((c): ThemeCell => {
      const { sourceId, group } = units.unit(c.unit);
      return { sourceId, group, theme: c.theme, count: c.count, share: c.count / (counted.get(c.unit) || 1) };
    });
  const labelCells = sums.labelCells
    .filter((cell) => themeIds.has(cell.theme) && labelIds.has(cell.label))
    .sort((x, y) => byText(x.label, y.label) || byText(x.theme, y.theme))
    .map((cell) => ({ ...cell, share: cell.count / (labelCounts[cell.label] || 1) }));
  return {
    ...head,
    others: units.others,
    sources: perUnit.map(({ key, sums: d }) => ({ ...units.unit(key), counted: d.counted })).sort(units.order),
    cells,
    labelCells,
    labelCounts,
  };
}

/** Source ids in number order, group values as text. */
const byUnitKey = (x: string, y: string) => (/^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : byText(x, y));

/** Each unit key's place in {@link byUnitKey} order, so thousands of cells sort by a number. */
function rankOfUnitKeys(keys: ReadonlySet<string>): Map<string, number> {
  return new Map([...keys].sort(byUnitKey).map((key, rank) => [key, rank]));
}
