/**
 * The columns of an exported dataset. One list drives every format, so CSV, JSONL and Parquet
 * always carry the same fields in the same order, and the dataset card documents exactly
 * what was written.
 */

/**
 * Version of the export layout, written in every row's `framescope_export` column. Version 2
 * ends CSV and JSONL files with an end marker (api/export/trailer.ts) and neutralises formula
 * starts after whitespace and in full-width forms (api/export/spreadsheet.ts).
 */
export const EXPORT_FORMAT_VERSION = '2';

export type ExportLevel = 'passage' | 'document';
export type ExportFormat = 'csv' | 'jsonl' | 'parquet';
export type ExportStatus = 'reviewed' | 'final' | 'all';

/**
 * - `string`, `int`, `float`, `bool`: scalar, null when unknown.
 * - `list`: a list of strings (JSON array in JSONL, LIST<STRING> in Parquet, `|`-joined in CSV).
 * - `json`: structured detail, held as JSON text (nested JSON in JSONL, JSON text in CSV and Parquet).
 */
export type ColumnType = 'string' | 'int' | 'float' | 'bool' | 'list' | 'json';

export interface ExportColumn {
  name: string;
  type: ColumnType;
  /** One line for the dataset card. */
  description: string;
}

/** Separator of list cells (themes, reviewers) in CSV; theme ids are slugs, so it never occurs inside one. */
export const CSV_LIST_SEPARATOR = '|';

const col = (name: string, type: ColumnType, description: string): ExportColumn => ({ name, type, description });

const HEAD: ExportColumn[] = [
  col('framescope_export', 'string', `Export layout version ("${EXPORT_FORMAT_VERSION}"); lets Framescope recognise its own files on re-import. In CSV and JSONL the last row is an end marker: "end", with the row count in item_id (CSV) or rows (JSONL); a file without it was cut short.`),
  col('item_id', 'int', 'Framescope item id (the labelled unit).'),
  col('document_id', 'int', 'Framescope document id.'),
];

const PASSAGE_IDENTITY: ExportColumn[] = [
  col('passage_id', 'int', 'Framescope passage id.'),
  col('passage_seq', 'int', '0-based position of the passage in its document.'),
  col('passage_start', 'int', 'Start offset of the passage in the document text (UTF-16 code units, as JavaScript string indices).'),
  col('passage_end', 'int', 'End offset (exclusive): document text.slice(passage_start, passage_end) is the passage text.'),
];

const DOCUMENT_META: ExportColumn[] = [
  col('source', 'string', 'Source (outlet or author channel) name.'),
  col('source_country', 'string', 'Source country.'),
  col('source_url', 'string', 'Source home page.'),
  col('title', 'string', 'Document title.'),
  col('author', 'string', 'Document author.'),
  col('published', 'string', 'Publication date as given: YYYY-MM-DD, YYYY-MM or YYYY.'),
  col('published_precision', 'string', 'day, month or year.'),
  col('url', 'string', 'Document URL.'),
  col('language', 'string', 'Document language code.'),
];

