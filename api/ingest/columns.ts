import { DOCUMENT_COLUMNS, PASSAGE_COLUMNS } from '../export/columns.ts';
import { IngestError } from './normalize.ts';

/** The document fields a row-file column can map to; every other column is kept as document metadata. */
export const MAPPABLE_FIELDS = ['text', 'title', 'author', 'source', 'published', 'url', 'language', 'country', 'notes', 'id', 'label', 'stance', 'themes'] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];
/** Field → column name, as given with `--map` or the upload's mapping. */
export type ColumnMap = Partial<Record<MappableField, string>>;
/** Field → the column it reads from in one file. */
export type ResolvedColumns = Partial<Record<MappableField, string>>;

/**
 * Column names recognised without a mapping (case-insensitive), first match wins. Includes
 * the names of Framescope's own document export, so an exported file imports back with its
 * labels, external ids and metadata.
 */
export const COLUMN_ALIASES: Record<MappableField, string[]> = {
  text: ['text', 'content', 'body', 'article', 'article_text', 'full_text', 'fulltext', 'maintext'],
  title: ['title', 'headline', 'document_title'],
  author: ['author', 'authors', 'byline', 'document_author'],
  source: ['source', 'outlet', 'source_name', 'publisher', 'media', 'media_name', 'site', 'domain'],
  published: ['published', 'date', 'document_published', 'published_at', 'publish_date', 'pub_date', 'publication_date', 'date_published', 'datetime', 'timestamp'],
  url: ['url', 'link', 'document_url', 'permalink'],
  language: ['language', 'lang', 'document_language'],
  country: ['source_country', 'country'],
  notes: ['notes'],
  id: ['id', 'external_id', 'article_id', 'doc_id', 'uid', 'guid'],
  label: ['label', 'final_label'],
  stance: ['stance', 'final_stance'],
  themes: ['themes', 'final_themes'],
};

/** Columns of Framescope's own export that describe the export itself, never kept as metadata on re-import. */
const EXPORT_COLUMN_NAMES = new Set([...DOCUMENT_COLUMNS, ...PASSAGE_COLUMNS].map((c) => c.name));
/** The export column holding a document's metadata as JSON: read back into metadata. */
export const METADATA_COLUMN = 'metadata';
/** The column that marks a file as Framescope's own export. */
export const EXPORT_MARKER_COLUMN = 'framescope_export';

/** Parses `--map text=content,title=headline` into a ColumnMap; throws on unknown fields. */
export function parseColumnMap(spec: string | undefined): ColumnMap {
  const map: ColumnMap = {};
  if (!spec) return map;
  for (const pair of spec.split(',')) {
    if (!pair.trim()) continue;
    const eq = pair.indexOf('=');
    const field = pair.slice(0, eq).trim() as MappableField;
    const column = pair.slice(eq + 1).trim();
    if (eq < 1 || !column) throw new IngestError(`--map entry "${pair}" is not field=column`);
    if (!MAPPABLE_FIELDS.includes(field)) throw new IngestError(`--map field "${field}" is unknown (use ${MAPPABLE_FIELDS.join(', ')})`);
    map[field] = column;
  }
  return map;
}

/**
 * Resolves each field to the column it reads from: the explicit map first, then the aliases
 * (a column is used by one field at most). Throws when an explicit column is missing or no
 * column holds the text.
 */
export function resolveColumns(header: string[], map: ColumnMap, what: string): ResolvedColumns {
  const lower = new Map<string, string>();
  for (const h of header) if (!lower.has(h.trim().toLowerCase())) lower.set(h.trim().toLowerCase(), h);
  const resolved: ResolvedColumns = {};
  const used = new Set<string>();
  for (const field of MAPPABLE_FIELDS) {
    const explicit = map[field];
    if (explicit === undefined) continue;
    const col = lower.get(explicit.trim().toLowerCase());
    if (col === undefined) throw new IngestError(`--map ${field}=${explicit}: no column "${explicit}" in the ${what} (columns: ${header.join(', ')})`);
    resolved[field] = col;
    used.add(col);
  }
  for (const field of MAPPABLE_FIELDS) {
    if (resolved[field] !== undefined) continue;
    const alias = COLUMN_ALIASES[field].find((a) => lower.has(a) && !used.has(lower.get(a)!));
    if (alias === undefined) continue;
    resolved[field] = lower.get(alias)!;
    used.add(resolved[field]);
  }
  if (resolved.text === undefined) {
    throw new IngestError(`no text column in the ${what} (looked for ${COLUMN_ALIASES.text.join(', ')}; columns: ${header.join(', ') || 'none'}); use --map text=<column>`);
  }
  return resolved;
}

/**
 * The columns of a row that map to no field and so are kept as document metadata. In a
 * Framescope export the export's own columns are not metadata (its `metadata` column is read
 * back instead).
 */
export function metadataColumns(keys: string[], resolved: ResolvedColumns, fromExport: boolean): string[] {
  const used = new Set(Object.values(resolved));
  return keys.filter((k) => !used.has(k) && k.trim() !== '' && !(fromExport && EXPORT_COLUMN_NAMES.has(k)));
}
