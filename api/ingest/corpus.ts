import { and, asc, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { dialectFor, likeInsensitive } from '../../db/sqlDialect.ts';
import { documents, items, passages, sources } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { groupsOf, setGroups, SourceGroupsPatchSchema, SourceGroupsSchema } from '../sources/groups.ts';
import { webUrlProblem } from './webUrl.ts';

/** A source with how much of the corpus it holds. */
export const SourceSummarySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    country: z.string().nullable(),
    language: z.string().nullable(),
    url: z.string().nullable(),
    notes: z.string().nullable(),
    groups: SourceGroupsSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
    documentCount: z.number().int(),
    passageCount: z.number().int(),
  })
  .meta({ id: 'Source' });
export type SourceSummary = z.infer<typeof SourceSummarySchema>;

/** Every source. */
export const SourceListSchema = z.object({ sources: z.array(SourceSummarySchema) }).meta({ id: 'SourceList' });

const sourceCounts = {
  documentCount: sql<number>`(SELECT count(*) FROM documents d WHERE d.source_id = "sources"."id")`.mapWith(Number),
  passageCount: sql<number>`(SELECT count(*) FROM passages p JOIN documents d ON d.id = p.document_id WHERE d.source_id = "sources"."id")`.mapWith(Number),
};

/** Every source, by name, with its groupings and document and passage counts. */
export function listSources(db: Db): SourceSummary[] {
  const groups = groupsOf(db);
  return db
    .select({ ...sourceColumns(), ...sourceCounts })
    .from(sources)
    .orderBy(asc(sources.name))
    .all()
    .map((s) => ({ ...s, groups: groups.get(s.id) ?? {} }));
}

function sourceColumns() {
  return { id: sources.id, name: sources.name, country: sources.country, language: sources.language, url: sources.url, notes: sources.notes, createdAt: sources.createdAt, updatedAt: sources.updatedAt };
}

/** One source with its counts; 404 when missing. */
export function getSource(db: Db, id: number): SourceSummary {
  const row = db
    .select({ ...sourceColumns(), ...sourceCounts })
    .from(sources)
    .where(eq(sources.id, id))
    .get();
  if (!row) throw notFound(`source ${id} not found`);
  return { ...row, groups: groupsOf(db, [id]).get(id) ?? {} };
}

/** Editable source fields; null clears a field. */
export const SourcePatchSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    country: z.string().trim().max(100).nullable().optional(),
    language: z.string().trim().max(100).nullable().optional(),
    url: z.string().trim().max(2000).nullable().optional(),
    notes: z.string().max(10_000).nullable().optional(),
    groups: SourceGroupsPatchSchema.optional(),
  })
  .meta({ id: 'SourcePatch' });
export type SourcePatch = z.infer<typeof SourcePatchSchema>;

/** Updates a source (audited); 409 when the new name belongs to another source. */
export function updateSource(db: Db, id: number, patch: SourcePatch, actor: string, now: Date): SourceSummary {
  const urlProblem = patch.url ? webUrlProblem(patch.url) : null;
  if (urlProblem) throw badRequest(urlProblem, 'invalid_url');
  db.transaction((tx) => {
    const before = tx.select().from(sources).where(eq(sources.id, id)).get();
    if (!before) throw notFound(`source ${id} not found`);
    const groupsBefore = groupsOf(tx, [id]).get(id) ?? {};
    if (patch.name !== undefined && patch.name !== before.name) {
      const clash = tx.select({ id: sources.id }).from(sources).where(eq(sources.name, patch.name)).get();
      if (clash) throw conflict(`a source named "${patch.name}" already exists (id ${clash.id})`);
    }
    const { groups, ...fields } = patch;
    const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Omit<SourcePatch, 'groups'>;
    tx.update(sources)
      .set({ ...changes, updatedAt: now.toISOString() })
      .where(eq(sources.id, id))
      .run();
    if (groups) setGroups(tx, id, groups);
    audit(tx, { actor, action: 'source.update', entityType: 'source', entityId: id, before: { ...before, groups: groupsBefore }, after: patch, at: now });
  });
  return getSource(db, id);
}

/** A document row in a list: metadata and passage counts, no text. */
export const DocumentSummarySchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    author: z.string().nullable(),
    published: z.string().nullable(),
    publishedPrecision: z.enum(documents.publishedPrecision.enumValues).nullable(),
    url: z.string().nullable(),
    language: z.string().nullable(),
    sourceId: z.number().int(),
    sourceName: z.string(),
    /** The row's own id in the imported file, if it had one. */
    externalId: z.string().nullable(),
    /** The earlier document of another source this one copies (a syndicated story), else null. */
    duplicateOf: z.number().int().nullable(),
    passageCount: z.number().int(),
    excludedCount: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'DocumentSummary' });
export type DocumentSummary = z.infer<typeof DocumentSummarySchema>;

/** Which documents to list: a search, a source, and a page (1-based). */
export const DocumentQuerySchema = z.object({
  q: z.string().max(500).optional(),
  sourceId: z.coerce.number().int().positive().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});
export type DocumentQuery = z.infer<typeof DocumentQuerySchema>;

