import { z } from '@hono/zod-openapi';
import { badRequest, zodIssueText } from '../errors.ts';
import { MAX_IDS_PER_LIST, tooManyIds } from '../guards/limits.ts';
import type { ExportFormat, ExportLevel, ExportStatus } from './columns.ts';

/** What to export: format, level, which items, and how to package it. */
export interface ExportRequest {
  format: ExportFormat;
  level: ExportLevel;
  /** reviewed: items with a human decision; final: reviewed where reviewed, else the model's suggestion; all: every item. */
  status: ExportStatus;
  /** Source names or ids. */
  sources: string[];
  /** Inclusive range on the publication date (YYYY, YYYY-MM or YYYY-MM-DD). */
  from: string | null;
  to: string | null;
  /** Final labels to keep. */
  labels: string[];
  /** Keep items whose final themes include any of these. */
  themes: string[];
  /** Codebook id, version, or name@version the final label was given under. */
  codebook: string | null;
  /** Keep items with at least one suggestion from this provider / model / prompt version. */
  provider: string | null;
  model: string | null;
  promptVersion: string | null;
  includeExcluded: boolean;
  /** include (default): every document; exclude: leave out documents linked as copies of another source's document. */
  syndicated: 'include' | 'exclude';
  /** Zip bundle: data file, codebook(s) and a dataset card. */
  bundle: boolean;
  /** Start CSV with a UTF-8 byte order mark (for spreadsheets that guess the encoding). */
  bom: boolean;
}

const list = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0))
  .refine((values) => values.length <= MAX_IDS_PER_LIST, tooManyIds());
const flag = z
  .enum(['1', '0', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true');
/** Whether a YYYY, YYYY-MM or YYYY-MM-DD is a real month and day (no 2024-13, no 2023-02-29). */
const isCalendarDate = (v: string): boolean => {
  const [year, month = 1, day = 1] = v.split('-').map(Number) as [number, number?, number?];
  const at = new Date(Date.UTC(year, month - 1, day));
  return at.getUTCFullYear() === year && at.getUTCMonth() === month - 1 && at.getUTCDate() === day;
};
const date = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'expected YYYY, YYYY-MM or YYYY-MM-DD')
  .refine(isCalendarDate, 'not a date in the calendar')
  .optional()
  .transform((v) => v ?? null);
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : null));

/** The export's query parameters (HTTP) and options (CLI), all strings as they arrive. */
export const ExportQuerySchema = z
  .object({
    format: z.enum(['csv', 'jsonl', 'parquet']).default('csv').openapi({ description: 'File format' }),
    level: z.enum(['passage', 'document']).default('passage').openapi({ description: 'One row per passage or per document' }),
    status: z
      .enum(['reviewed', 'final', 'all'])
      .default('final')
      .openapi({ description: 'reviewed: human decisions only; final: human decision else model suggestion; all: every item, unlabelled too' }),
    sources: list.openapi({ type: 'string', description: 'Comma-separated source names or ids' }),
    from: date.openapi({ type: 'string', description: 'Published on or after (YYYY, YYYY-MM or YYYY-MM-DD)' }),
    to: date.openapi({ type: 'string', description: 'Published on or before (YYYY, YYYY-MM or YYYY-MM-DD)' }),
    labels: list.openapi({ type: 'string', description: 'Comma-separated final labels' }),
    themes: list.openapi({ type: 'string', description: 'Comma-separated theme ids; items with any of them' }),
    codebook: optionalText.openapi({ type: 'string', description: 'Codebook id, version or name@version' }),
    provider: optionalText.openapi({ type: 'string', description: 'Items with a suggestion from this provider' }),
    model: optionalText.openapi({ type: 'string', description: 'Items with a suggestion from this model' }),
    promptVersion: optionalText.openapi({ type: 'string', description: 'Items with a suggestion made with this prompt version' }),
    includeExcluded: flag.openapi({ type: 'string', enum: ['1', '0', 'true', 'false'], description: 'Include excluded passages (with their reason)' }),
    syndicated: z
      .enum(['include', 'exclude'])
      .default('include')
      .openapi({ description: "exclude: leave out syndicated copies (documents linked as copies of another source's document)" }),
    bundle: flag.openapi({ type: 'string', enum: ['1', '0', 'true', 'false'], description: 'Zip bundle: data, codebook, dataset card' }),
    bom: flag.openapi({ type: 'string', enum: ['1', '0', 'true', 'false'], description: 'CSV: start with a UTF-8 byte order mark' }),
  })
  .openapi('ExportQuery');

/** Parses raw string parameters into an ExportRequest; throws the first problem as one line. */
export function parseExportQuery(raw: Record<string, string | undefined>): ExportRequest {
  const parsed = ExportQuerySchema.safeParse(raw);
  if (!parsed.success) {
    throw badRequest(zodIssueText(parsed.error), 'invalid_input');
  }
  return parsed.data;
}
