import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { documents, items, itemThemes, passages, reviews, sources } from '../../db/schema/index.ts';
import type { CodebookDefinition } from '../codebooks/definition.ts';
import { badRequest, zodIssueText } from '../errors.ts';
import { segment, type SegmentedPassage } from '../ingest/segment.ts';

/** One gold item with the text it refers to, ready to be asked about and scored. */
export interface GoldItem {
  id: string;
  level: 'passage' | 'document';
  /** Cross-validation folds and cluster bootstraps group by this: one key per Document. */
  documentKey: string;
  text: string;
  sourceName: string | null;
  documentTitle: string | null;
  excluded: boolean;
  /** Null when excluded (or, for database gold, when a reject left the answer open). */
  label: string | null;
  stance: number | null;
  themes: string[];
  annotator: string;
  /** What the segmenter decided for this passage (null for documents): exclusion P/R of the segmenter. */
  segmenterExcluded: boolean | null;
}

/** A gold set loaded from a file or the database, with the hash that identifies it. */
export interface GoldSet {
  /** `file:<path>` or `db`. */
  origin: string;
  /** sha256 over the gold records (labels and text hashes), so a result names exactly what it was scored on. */
  hash: string;
  items: GoldItem[];
}

/** One line of a gold JSONL file (format in evals/gold/README.md). */
export const GoldRecordSchema = z
  .object({
    id: z.string().min(1),
    document: z.string().min(1),
    level: z.enum(['passage', 'document']),
    seq: z.number().int().nonnegative().nullable(),
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
    textSha256: z.string().regex(/^[0-9a-f]{64}$/),
    excluded: z.boolean(),
    excludedReason: z.string().nullable(),
    label: z.string().nullable(),
    stance: z.number().int().nullable(),
    themes: z.array(z.string()),
    annotator: z.string().min(1),
    codebook: z.string().optional(),
    justification: z.string().min(1),
  })
  .refine((r) => r.end > r.start, { message: 'end must be after start', path: ['end'] })
  .refine((r) => r.excluded || (r.label !== null && r.stance !== null), { message: 'a non-excluded item needs a label and a stance', path: ['label'] });
export type GoldRecord = z.infer<typeof GoldRecordSchema>;