/** One page of documents. */
export const DocumentPageSchema = z
  .object({ documents: z.array(DocumentSummarySchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() })
  .meta({ id: 'DocumentPage' });
export type DocumentPage = z.infer<typeof DocumentPageSchema>;

/** Documents matching a search (title, author, text or external id contain `q`, case-insensitive for ASCII), newest first, paged. */
export function listDocuments(db: Db, query: DocumentQuery): DocumentPage {
  const conds: SQL[] = [];
  if (query.sourceId !== undefined) conds.push(eq(documents.sourceId, query.sourceId));
  const q = query.q?.trim();
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const dialect = dialectFor(db);
    const m = (col: typeof documents.title | typeof documents.author | typeof documents.text | typeof documents.externalId) => likeInsensitive(dialect, sql`${col}`, pattern, '\\');
    conds.push(or(eq(documents.externalId, q), m(documents.title), m(documents.author), m(documents.externalId), m(documents.text))!);
  }
  const where = conds.length ? and(...conds) : undefined;
  const total = db.select({ n: sql<number>`count(*)` }).from(documents).where(where).get()!.n;
  const rows = db
    .select({
      id: documents.id,
      title: documents.title,
      author: documents.author,
      published: documents.published,
      publishedPrecision: documents.publishedPrecision,
      url: documents.url,
      language: documents.language,
      sourceId: documents.sourceId,
      sourceName: sources.name,
      externalId: documents.externalId,
      duplicateOf: documents.duplicateOf,
      passageCount: sql<number>`(SELECT count(*) FROM passages p WHERE p.document_id = "documents"."id")`.mapWith(Number),
      excludedCount: sql<number>`(SELECT count(*) FROM passages p WHERE p.document_id = "documents"."id" AND p.excluded = TRUE)`.mapWith(Number),
      createdAt: documents.createdAt,
    })
    .from(documents)
    .innerJoin(sources, eq(sources.id, documents.sourceId))
    .where(where)
    .orderBy(desc(documents.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .all();
  return { documents: rows, total, page: query.page, pageSize: query.pageSize };
}

/** A passage as the document page shows it, with the item that labels it. */
export const PassageViewSchema = z
  .object({
    id: z.number().int(),
    seq: z.number().int(),
    start: z.number().int(),
    end: z.number().int(),
    text: z.string(),
    excluded: z.boolean(),
    excludedReason: z.string().nullable(),
    excludedBy: z.enum(passages.excludedBy.enumValues).nullable(),
    autoExcluded: z.boolean(),
    autoExcludedReason: z.string().nullable(),
    itemId: z.number().int(),
  })
  .meta({ id: 'Passage' });
export type PassageView = z.infer<typeof PassageViewSchema>;

/** A document with its text and passages. */
export const DocumentViewSchema = z
  .object({
    document: DocumentSummarySchema.extend({
      text: z.string(),
      notes: z.string().nullable(),
      origin: z.string().nullable(),
      contentHash: z.string(),
      publishedStart: z.string().nullable(),
      /** The date as the imported file wrote it. */
      publishedRaw: z.string().nullable(),
      /** Columns of the imported row kept as metadata. */
      metadata: z.record(z.string(), z.string()).nullable(),
      /** Jaccard similarity with `duplicateOf`. */
      duplicateSimilarity: z.number().nullable(),
      importId: z.number().int().nullable(),
    }),
    /** The document-level item. */
    itemId: z.number().int(),
    passages: z.array(PassageViewSchema),
  })
  .meta({ id: 'DocumentView' });
export type DocumentView = z.infer<typeof DocumentViewSchema>;

/** One document with its text, its passages (with exclusion state) and their item ids; 404 when missing. */
export function getDocument(db: Db, id: number): DocumentView {
  const doc = db
    .select({ d: documents, sourceName: sources.name })
    .from(documents)
    .innerJoin(sources, eq(sources.id, documents.sourceId))
    .where(eq(documents.id, id))
    .get();
  if (!doc) throw notFound(`document ${id} not found`);
  const ps = db
    .select({
      id: passages.id,
      seq: passages.seq,
      start: passages.start,
      end: passages.end,
      text: passages.text,
      excluded: passages.excluded,
      excludedReason: passages.excludedReason,
      excludedBy: passages.excludedBy,
      autoExcluded: passages.autoExcluded,
      autoExcludedReason: passages.autoExcludedReason,
      itemId: items.id,
    })
    .from(passages)
    .innerJoin(items, eq(items.passageId, passages.id))
    .where(eq(passages.documentId, id))
    .orderBy(asc(passages.seq))
    .all();
  const docItem = db
    .select({ id: items.id })
    .from(items)
    .where(and(eq(items.documentId, id), eq(items.level, 'document')))
    .get()!;
  const d = doc.d;
  return {
    document: {
      id: d.id,
      title: d.title,
      author: d.author,
      published: d.published,
      publishedPrecision: d.publishedPrecision,
      publishedStart: d.publishedStart,
      url: d.url,
      language: d.language,
      sourceId: d.sourceId,
      sourceName: doc.sourceName,
      externalId: d.externalId,
      duplicateOf: d.duplicateOf,
      passageCount: ps.length,
      excludedCount: ps.filter((p) => p.excluded).length,
      createdAt: d.createdAt,
      text: d.text,
      notes: d.notes,
      origin: d.origin,
      contentHash: d.contentHash,
      publishedRaw: d.publishedRaw,
      metadata: d.metadata ?? null,
      duplicateSimilarity: d.duplicateSimilarity,
      importId: d.importId,
    },
    itemId: docItem.id,
    passages: ps,
  };
}