const LABELS: ExportColumn[] = [
  col('final_label', 'string', 'Final framing label: the standing human decision where there is one (whatever its origin, see final_origin), else the latest model suggestion; empty when disputed or rejected without an answer.'),
  col('final_stance', 'int', 'Final stance on the codebook scale.'),
  col('final_themes', 'list', 'Final themes (theme ids of the codebook).'),
  col('final_origin', 'string', 'Where the final label comes from: model (no person decided), reviewer (one person reading the item), bulk (a bulk accept of the model\'s label), import (came with a file) or adjudication; empty when there is no final label.'),
  col('review_status', 'string', 'unreviewed, reviewed, rejected (the suggestion rejected with the answer left open: no label), disputed or adjudicated.'),
  col('people_label', 'string', 'The label from independent human decisions only (reviewers and adjudications, imports marked gold; never bulk accepts): what agreement, corrected estimates and the local model\'s training count.'),
  col('people_stance', 'int', 'Stance of the independent human decision.'),
  col('people_themes', 'list', 'Themes of the independent human decision.'),
  col('codebook_name', 'string', 'Codebook the final label was given under.'),
  col('codebook_version', 'string', 'Version of that codebook.'),
  col('suggestion_id', 'int', 'The latest model suggestion for the item.'),
  col('suggested_label', 'string', 'Label of the latest suggestion.'),
  col('suggested_stance', 'int', 'Stance of the latest suggestion.'),
  col('suggested_themes', 'list', 'Themes of the latest suggestion.'),
  col('suggestion_confidence', 'float', 'Confidence the model gave (0..1).'),
  col('suggestion_rationale', 'string', 'The model\'s rationale for the latest suggestion.'),
  col('suggestion_evidence', 'json', 'Evidence quotes of the latest suggestion: quote, verified, start, end (offsets into the item text).'),
  col('suggestion_run_id', 'int', 'Tagging run that made the latest suggestion.'),
  col('suggestion_provider', 'string', 'Provider of the latest suggestion (openai, local ...).'),
  col('suggestion_model', 'string', 'Model of the latest suggestion, as asked for.'),
  col('suggestion_model_version', 'string', 'Exact model version that answered (the API\'s reported model; for the local baseline its version with training-set size and hash).'),
  col('suggestion_prompt_version', 'string', 'Prompt version of the latest suggestion.'),
  col('suggestion_codebook_version', 'string', 'Codebook version the latest suggestion was made with.'),
  col('suggested_at', 'string', 'When the latest suggestion was made (ISO 8601, UTC).'),
  col('suggestion_count', 'int', 'How many suggestions the item has (several models, prompts or samples).'),
  col('suggestion_agreement', 'float', 'Share of the latest run\'s suggestions that agree with the latest label (0..1).'),
  col('suggestions', 'json', 'Every suggestion: id, run_id, provider, model, model_version, prompt_version, codebook_version, label, stance, themes, confidence, created_at.'),
  col('decision_review_id', 'int', 'The review that carries the standing human decision (for a rejected item: the reject).'),
  col('decision_origin', 'string', 'Origin of the standing decision: reviewer, bulk, import or adjudication; model when no person has decided.'),
  col('decided_by', 'string', 'Reviewer (or import:<name>) of that review.'),
  col('decided_at', 'string', 'When that decision was made (ISO 8601, UTC).'),
  col('decision_action', 'string', 'accept, edit, reject or adjudicate.'),
  col('decision_blind', 'bool', 'True when the decision was made in blind mode (no suggestion shown).'),
  col('bulk_accept', 'bool', 'True when the deciding review was a bulk accept.'),
  col('import_name', 'string', 'Name of the import the deciding label came with, if any.'),
  col('import_gold', 'bool', 'True when that import was marked gold (its labels count as independent human decisions).'),
  col('shown_suggestion_id', 'int', 'The suggestion on screen when the standing decision was made (none in blind mode or for imports); for items no one decided, the latest suggestion.'),
  col('shown_label', 'string', 'Label of the shown suggestion.'),
  col('shown_stance', 'int', 'Stance of the shown suggestion.'),
  col('shown_confidence', 'float', 'Confidence of the shown suggestion (0..1).'),
  col('shown_rationale', 'string', 'Rationale of the shown suggestion.'),
  col('shown_evidence', 'json', 'Evidence quotes of the shown suggestion: quote, verified, start, end.'),
  col('shown_run_id', 'int', 'Tagging run of the shown suggestion.'),
  col('shown_provider', 'string', 'Provider of the shown suggestion.'),
  col('shown_model', 'string', 'Model of the shown suggestion, as asked for.'),
  col('shown_model_version', 'string', 'Exact model version of the shown suggestion.'),
  col('shown_prompt_version', 'string', 'Prompt version of the shown suggestion.'),
  col('shown_codebook_version', 'string', 'Codebook version of the shown suggestion.'),
  col('reviewers', 'list', 'Every person whose decision on the item stands (not undone).'),
  col('review_count', 'int', 'Standing decisions, one per reviewer.'),
  col('reviewer_agreement', 'float', 'Share of reviewer pairs giving the same label, for items with two or more labelled decisions (0..1).'),
  col('reviews', 'json', 'Every decision, exclusion change and undo on the item: id, reviewer, action, kind, label, stance, themes, note, blind, suggestion_id, created_at, undoes, standing.'),
];

const EXCLUSION: ExportColumn[] = [
  col('excluded', 'bool', 'Whether the passage is excluded (boilerplate, caption ...); excluded passages are never counted.'),
  col('excluded_reason', 'string', 'Why it is excluded (the segmenter\'s reason, or the reviewer\'s).'),
  col('excluded_by', 'string', 'Who decided the exclusion: auto (segmenter) or reviewer (a reviewer excluded it, or included what the segmenter excluded).'),
  col('excluded_by_reviewer', 'string', 'The reviewer who decided it, when excluded_by is reviewer.'),
  col('excluded_at', 'string', 'When that reviewer decided it (ISO 8601, UTC).'),
];

/** What the import kept about a document beyond its fields: the team's own id and columns, the date as written, syndication. */
const IMPORTED: ExportColumn[] = [
  col('external_id', 'string', "The document's id in the imported file (its id column), to join results back to the team's own data."),
  col('metadata', 'json', 'Columns of the imported row that map to no document field, as a JSON object of column to value (keys in alphabetical order).'),
  col('published_raw', 'string', 'The publication date exactly as the imported file wrote it (kept also when it could not be read).'),
  col('duplicate_of', 'int', 'Document id of the earlier document of another source this one copies (identical or near-identical text: a syndicated story); empty for originals.'),
  col('duplicate_similarity', 'float', 'Jaccard similarity of word 5-shingles with that document (0..1; 1 for identical text).'),
];

/** Document-level columns: metadata, the document text and its hash, labels and provenance. */
export const DOCUMENT_COLUMNS: readonly ExportColumn[] = [
  ...HEAD,
  ...DOCUMENT_META,
  col('text', 'string', 'The document text, exactly as stored.'),
  col('content_hash', 'string', 'sha256 of the document text (hex).'),
  ...LABELS,
  ...IMPORTED,
];

/** Passage-level columns: passage identity and offsets, document metadata, the passage text, labels, provenance and exclusion. */
export const PASSAGE_COLUMNS: readonly ExportColumn[] = [
  ...HEAD,
  ...PASSAGE_IDENTITY,
  ...DOCUMENT_META,
  col('content_hash', 'string', 'sha256 of the whole document text (hex), to find the document the offsets index.'),
  col('text', 'string', 'The passage text, exactly as stored.'),
  ...LABELS,
  ...EXCLUSION,
  ...IMPORTED,
];

/** The columns of an export at a level. */
export function columnsFor(level: ExportLevel): readonly ExportColumn[] {
  return level === 'passage' ? PASSAGE_COLUMNS : DOCUMENT_COLUMNS;
}

/** One exported value: lists are string arrays, `json` columns JSON text. */
export type ExportValue = string | number | boolean | null | string[];

/** One exported row: values in column order (a trailing extra value may follow; writers ignore it). */
export type ExportRow = ExportValue[];