interface ManifestEntry {
  file: string;
  title?: string;
  source?: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Whether the segmenter excludes a gold span: more than half of its non-space characters lie in
 * excluded passages. Judged by characters, not by matching spans, so a segmenter that cuts the
 * text differently from when the gold was labelled is still scored on every gold passage.
 */
export function mostlyExcluded(text: string, start: number, end: number, passages: readonly SegmentedPassage[]): boolean {
  let excluded = 0;
  let all = 0;
  let k = 0;
  for (let i = start; i < end; i++) {
    if (/\s/u.test(text[i]!)) continue;
    all++;
    while (k < passages.length && passages[k]!.end <= i) k++;
    const p = passages[k];
    if (p && p.start <= i && p.excluded) excluded++;
  }
  return all > 0 && excluded * 2 > all;
}

/**
 * Reads a gold JSONL file and resolves each record's text from `corpusDir` (document file +
 * offsets), checking it against the record's sha256 and the codebook's label, stance and theme
 * ids. Any problem is reported with its line number and nothing is scored.
 */
export function loadGoldFile(path: string, corpusDir: string, codebook: CodebookDefinition): GoldSet {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (err) {
    throw badRequest(`gold file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message}`, 'gold_not_found');
  }
  let manifest: ManifestEntry[] = [];
  try {
    manifest = JSON.parse(readFileSync(join(corpusDir, 'manifest.json'), 'utf8')) as ManifestEntry[];
  } catch {
    // Without a manifest the runner still works; only outlet names and titles are missing.
  }
  const labels = new Set(codebook.labels.map((l) => l.id));
  const themes = new Set(codebook.themes.map((t) => t.id));
  const texts = new Map<string, string>();
  const segmented = new Map<string, SegmentedPassage[]>();
  const textOf = (file: string, line: number) => {
    const cached = texts.get(file);
    if (cached !== undefined) return cached;
    try {
      const text = readFileSync(join(corpusDir, file), 'utf8');
      texts.set(file, text);
      return text;
    } catch {
      throw badRequest(`${path}:${line}: document ${file} not found in ${corpusDir}`, 'gold_document_missing');
    }
  };
  const out: GoldItem[] = [];
  const seen = new Set<string>();
  content.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw badRequest(`${path}:${line}: not valid JSON (${(err as Error).message})`, 'invalid_gold');
    }
    const parsed = GoldRecordSchema.safeParse(json);
    if (!parsed.success) {
      throw badRequest(`${path}:${line}: ${zodIssueText(parsed.error, { root: 'record' })}`, 'invalid_gold');
    }
    const r = parsed.data;
    if (seen.has(r.id)) throw badRequest(`${path}:${line}: duplicate id ${r.id}`, 'invalid_gold');
    seen.add(r.id);
    if (r.label !== null && !labels.has(r.label)) throw badRequest(`${path}:${line}: label "${r.label}" is not in codebook ${codebook.name}`, 'invalid_gold');
    if (r.stance !== null && (r.stance < codebook.stance.min || r.stance > codebook.stance.max)) throw badRequest(`${path}:${line}: stance ${r.stance} is outside ${codebook.stance.min}..${codebook.stance.max}`, 'invalid_gold');
    const unknownTheme = r.themes.find((t) => !themes.has(t));
    if (unknownTheme) throw badRequest(`${path}:${line}: theme "${unknownTheme}" is not in codebook ${codebook.name}`, 'invalid_gold');
    const docText = textOf(r.document, line);
    const text = docText.slice(r.start, r.end);
    if (r.end > docText.length || sha256(text) !== r.textSha256) throw badRequest(`${path}:${line}: the text at ${r.document} ${r.start}-${r.end} does not match textSha256 (corpus file changed?)`, 'gold_text_mismatch');
    const meta = manifest.find((m) => m.file === r.document);
    let segmenterExcluded: boolean | null = null;
    if (r.level === 'passage') {
      let verdicts = segmented.get(r.document);
      // As the import segments it: with the outlet's name, so a masthead line counts.
      if (!verdicts) segmented.set(r.document, (verdicts = segment(docText, { sourceName: meta?.source ?? null })));
      segmenterExcluded = mostlyExcluded(docText, r.start, r.end, verdicts);
    }
    out.push({
      id: r.id,
      level: r.level,
      documentKey: r.document,
      text,
      sourceName: meta?.source ?? null,
      documentTitle: meta?.title ?? null,
      excluded: r.excluded,
      label: r.excluded ? null : r.label,
      stance: r.excluded ? null : r.stance,
      themes: r.excluded ? [] : r.themes,
      annotator: r.annotator,
      segmenterExcluded,
    });
  });
  if (out.length === 0) throw badRequest(`gold file ${path} has no items`, 'invalid_gold');
  return { origin: `file:${path}`, hash: sha256(content), items: out };
}

/**
 * Gold from the database: items whose independent human decision (api/items/provenance.ts) is
 * trustworthy as gold — made in blind mode (the reviewer saw no suggestion), settled by
 * adjudication, or imported with a file marked gold — plus excluded passages a person excluded.
 * The label, stance and themes are the item's independent state as api/items/state.ts derives
 * it; bulk accepts and other imported labels are never gold.
 */
