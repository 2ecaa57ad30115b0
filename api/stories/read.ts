import { z } from 'zod';
import type { Db } from '../../db/client.ts';

/** A story as lists show it. */
export const StorySummarySchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    origin: z.enum(['machine', 'person']),
    createdBy: z.string(),
    edited: z.boolean(),
    editedBy: z.string().nullable(),
    editedAt: z.string().nullable(),
    documentCount: z.number().int(),
    sourceCount: z.number().int(),
    firstPublished: z.string().nullable(),
    lastPublished: z.string().nullable(),
  })
  .meta({ id: 'StorySummary' });
export type StorySummary = z.infer<typeof StorySummarySchema>;

export const StoryListSchema = z.object({ total: z.number().int(), stories: z.array(StorySummarySchema) }).meta({ id: 'StoryList' });
export type StoryList = z.infer<typeof StoryListSchema>;

/** What a story list is narrowed to. */
export interface StoryListQuery {
  /** Words the title contains. */
  q?: string;
  /** Only stories covered by at least this many outlets. */
  minOutlets?: number;
  edited?: boolean;
  limit: number;
  offset?: number;
}

const SUMMARY_COLUMNS = `id, title, origin, created_by AS "createdBy", edited, edited_by AS "editedBy", edited_at AS "editedAt", document_count AS "documentCount",
  source_count AS "sourceCount", first_published AS "firstPublished", last_published AS "lastPublished"`;

type SummaryRow = Omit<StorySummary, 'edited'> & { edited: number };
const summary = (r: SummaryRow): StorySummary => ({ ...r, edited: r.edited === 1 });

/** Stories, newest first (by their first report), with the total that matches. */
export function listStories(db: Db, q: StoryListQuery): StoryList {
  const where: string[] = ['1 = 1'];
  const args: (string | number)[] = [];
  if (q.q) {
    where.push("title LIKE ? ESCAPE '\\'");
    args.push(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (q.minOutlets !== undefined) {
    where.push('source_count >= ?');
    args.push(q.minOutlets);
  }
  if (q.edited !== undefined) where.push(q.edited ? 'edited = TRUE' : 'edited = FALSE');
  const c = db.$client;
  const filter = where.join(' AND ');
  const total = c.prepare(`SELECT count(*) FROM stories WHERE ${filter}`).pluck().get(...args) as number;
  const rows = c.prepare(`SELECT ${SUMMARY_COLUMNS} FROM stories WHERE ${filter} ORDER BY first_published DESC, id DESC LIMIT ? OFFSET ?`).all(...args, q.limit, q.offset ?? 0) as SummaryRow[];
  return { total, stories: rows.map(summary) };
}

/** One story's summary, or null. */
export function storySummary(db: Db, id: number): StorySummary | null {
  const row = db.$client.prepare(`SELECT ${SUMMARY_COLUMNS} FROM stories WHERE id = ?`).get(id) as SummaryRow | undefined;
  return row ? summary(row) : null;
}
