import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { notFound } from '../errors.ts';
import { basisSql, basisStatement, BASIS_NAMES, type Basis } from '../items/provenance.ts';
import { groupsOf, SourceGroupsSchema } from '../sources/groups.ts';
import { StorySummarySchema, storySummary } from './read.ts';

const Framing = z.object({ label: z.string().nullable(), stance: z.number().int().nullable() });

const EvidenceSchema = z.object({
  quote: z.string(),
  /** The passage the quote is from (null: the whole document's suggestion), for the link to it. */
  passageId: z.number().int().nullable(),
  /** The label of the suggestion that cites it. */
  label: z.string(),
});

const StoryDocumentSchema = z.object({
  documentId: z.number().int(),
  title: z.string(),
  sourceId: z.number().int(),
  source: z.string(),
  published: z.string().nullable(),
  /** YYYY-MM-DD for day-precise dates, else null (the timeline places only those). */
  day: z.string().nullable(),
  url: z.string().nullable(),
  /** The earlier document of another source this one copies (syndicated), or null. */
  duplicateOf: z.number().int().nullable(),
  /** Counted in the story's figures: false for a syndicated copy unless syndicated=include. */
  counted: z.boolean(),
  addedBy: z.enum(['machine', 'person']),
  addedByName: z.string(),
  method: z.enum(['similarity', 'llm', 'syndicated', 'person']),
  similarity: z.number().nullable(),
  note: z.string().nullable(),
  /** The document item: its id (for the item view) and its labels on each basis. */
  itemId: z.number().int().nullable(),
  reviewStatus: z.string().nullable(),
  model: Framing.extend({ confidence: z.number().nullable() }),
  people: Framing,
  final: Framing.extend({ origin: z.string().nullable() }),
  /** Passage labels on the final basis (label → passages), for articles labelled passage by passage. */
  passageLabels: z.record(z.string(), z.number().int()),
  evidence: z.array(EvidenceSchema),
});
export type StoryDocumentView = z.infer<typeof StoryDocumentSchema>;

const CoverageSchema = z.object({
  /** country, language or a named grouping. */
  grouping: z.string(),
  values: z.array(z.object({ value: z.string(), sources: z.number().int(), documents: z.number().int() })),
});

/** One story: what it is, every document with its outlet's framing on each basis side by side, and which groups covered it. */
export const StoryDetailSchema = z
  .object({
    story: StorySummarySchema,
    /** The basis the people column shows: people, or people incl. bulk with includeBulk. */
    peopleBasis: z.string(),
    statement: z.string(),
    syndicated: z.enum(['include', 'exclude']),
    sources: z.array(z.object({ id: z.number().int(), name: z.string(), country: z.string().nullable(), language: z.string().nullable(), groups: SourceGroupsSchema })),
    documents: z.array(StoryDocumentSchema),
    coverage: z.array(CoverageSchema),
  })
  .meta({ id: 'StoryDetail' });
export type StoryDetail = z.infer<typeof StoryDetailSchema>;

/** Quotes shown per document at most. */
const MAX_QUOTES = 3;

type Row = {
  documentId: number;
  title: string;
  sourceId: number;
  source: string;
  published: string | null;
  start: string | null;
  precision: string | null;
  url: string | null;
  duplicateOf: number | null;
  addedBy: 'machine' | 'person';
  addedByName: string;
  method: StoryDocumentView['method'];
  similarity: number | null;
  note: string | null;
  itemId: number | null;
  reviewStatus: string | null;
  modelLabel: string | null;
  modelStance: number | null;
  modelConfidence: number | null;
  peopleLabel: string | null;
  peopleStance: number | null;
  finalLabel: string | null;
  finalStance: number | null;
  finalOrigin: string | null;
  evidence: string | null;
};

/**
 * A story with its documents in publication order. A syndicated copy (a document linked to
 * another source's original) is listed but counted only with syndicated=include, as the
 * dashboard's syndicated filter counts it: the original stands for its copies.
 */