export function loadGoldFromDb(db: Db, opts: { evaluationOnly?: boolean } = {}): GoldSet {
  // Held-out items: those an evaluation-only import labelled (api/ingest/options.ts).
  const heldOut = opts.evaluationOnly
    ? new Set(db.all<{ id: number }>(sql`SELECT DISTINCT r.item_id AS id FROM reviews r JOIN imports im ON im.id = r.import_id WHERE im.evaluation_only = TRUE`).map((r) => r.id))
    : null;
  const rows = db
    .select({ item: items, review: reviews, passageText: passages.text, documentText: documents.text, title: documents.title, sourceName: sources.name })
    .from(items)
    .innerJoin(reviews, eq(reviews.id, items.independentReviewId))
    .innerJoin(documents, eq(documents.id, items.documentId))
    .innerJoin(sources, eq(sources.id, items.sourceId))
    .leftJoin(passages, eq(passages.id, items.passageId))
    .where(isNotNull(items.independentLabel))
    .all()
    .filter((r) => r.review.blind || r.review.action === 'adjudicate' || r.review.kind === 'import')
    .filter((r) => heldOut === null || heldOut.has(r.item.id));
  const humanExcluded = db
    .select({ item: items, passageText: passages.text, documentText: documents.text, title: documents.title, sourceName: sources.name })
    .from(items)
    .innerJoin(passages, eq(passages.id, items.passageId))
    .innerJoin(documents, eq(documents.id, items.documentId))
    .innerJoin(sources, eq(sources.id, items.sourceId))
    .where(and(eq(items.excluded, true), eq(passages.excludedBy, 'reviewer')))
    .all();
  const themeRows = db.select().from(itemThemes).where(eq(itemThemes.kind, 'independent')).all();
  const themesOf = new Map<number, string[]>();
  for (const t of themeRows) themesOf.set(t.itemId, [...(themesOf.get(t.itemId) ?? []), t.theme]);
  const autoExcludedOf = new Map(db.select({ id: items.id, auto: passages.autoExcluded }).from(items).innerJoin(passages, eq(passages.id, items.passageId)).all().map((r) => [r.id, r.auto]));

  const out: GoldItem[] = [];
  const seen = new Set<number>();
  for (const r of rows) {
    if (r.item.excluded) continue;
    seen.add(r.item.id);
    out.push({
      id: `item:${r.item.id}`,
      level: r.item.level,
      documentKey: `document:${r.item.documentId}`,
      text: r.item.level === 'passage' ? (r.passageText ?? '') : r.documentText,
      sourceName: r.sourceName,
      documentTitle: r.title,
      excluded: false,
      label: r.item.independentLabel,
      stance: r.item.independentStance,
      themes: (themesOf.get(r.item.id) ?? []).sort(),
      annotator: r.review.kind === 'import' ? 'import' : `reviewer:${r.review.reviewerId}`,
      segmenterExcluded: r.item.level === 'passage' ? (autoExcludedOf.get(r.item.id) ?? null) : null,
    });
  }
  for (const r of humanExcluded) {
    if (seen.has(r.item.id) || (heldOut !== null && !heldOut.has(r.item.id))) continue;
    out.push({
      id: `item:${r.item.id}`,
      level: 'passage',
      documentKey: `document:${r.item.documentId}`,
      text: r.passageText,
      sourceName: r.sourceName,
      documentTitle: r.title,
      excluded: true,
      label: null,
      stance: null,
      themes: [],
      annotator: 'reviewer',
      segmenterExcluded: autoExcludedOf.get(r.item.id) ?? null,
    });
  }
  if (heldOut !== null && out.filter((i) => !i.excluded).length === 0) {
    throw badRequest('the database has no items labelled by an evaluation-only import (import --evaluation-only, or the upload\'s "evaluation only" box)', 'no_gold');
  }
  if (out.filter((i) => !i.excluded).length === 0) {
    throw badRequest('the database has no gold items: none decided in blind mode, adjudicated or imported from a file marked gold', 'no_gold');
  }
  out.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  const hash = sha256(JSON.stringify(out.map((i) => [i.id, sha256(i.text), i.excluded, i.label, i.stance, i.themes])));
  return { origin: heldOut !== null ? 'db:evaluation-only' : 'db', hash, items: out };
}
