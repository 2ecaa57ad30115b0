import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import type { DashboardFilters } from '../filters.ts';
import { jensenShannonDistanceOfShares, shares } from '../similarity.ts';
import { UnitFields, unitsFor } from '../groups.ts';
import { ViewHeaderSchema } from './common.ts';
import { framingMix, type FramingRow } from './framing.ts';
import { sourceThemeCells } from './themes.ts';

/** Jensen–Shannon distances (base 2, 0..1) between the listed sources, row-major; null where a source has no profile. */
const DistanceMatrixSchema = z.array(z.array(z.number().nullable()));

/** How alike sources are. */
export const SimilaritySchema = ViewHeaderSchema.extend({
  sources: z.array(
    z.object({ ...UnitFields, counted: z.number().int(), nearest: z.object({ sourceId: UnitFields.sourceId, source: z.string(), distance: z.number() }).nullable() }),
  ),
  framing: DistanceMatrixSchema,
  themes: DistanceMatrixSchema,
  combined: DistanceMatrixSchema,
  /** Sources left out of the matrix (only the `limit` largest are compared). */
  omitted: z.number().int(),
}).meta({ id: 'DashboardSimilarity' });
export type Similarity = z.infer<typeof SimilaritySchema>;

/** A row's source id, or its group's value (the two never collide: a group key is prefixed). */
const unitKey = (r: { sourceId: number | null; group: string | null }) => (r.sourceId !== null ? String(r.sourceId) : `group:${r.group}`);

/** NaN (a source without themes has no theme distance) has no JSON form: null. */
const json = (m: number[][]) => m.map((row) => row.map((v) => (Number.isNaN(v) ? null : v)));

/**
 * How alike sources are: Jensen–Shannon distance between their framing-label distributions,
 * between their theme distributions, and their mean. The profiles are the same SQL aggregates
 * the framing and theme views use; only the pairwise distances are computed here.
 */
export function sourceSimilarity(db: Db, f: DashboardFilters, limit: number | null): Similarity {
  // Its own `limit` decides which sources are compared: an "others" row has no profile to compare.
  const all = { ...f, top: null };
  const framing = framingMix(db, all);
  const themeIds = framing.codebook.themes.map((t) => t.id);
  const themeIndex = new Map(themeIds.map((id, k) => [id, k]));
  const labelIds = framing.codebook.labels.map((l) => l.id);
  // Theme profiles are summed per unit from the per-source cells: the heatmap's label × theme cells and its sorting are not needed here.
  const grouping = f.groupBy === null ? null : unitsFor(db, all);
  const profileKey = (sourceId: number) => (grouping === null ? String(sourceId) : `group:${grouping.keyOf(sourceId)}`);
  const themeProfile = new Map<string, number[]>();
  for (const cell of sourceThemeCells(db, all)) {
    const k = themeIndex.get(cell.theme);
    if (k === undefined) continue;
    const key = profileKey(cell.sourceId);
    let v = themeProfile.get(key);
    if (!v) themeProfile.set(key, (v = themeIds.map(() => 0)));
    v[k]! += cell.count;
  }
  const ranked = framing.rows.filter((r) => r.counted > 0).sort((a, b) => b.counted - a.counted || a.source.localeCompare(b.source));
  const shown = limit === null ? ranked : ranked.slice(0, limit);
  const framingVec = (r: FramingRow) => labelIds.map((id) => r.counts[id]!);
  const themeVec = (r: FramingRow) => themeProfile.get(unitKey(r)) ?? themeIds.map(() => 0);
  const profiles = ranked.map((r, index) => ({ r, index, fp: shares(framingVec(r)), tp: shares(themeVec(r)) }));
  const jsd = (p: number[] | null, q: number[] | null) => (p === null || q === null ? Number.NaN : jensenShannonDistanceOfShares(p, q));
  type Profile = (typeof profiles)[number];
  const distance = (x: Profile, y: Profile) => {
    const df = jsd(x.fp, y.fp);
    const dt = jsd(x.tp, y.tp);
    return { df, dt, dc: Number.isNaN(dt) ? df : (df + dt) / 2 };
  };
  const shownAll = profiles.slice(0, shown.length);
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
    let best: { sourceId: number | null; source: string; distance: number } | null = null;
    for (const b of profiles) {
      if (b === a) continue;
      const d = distance(a, b).dc;
      if (!Number.isNaN(d) && (best === null || d < best.distance)) best = { sourceId: b.r.sourceId, source: b.r.source, distance: d };
    }
    return best;
  };
  return {
    basis: framing.basis,
    statement: framing.statement,
    level: framing.level,
    codebook: framing.codebook,
    groupBy: framing.groupBy,
    others: 0,
    sources: shownAll.map((a) => ({ sourceId: a.r.sourceId, source: a.r.source, group: a.r.group, counted: a.r.counted, nearest: nearestOf(a) })),
    framing: json(mf),
    themes: json(mt),
    combined: json(mc),
    omitted: ranked.length - shown.length,
  };
}