export function storyDetail(db: Db, id: number, opts: { includeBulk: boolean; syndicated: 'include' | 'exclude' }): StoryDetail {
  const story = storySummary(db, id);
  if (!story) throw notFound(`story ${id} not found`);
  const people: Basis = opts.includeBulk ? 'people-bulk' : 'people';
  const m = basisSql('model');
  const p = basisSql(people);
  const f = basisSql('final');
  const rows = db.all<Row>(sql`
    SELECT d.id AS "documentId", d.title AS title, d.source_id AS "sourceId", src.name AS source, d.published AS published, d.published_start AS start,
           d.published_precision AS precision, d.url AS url, d.duplicate_of AS "duplicateOf",
           sd.added_by AS "addedBy", sd.added_by_name AS "addedByName", sd.method AS method, sd.similarity AS similarity, sd.note AS note,
           i.id AS "itemId", i.review_status AS "reviewStatus",
           ${m.label} AS "modelLabel", ${m.stance} AS "modelStance", i.suggested_confidence AS "modelConfidence",
           ${p.label} AS "peopleLabel", ${p.stance} AS "peopleStance", ${f.label} AS "finalLabel", ${f.stance} AS "finalStance", i.final_origin AS "finalOrigin",
           sg.evidence AS evidence
    FROM story_documents sd JOIN documents d ON d.id = sd.document_id JOIN sources src ON src.id = d.source_id
    LEFT JOIN items i ON i.document_id = d.id AND i.level = 'document'
    LEFT JOIN suggestions sg ON sg.id = i.latest_suggestion_id
    WHERE sd.story_id = ${id} ORDER BY d.published_start IS NULL, d.published_start, src.name, d.id`);
  const passageRows = db.all<{ documentId: number; label: string | null; passageId: number; suggested: string | null; evidence: string | null }>(sql`
    SELECT i.document_id AS "documentId", ${f.label} AS label, i.passage_id AS "passageId", i.suggested_label AS suggested, sg.evidence AS evidence
    FROM story_documents sd JOIN items i ON i.document_id = sd.document_id AND i.level = 'passage' AND i.excluded = FALSE
    LEFT JOIN suggestions sg ON sg.id = i.latest_suggestion_id
    WHERE sd.story_id = ${id} ORDER BY i.document_id, i.seq`);
  const passageLabels = new Map<number, Record<string, number>>();
  const passageQuotes = new Map<number, StoryDocumentView['evidence']>();
  for (const r of passageRows) {
    if (r.label !== null) {
      const counts = passageLabels.get(r.documentId) ?? {};
      counts[r.label] = (counts[r.label] ?? 0) + 1;
      passageLabels.set(r.documentId, counts);
    }
    const quotes = passageQuotes.get(r.documentId) ?? [];
    for (const q of parseQuotes(r.evidence)) if (quotes.length < MAX_QUOTES && r.suggested !== null) quotes.push({ quote: q, passageId: r.passageId, label: r.suggested });
    passageQuotes.set(r.documentId, quotes);
  }
  const documents = rows.map((r): StoryDocumentView => {
    const own = r.modelLabel === null ? [] : parseQuotes(r.evidence).map((quote) => ({ quote, passageId: null, label: r.modelLabel! }));
    return {
      documentId: r.documentId,
      title: r.title,
      sourceId: r.sourceId,
      source: r.source,
      published: r.published,
      day: r.precision === 'day' ? r.start : null,
      url: r.url,
      duplicateOf: r.duplicateOf,
      counted: opts.syndicated === 'include' || r.duplicateOf === null,
      addedBy: r.addedBy,
      addedByName: r.addedByName,
      method: r.method,
      similarity: r.similarity,
      note: r.note,
      itemId: r.itemId,
      reviewStatus: r.reviewStatus,
      model: { label: r.modelLabel, stance: r.modelStance, confidence: r.modelConfidence },
      people: { label: r.peopleLabel, stance: r.peopleStance },
      final: { label: r.finalLabel, stance: r.finalStance, origin: r.finalLabel === null ? null : r.finalOrigin },
      passageLabels: passageLabels.get(r.documentId) ?? {},
      evidence: [...own, ...(passageQuotes.get(r.documentId) ?? [])].slice(0, MAX_QUOTES),
    };
  });
  const sourceIds = [...new Set(rows.map((r) => r.sourceId))];
  const groups = groupsOf(db, sourceIds);
  const sourceRows = db.$client.prepare(`SELECT id, name, country, language FROM sources WHERE id IN (${sourceIds.map(() => '?').join(',') || 'NULL'}) ORDER BY name`).all(...sourceIds) as { id: number; name: string; country: string | null; language: string | null }[];
  const sources = sourceRows.map((s) => ({ ...s, groups: groups.get(s.id) ?? {} }));
  return { story, peopleBasis: BASIS_NAMES[people], statement: basisStatement(people), syndicated: opts.syndicated, sources, documents, coverage: coverageOf(sources, documents) };
}

/** Quotes of a stored evidence list. */
function parseQuotes(evidence: string | null): string[] {
  if (!evidence) return [];
  const list = JSON.parse(evidence) as { quote: string }[];
  return list.map((e) => e.quote).filter((q) => q.trim() !== '');
}

/** Per grouping (country, language, then the named ones), each value's outlets and counted documents. */
function coverageOf(sources: StoryDetail['sources'], documents: readonly StoryDocumentView[]): StoryDetail['coverage'] {
  const counted = documents.filter((d) => d.counted);
  const groupings = ['country', 'language', ...[...new Set(sources.flatMap((s) => Object.keys(s.groups)))].sort()];
  const valueOf = (s: StoryDetail['sources'][number], g: string) => (g === 'country' ? s.country : g === 'language' ? s.language : (s.groups[g] ?? null)) ?? '';
  const byId = new Map(sources.map((s) => [s.id, s]));
  return groupings.map((grouping) => {
    const values = new Map<string, { sources: Set<number>; documents: number }>();
    for (const d of counted) {
      const v = valueOf(byId.get(d.sourceId)!, grouping);
      const entry = values.get(v) ?? { sources: new Set<number>(), documents: 0 };
      entry.sources.add(d.sourceId);
      entry.documents++;
      values.set(v, entry);
    }
    return { grouping, values: [...values].map(([value, e]) => ({ value, sources: e.sources.size, documents: e.documents })).sort((a, b) => b.documents - a.documents || a.value.localeCompare(b.value)) };
  });
}
