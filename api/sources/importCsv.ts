import { eq } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { sources } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { badRequest } from '../errors.ts';
import { webUrlProblem } from '../ingest/webUrl.ts';
import { GroupingNameSchema, setGroups, type SourceGroupsPatch } from './groups.ts';

/** Largest sources file read: 5 MiB is some 50,000 outlets. */
export const MAX_SOURCES_CSV_BYTES = 5 * 1024 * 1024;

/** Columns that set a source's own fields; every other column is a named grouping. */
const FIELD_COLUMNS = ['name', 'url', 'country', 'language', 'notes'] as const;
type FieldColumn = (typeof FIELD_COLUMNS)[number];

/** What importing a sources file did. */
export const SourcesImportReportSchema = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    /** Groupings the file's extra columns set. */
    groupings: z.array(z.string()),
    /** Rows left out, with their line in the file; the other rows are imported. */
    rejected: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  })
  .meta({ id: 'SourcesImportReport' });
export type SourcesImportReport = z.infer<typeof SourcesImportReportSchema>;

function header(record: string[]): { fields: Map<FieldColumn, number>; groupings: Map<string, number> } {
  const fields = new Map<FieldColumn, number>();
  const groupings = new Map<string, number>();
  record.forEach((raw, k) => {
    const name = raw.trim();
    if (name === '') throw badRequest(`sources file: column ${k + 1} of the header has no name`, 'invalid_input');
    const field = FIELD_COLUMNS.find((c) => c === name.toLowerCase());
    const seen = field ? fields.has(field) : groupings.has(name);
    if (seen) throw badRequest(`sources file: the header names "${name}" twice`, 'invalid_input');
    if (field) fields.set(field, k);
    else {
      const parsed = GroupingNameSchema.safeParse(name);
      if (!parsed.success) throw badRequest(`sources file: column "${name}": ${parsed.error.issues[0]!.message}`, 'invalid_input');
      groupings.set(parsed.data, k);
    }
  });
  if (!fields.has('name')) throw badRequest('sources file: the header needs a "name" column (the outlet as documents name it)', 'invalid_input');
  return { fields, groupings };
}

/**
 * Creates or updates sources from a CSV with a header: `name` (required; matched exactly to
 * existing sources), `url`, `country`, `language`, `notes`, and any other column as a named
 * grouping (`alignment`, `ownership`, ...). A column present sets that field on every row, an
 * empty cell clearing it; columns absent leave the field as it is. A row with a bad URL, no name
 * or a name already given earlier in the file is rejected alone; the rest are stored in one
 * transaction (audited per source).
 */
export function importSourcesCsv(db: Db, text: string, actor: string, now: Date): SourcesImportReport {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    throw badRequest(`sources file: not a readable CSV (${(e as Error).message})`, 'invalid_input');
  }
  if (records.length === 0) throw badRequest('sources file: empty (expected a header with a "name" column)', 'invalid_input');
  const { fields, groupings } = header(records[0]!);
  const report: SourcesImportReport = { created: 0, updated: 0, groupings: [...groupings.keys()], rejected: [] };
  const seen = new Set<string>();
  const cell = (record: string[], k: number | undefined) => (k === undefined ? undefined : (record[k] ?? '').trim());
  db.transaction((tx) => {
    records.slice(1).forEach((record, r) => {
      const line = r + 2;
      const name = cell(record, fields.get('name'))!;
      if (name === '') return void report.rejected.push({ line, reason: 'no name' });
      if (name.length > 200) return void report.rejected.push({ line, reason: 'name longer than 200 characters' });
      if (seen.has(name)) return void report.rejected.push({ line, reason: `"${name}" is already given earlier in the file` });
      const values: Partial<Record<Exclude<FieldColumn, 'name'>, string | null>> = {};
      for (const column of ['url', 'country', 'language', 'notes'] as const) {
        const v = cell(record, fields.get(column));
        if (v !== undefined) values[column] = v === '' ? null : v;
      }
      const urlProblem = values.url ? webUrlProblem(values.url) : null;
      if (urlProblem) return void report.rejected.push({ line, reason: `url: ${urlProblem}` });
      seen.add(name);
      const groups: SourceGroupsPatch = {};
      for (const [grouping, k] of groupings) groups[grouping] = cell(record, k) || null;
      const existing = tx.select().from(sources).where(eq(sources.name, name)).get();
      let id: number;
      if (existing) {
        id = existing.id;
        tx.update(sources).set({ ...values, updatedAt: now.toISOString() }).where(eq(sources.id, id)).run();
        report.updated += 1;
      } else {
        id = tx.insert(sources).values({ name, ...values }).returning({ id: sources.id }).get().id;
        report.created += 1;
      }
      setGroups(tx, id, groups);
      audit(tx, { actor, action: existing ? 'source.update' : 'source.create', entityType: 'source', entityId: id, before: existing ?? null, after: { ...values, groups }, details: { via: 'sources file', line }, at: now });
    });
  });
  return report;
}
