import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { badRequest } from '../../errors.ts';
import { basisSql } from '../../items/provenance.ts';
import { unassignedName } from '../../sources/groups.ts';
import { differencesFromSums, sumsOf, type DocumentUnit } from '../difference.ts';
import { hasFacets } from '../facets.ts';
import { inList, readsRollups, scope, type DashboardFilters } from '../filters.ts';
import { groupSourceIds } from '../groups.ts';
import { header, ViewHeaderSchema } from './common.ts';
import { sideSumsFromRollups, sideUnitsFromFacets, sideUnitsFromRollups } from './compareSums.ts';

const DifferenceSchema = z.object({
  a: z.number().nullable(),
  b: z.number().nullable(),
  /** a − b. */
  difference: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
});

const ComparedGroupSchema = z.object({
  /** The group's value ('' for the sources without one) and how it is shown. */
  group: z.string(),
  name: z.string(),
  sources: z.number().int(),
  documents: z.number().int(),
  /** Items with a label under the basis (the shares' denominator). */
  counted: z.number().int(),
});

/** Two groups of sources side by side: each label's share and the mean stance, with the difference and its interval. */
export const CompareSchema = ViewHeaderSchema.extend({
  a: ComparedGroupSchema,
  b: ComparedGroupSchema,
  level95: z.number(),
  /** bootstrap: documents resampled within each group; cluster-normal: the document-clustered normal interval (many documents). */
  method: z.enum(['bootstrap', 'cluster-normal']),
  labels: z.array(DifferenceSchema.extend({ label: z.string() })),
  stance: DifferenceSchema,
}).meta({ id: 'DashboardCompare' });
export type Compare = z.infer<typeof CompareSchema>;

/** One document's counted items per codebook label and its stance sums, for the sources given, from a scan of their items. */
export function documentUnits(db: Db, f: DashboardFilters, sourceIds: number[], labels: readonly { id: string }[]): { units: DocumentUnit[]; counted: number } {
  if (sourceIds.length === 0) return { units: [], counted: 0 };
  const b = basisSql(f.basis);
  const s = scope({ ...f, sourceIds });
  const rows = db.values<[documentId: number, label: string | null, n: number, stanceN: number, stanceSum: number]>(sql`
    SELECT i.document_id, ${b.label}, count(*), count(${b.stance}), coalesce(sum(${b.stance}), 0)
    FROM ${s.from} WHERE ${s.where} AND (${b.label} IS NOT NULL OR ${b.stance} IS NOT NULL) AND i.source_id IN ${inList(sourceIds)}
    GROUP BY i.document_id, 2 ORDER BY i.document_id`);
  const index = new Map(labels.map((l, k) => [l.id, k]));
  const measures = labels.length + 1;
  const units: DocumentUnit[] = [];
  let current = { id: -1, sums: [] as number[], counts: [] as number[] };
  let counted = 0;
  for (const [documentId, label, n, stanceN, stanceSum] of rows) {
    if (current.id !== documentId) {
      current = { id: documentId, sums: new Array<number>(measures).fill(0), counts: new Array<number>(measures).fill(0) };
      units.push(current);
    }
    if (label !== null) {
      counted += n;
      const k = index.get(label);
      if (k !== undefined) current.sums[k]! += n;
      // Labels outside the codebook still count in each share's denominator, as in the framing view.
      for (let j = 0; j < labels.length; j++) current.counts[j]! += n;
    }
    current.sums[labels.length]! += stanceSum;
    current.counts[labels.length]! += stanceN;
  }
  return { units, counted };
}

/** One side of a comparison: its value (a group value, or a source id), how it is shown, and its sources. */
export interface ComparedSide {
  value: string;
  name: string;
  ids: number[];
}

/**
 * Compares two sides under the filters: each framing label's share and the mean stance in both,
 * and a − b with a 95% interval over documents resampled within each side.
 */
export function compareSides(db: Db, f: DashboardFilters, a: ComparedSide, b: ComparedSide): Compare {
  const head = header(db, f);
  const labels = head.codebook.labels;
  const measures = labels.length + 1;
  // A status or provenance filter splits a document's items: its units come from the facet rows.
  const fromRollups = readsRollups(f);
  const measure = (x: ComparedSide) => {
    if (fromRollups && !hasFacets(f)) return { ...x, ...sideSumsFromRollups(db, f, x.ids, labels), units: () => sideUnitsFromRollups(db, f, x.ids, labels) };
    const { units, counted } = fromRollups ? sideUnitsFromFacets(db, f, x.ids, labels) : documentUnits(db, f, x.ids, labels);
    return { ...x, sums: sumsOf(units, measures), counted, units: () => units };
  };
  const [sa, sb] = [measure(a), measure(b)];
  const result = differencesFromSums(sa.sums, sb.sums, () => [sa.units(), sb.units()]);
  const describe = (x: typeof sa) => ({ group: x.value, name: x.name, sources: x.ids.length, documents: x.sums.documents, counted: x.counted });
  return {
    ...head,
    a: describe(sa),
    b: describe(sb),
    level95: result.level,
    method: result.method,
    labels: labels.map((l, k) => ({ label: l.id, ...result.measures[k]! })),
    stance: result.measures[labels.length]!,
  };
}

/**
 * Compares two groups of one grouping (`a` and `b` are values; '' the sources without one) under
 * the filters (compareSides).
 */
export function compareGroups(db: Db, f: DashboardFilters, a: string, b: string): Compare {
  if (f.groupBy === null) throw badRequest('groupBy: name the grouping whose groups a and b are compared (e.g. groupBy=alignment)', 'invalid_input');
  if (a === b) throw badRequest(`a and b are the same group ("${a}"): choose two different groups`, 'invalid_input');
  const grouping = f.groupBy;
  const side = (value: string): ComparedSide => {
    const inGroup = groupSourceIds(db, { grouping, value: value === '' ? null : value });
    return { value, name: value === '' ? unassignedName(grouping) : value, ids: f.sourceIds.length === 0 ? inGroup : inGroup.filter((id) => f.sourceIds.includes(id)) };
  };
  return compareSides(db, f, side(a), side(b));
}
