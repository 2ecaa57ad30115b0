import { sql, type SQL } from 'drizzle-orm';
import { REVIEW_STATUSES } from '../../../db/schema/vocabulary.ts';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { perConnection } from '../../../db/prepared.ts';
import { quantile, type Interval } from '../../metrics/bootstrap.ts';
import { normalQuantile } from '../corrected.ts';
import { addDocumentSums, addMeasureSums, type MeasureSums } from '../difference.ts';
import { basisSql } from '../../items/provenance.ts';
import { dateRange, inList, rollupSources, scope, type DashboardFilters } from '../filters.ts';
import { header, SMALL_DOCUMENTS, SMALL_ITEMS, ViewHeaderSchema } from './common.ts';
import { mergeByUnit, UnitFields, unitsFor, type Units } from '../groups.ts';
import { readView } from './read.ts';
import { isDated } from '../months.ts';
import { viewTable } from './days.ts';
import { hasFacets, provenanceConditions } from '../facets.ts';

/** Sources with at most this many documents get a bootstrap interval; larger ones the cluster-robust normal one. */
export const BOOTSTRAP_MAX_DOCUMENTS = 30;
export const BOOTSTRAP_ITERATIONS = 1000;
export const BOOTSTRAP_SEED = 20_230_501;

const StanceRowSchema = z.object({
  ...UnitFields,
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
export type Stance = z.infer<typeof StanceSchema>;

/** A resampling unit: a document's (or a single passage's) stance sum and count. */
type Unit = [s: number, n: number];

/** Per source: documents with a stance, Σs, Σn, Σs², Σs·n, Σn² over them, and (where a bootstrap needs them) each document's (s, n). */
interface StanceSums extends MeasureSums {
  sourceId: number;
  docs: Unit[];
}

const resamplesDocuments = (r: { documents: number }) => r.documents > 1 && r.documents <= BOOTSTRAP_MAX_DOCUMENTS;

/** Adds one document's stance sum `ds` over `dn` items to its source's sums, keeping it as a resampling unit. */
function addDocument(r: StanceSums, ds: number, dn: number): void {
  addDocumentSums(r, ds, dn);
  r.docs.push([ds, dn]);
}

function fromItems(db: Db, f: DashboardFilters): StanceSums[] {
  const b = basisSql(f.basis);
  const s = scope(f);
  // One row per document (an aggregate, never the passages themselves); sources are summed here.
  // A document has one source: min() names it in a way PostgreSQL accepts for a column not grouped by.
  // In document order, as the rollups give them (the bootstrap resamples in that order); SQLite's GROUP BY already gives it.
  const perDocument = db.values<[sourceId: number, s: number, n: number]>(
    sql`SELECT min(i.source_id), sum(${b.stance}), count(${b.stance}) FROM ${s.from} WHERE ${s.where} AND ${b.stance} IS NOT NULL GROUP BY i.document_id ORDER BY i.document_id`,
  );
  const bySourceId = new Map<number, StanceSums>();
  for (const [sourceId, ds, dn] of perDocument) {
    let r = bySourceId.get(sourceId);
    if (!r) bySourceId.set(sourceId, (r = { sourceId, documents: 0, s: 0, n: 0, ss: 0, sn: 0, nn: 0, docs: [] }));
    addDocument(r, ds, dn);
  }
  return [...bySourceId.values()];
}

/**
 * Under a status or provenance filter, each document's stance sum and count over only its
 * matching items: its facet rows of document_rollups_facets summed, in (source, document) order.
 * Every status is named when none is chosen, so a provenance filter reads a few runs of the
 * facet-led primary key.
 */
function facetDocuments(f: DashboardFilters): SQL {
  const where: SQL[] = [sql`level = ${f.level}`, sql`basis = ${f.basis}`, sql`review_status IN ${inList(f.statuses.length > 0 ? f.statuses : REVIEW_STATUSES)}`];
  where.push(...provenanceConditions(f));
  if (f.sourceIds.length > 0) where.push(sql`source_id IN ${inList(f.sourceIds)}`);
  return sql`SELECT source_id, sum(stance_sum), sum(n) FROM document_rollups_facets WHERE ${sql.join(where, sql` AND `)} GROUP BY source_id, document_id ORDER BY source_id, document_id`;
}

/**
 * The per-source sums from the documents' facet rows, read once: each document's (s, n) is
 * summed into its source's sums here, and kept as a unit only for the sources a bootstrap resamples.
 */
function fromFacets(db: Db, f: DashboardFilters, units: Units): StanceSums[] {
  const perSource: StanceSums[] = [];
  let r: StanceSums | undefined;
  for (const [sourceId, ds, dn] of db.values<[sourceId: number, s: number, n: number]>(facetDocuments(f))) {
    if (r?.sourceId !== sourceId) perSource.push((r = { sourceId, documents: 0, s: 0, n: 0, ss: 0, sn: 0, nn: 0, docs: [] }));
    addDocument(r, ds, dn);
  }
  const resampled = resampledSources(perSource, units);
  for (const x of perSource) if (!resampled.has(x.sourceId)) x.docs = [];
  return perSource;
}

/** The sources whose units (a source, or a group) a bootstrap resamples, by id. */
function resampledSources(sums: StanceSums[], units: Units): Map<number, StanceSums> {
  const unitDocuments = new Map<string, number>();
  for (const r of sums) unitDocuments.set(units.keyOf(r.sourceId), (unitDocuments.get(units.keyOf(r.sourceId)) ?? 0) + r.documents);
  return new Map(sums.filter((r) => resamplesDocuments({ documents: unitDocuments.get(units.keyOf(r.sourceId))! })).map((r) => [r.sourceId, r]));
}

/**
 * The same sums from source_stance_rollups (or, under a status or provenance filter, from the
 * documents' facet rows); per-document units are read only for the sources of units (a source,
 * or a group) a bootstrap resamples.
 */
function fromRollups(db: Db, f: DashboardFilters, units: Units): StanceSums[] {
  if (hasFacets(f)) return fromFacets(db, f, units);
  const sums = db
    .all<Omit<StanceSums, 'docs'>>(
      sql`SELECT source_id AS "sourceId", documents, n, s, ss, sn, nn FROM ${viewTable(f, 'source_stance_rollups')} WHERE level = ${f.level} AND basis = ${f.basis}${rollupSources(f)} ORDER BY source_id`,
    )
    .map((r): StanceSums => ({ ...r, docs: [] }));
  const resampled = resampledSources(sums, units);
  if (resampled.size === 0) return sums;
  // A date range reads the sources' document rows by the source index, then each one's date by its key (CROSS JOIN keeps that order; its condition is in the WHERE, as PostgreSQL takes no ON after CROSS JOIN).
  const dated = isDated(f);
  const from = dated ? sql`document_rollups r CROSS JOIN documents d` : sql`document_rollups r`;
  const dates = dated ? sql` AND d.id = r.document_id AND ${dateRange(f, sql`d.published_start`)}` : sql``;
  const docs = db.values<[sourceId: number, s: number, n: number]>(
    sql`SELECT r.source_id, r.stance_sum, r.n FROM ${from} WHERE r.level = ${f.level} AND r.basis = ${f.basis} AND r.source_id IN ${inList([...resampled.keys()])}${dates} ORDER BY r.document_id`,
  );
  for (const [sourceId, ds, dn] of docs) resampled.get(sourceId)!.docs.push([ds, dn]);
  return sums;
}

const addSums = (into: StanceSums, r: StanceSums) => {
  addMeasureSums(into, r);
  into.docs.push(...r.docs);
};

/** Bootstrap intervals kept per connection, by their units: the most recent this many. */
const INTERVAL_MEMO_SIZE = 20_000;

/**
 * Intervals already computed, keyed by the units they resample (each document's stance sum and
 * count, in order). The interval is a pure function of that list and the fixed seed, so a kept
 * one is exactly what resampling again would give, and a write that changes a source's documents
 * changes its key: nothing needs invalidating. A dashboard asks for the same few hundred small
 * sources on every load; each is resampled once.
 */
const intervalMemo = perConnection(() => new Map<string, Pick<Interval, 'low' | 'high'>>());

/** ratioInterval, remembered per connection by its units (least recently used dropped first). */
function rememberedInterval(db: Db, units: readonly Unit[]): Pick<Interval, 'low' | 'high'> {
  const memo = intervalMemo(db);
  let key = '';
  for (const [s, n] of units) key += `${s},${n};`;
  const kept = memo.get(key);
  if (kept !== undefined) {
    memo.delete(key);
    memo.set(key, kept);
    return kept;
  }
  const ci = ratioInterval(units);
  memo.set(key, ci);
  if (memo.size > INTERVAL_MEMO_SIZE) memo.delete(memo.keys().next().value!);
  return ci;
}

/**
 * The percentile bootstrap of Σs / Σn over `units` at 95%: bootstrapInterval (metrics/bootstrap.ts)
 * with the same seeded draws and sums, so the same interval, without building each resample
 * (hundreds of small sources are resampled per request under a date range).
 */
function ratioInterval(units: readonly Unit[]): Pick<Interval, 'low' | 'high'> {
  const m = units.length;
  const sums = Float64Array.from(units, (u) => u[0]);
  const counts = Float64Array.from(units, (u) => u[1]);
  const stats = new Float64Array(BOOTSTRAP_ITERATIONS);
  // seededRandom's mulberry32 steps written out in the loop (the same draws, without a call per
  // draw): hundreds of small sources take a million draws per request.
  let state = BOOTSTRAP_SEED >>> 0;
  let kept = 0;
  for (let i = 0; i < BOOTSTRAP_ITERATIONS; i++) {
    let s = 0;
    let n = 0;
    for (let j = 0; j < m; j++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const k = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * m);
      s += sums[k]!;
      n += counts[k]!;
    }
    const value = s / n;
    if (!Number.isNaN(value)) stats[kept++] = value;
  }
  if (kept === 0) return { low: Number.NaN, high: Number.NaN };
  const sorted = Array.from(stats.subarray(0, kept).sort());
  const tail = (1 - 0.95) / 2;
  return { low: quantile(sorted, tail), high: quantile(sorted, 1 - tail) };
}

/**
 * Mean stance per source with a 95% interval that treats documents as the sampling unit
 * (passages of one article are not independent): a percentile bootstrap over documents for
 * sources with up to {@link BOOTSTRAP_MAX_DOCUMENTS} documents, and beyond that the normal
 * interval of the same ratio estimator with the document-clustered (linearised) variance the
 * bootstrap converges to, so a 500-source corpus answers at once.
 */
export function stanceBySource(db: Db, f: DashboardFilters): Stance {
  const head = header(db, f);
  const groupsOrSources = unitsFor(db, f);
  const perSource = readView(f, { rollups: () => fromRollups(db, f, groupsOrSources), scan: () => fromItems(db, f) });
  const sums = mergeByUnit(perSource, groupsOrSources, addSums, (r) => ({ ...r, docs: [...r.docs] }));
  const units = new Map<string, Unit[]>();
  for (const { key, sums: r } of sums) if (resamplesDocuments(r)) units.set(key, r.docs);
  // One document cannot be resampled: its passages are, and the method says they were treated as independent.
  const singleDocument = new Set(sums.filter(({ sums: r }) => r.documents === 1).map(({ key }) => key));
  if (singleDocument.size > 0) {
    const b = basisSql(f.basis);
    const s = scope(f);
    const sourceIds = perSource.filter((r) => singleDocument.has(groupsOrSources.keyOf(r.sourceId))).map((r) => r.sourceId);
    const passages = db.values<[sourceId: number, s: number]>(
      sql`SELECT i.source_id, ${b.stance} FROM ${s.from} WHERE ${s.where} AND ${b.stance} IS NOT NULL AND i.source_id IN ${inList(sourceIds)}`,
    );
    for (const [sourceId, stance] of passages) {
      const key = groupsOrSources.keyOf(sourceId);
      const list = units.get(key) ?? [];
      list.push([stance, 1]);
      units.set(key, list);
    }
  }
  const z95 = normalQuantile(0.95);
  const rows = sums.map(({ key, sums: r }): StanceRow => {
    const mean = r.s / r.n;
    let ci: Pick<Interval, 'low' | 'high'>;
    let method: StanceRow['method'];
    const resampled = units.get(key);
    if (resampled) {
      ci = rememberedInterval(db, resampled);
      method = r.documents > 1 ? 'bootstrap' : 'bootstrap-passages';
    } else {
      // Σ_d (s_d − r n_d)² expanded into the SQL sums.
      const resid = r.ss - 2 * mean * r.sn + mean * mean * r.nn;
      const se = Math.sqrt(Math.max(0, resid) * (r.documents / (r.documents - 1))) / r.n;
      ci = { low: mean - z95 * se, high: mean + z95 * se };
      method = 'cluster-normal';
    }
    return {
      ...groupsOrSources.unit(key),
      items: r.n,
      documents: r.documents,
      mean,
      low: ci.low,
      high: ci.high,
      method,
      small: r.n < SMALL_ITEMS || r.documents < SMALL_DOCUMENTS,
    };
  });
  return { ...head, others: groupsOrSources.others, level95: 0.95, rows: rows.sort(groupsOrSources.order) };
}
