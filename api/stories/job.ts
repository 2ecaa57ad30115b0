import { z } from 'zod';
import type { JobContext, JobKindSpec } from '../jobs/types.ts';
import { audit } from '../audit.ts';
import { clientOf } from '../dashboard/rollups.ts';
import type { CheckedArticle } from './check.ts';
import { groupStories, type GroupingDocument } from './grouping.ts';
import { saveGrouping } from './members.ts';
import { dialectFor, joinLinesText } from '../../db/sqlDialect.ts';

/** What a grouping is asked to do (the CLI's flags and the Stories page's form). */
export const StoryGroupingSchema = z.object({
  /** Days two reports of one event may lie apart. */
  windowDays: z.number().int().min(0).max(60).default(3),
  /** Cosine similarity of title and lead (0..1) at or above which two documents are linked. */
  threshold: z.number().min(0.05).max(0.99).default(0.2),
  /** Ask the configured provider about the borderline pairs. */
  llmCheck: z.boolean().default(false),
  /** How far from the threshold (either side) a pair counts as borderline. */
  margin: z.number().min(0).max(0.5).default(0.08),
  /** Provider questions at most (the rest of the borderline pairs are decided by the threshold). */
  maxChecks: z.number().int().min(1).max(10_000).default(200),
  /** A provider profile for the check; the environment's provider when absent. */
  profileId: z.number().int().positive().optional(),
  model: z.string().min(1).max(200).optional(),
});
export type StoryGroupingParams = z.output<typeof StoryGroupingSchema>;

/** What a grouping job reports. */
export const StoryJobResultSchema = z
  .object({
    documents: z.number().int(),
    undated: z.number().int(),
    copies: z.number().int(),
    compared: z.number().int(),
    similarPairs: z.number().int(),
    stories: z.number().int(),
    created: z.number().int(),
    kept: z.number().int(),
    dropped: z.number().int(),
    editedGrown: z.number().int(),
    addedToEdited: z.number().int(),
    checks: z.object({ asked: z.number().int(), yes: z.number().int(), no: z.number().int(), failed: z.number().int(), skippedOverLimit: z.number().int() }),
    checked: z.array(z.object({ a: z.number().int(), b: z.number().int(), similarity: z.number(), answer: z.enum(['yes', 'no', 'failed']), reason: z.string(), linked: z.boolean() })),
  })
  .meta({ id: 'StoryJobResult' });
export type StoryJobResult = z.infer<typeof StoryJobResultSchema>;

class Cancelled extends Error {}

const DAY_MS = 86_400_000;

/** Every document with what grouping compares: its title and first two passages that are not boilerplate. */
function readDocuments(ctx: JobContext<StoryGroupingParams>): { docs: GroupingDocument[]; sources: Map<number, string>; dates: Map<number, string | null> } {
  const c = clientOf(ctx.deps.db);
  const rows = c
    .prepare(
      `SELECT d.id, d.source_id, d.published_start, d.published_precision, d.title, d.duplicate_of,
         coalesce((SELECT ${joinLinesText(dialectFor(c), 'first.text')} FROM (SELECT p.text FROM passages p WHERE p.document_id = d.id AND p.excluded = FALSE ORDER BY p.seq LIMIT 2) AS first), substr(d.text, 1, 1000))
       FROM documents d ORDER BY d.id`,
    )
    .raw()
    .iterate() as IterableIterator<[number, number, string | null, string | null, string, number | null, string | null]>;
  const docs: GroupingDocument[] = [];
  const dates = new Map<number, string | null>();
  for (const [id, sourceId, start, precision, title, duplicateOf, lead] of rows) {
    // Only a day-precise date places a report in a window of days; a month or year is too coarse.
    const day = start !== null && precision === 'day' ? Math.floor(Date.parse(`${start}T00:00:00Z`) / DAY_MS) : null;
    docs.push({ id, sourceId, day: Number.isFinite(day) ? day : null, title, lead: lead ?? '', duplicateOf });
    dates.set(id, precision === 'day' ? start : null);
  }
  const sources = new Map(c.prepare('SELECT id, name FROM sources').raw().all() as [number, string][]);
  return { docs, sources, dates };
}

/**
 * Groups the corpus's documents into stories as a job: reads every document, compares the
 * candidates (grouping.ts), optionally asks the provider about the borderline pairs, then
 * replaces the machine's stories in one transaction (members.ts). Cancelling stops before the
 * write, so a cancelled grouping changes nothing.
 */
export const storiesJob: JobKindSpec<StoryGroupingParams> = {
  kind: 'stories',
  resumable: false,
  describe: (p) => `story grouping (window ${p.windowDays} days, threshold ${p.threshold}${p.llmCheck ? ', with the provider check' : ''})`,
  result: StoryJobResultSchema,
  async run(ctx) {
    const p = ctx.params;
    const { db, config, now } = ctx.deps;
    ctx.progress({ phase: 'reading', unit: 'documents', done: 0, total: null });
    const { docs, sources, dates } = readDocuments(ctx);
    const c = clientOf(db);
    const edited = (c.prepare('SELECT s.id, sd.document_id FROM stories s JOIN story_documents sd ON sd.story_id = s.id WHERE s.edited = TRUE ORDER BY s.id').raw().all() as [number, number][]).reduce((m, [s, d]) => m.set(s, [...(m.get(s) ?? []), d]), new Map<number, number[]>());
    const removals = (c.prepare('SELECT document_id, story_id FROM story_removals').raw().all() as [number, number][]).reduce((m, [d, s]) => m.set(d, [...(m.get(d) ?? []), s]), new Map<number, number[]>());
    let check;
    if (p.llmCheck) {
      const { storyChecker } = await import('./check.ts');
      const ask = storyChecker(db, config, { profileId: p.profileId, model: p.model });
      const article = (d: GroupingDocument): CheckedArticle => ({ source: sources.get(d.sourceId) ?? '', title: d.title, date: dates.get(d.id) ?? null, lead: d.lead });
      check = { ask: (a: GroupingDocument, b: GroupingDocument) => ask(article(a), article(b)), margin: p.margin, maxChecks: p.maxChecks };
    }
    try {
      const { stories, stats } = await groupStories(docs, {
        windowDays: p.windowDays,
        threshold: p.threshold,
        check,
        edited: [...edited].map(([storyId, documentIds]) => ({ storyId, documentIds })),
        removals,
        onProgress: async ({ phase, done, total }) => {
          ctx.progress({ phase, done, total, unit: phase === 'checking' ? 'pairs' : 'documents' });
          await ctx.yield();
          if (ctx.signal.aborted) throw new Cancelled();
        },
      });
      ctx.progress({ phase: 'writing', done: 0, total: stories.length, unit: 'stories' });
      const titles = new Map(docs.map((d) => [d.id, { title: d.title, day: d.day }]));
      const saved = saveGrouping(db, stories, titles, { name: `job ${ctx.job.id}`, jobId: ctx.job.id }, now());
      ctx.progress({ done: stories.length });
      const result: StoryJobResult = { ...stats, ...saved };
      audit(db, { actor: ctx.job.createdBy, action: 'stories.group', entityType: 'job', entityId: ctx.job.id, details: { params: p, ...stats, checked: undefined, ...saved }, at: now() });
      return { state: 'completed', result };
    } catch (err) {
      if (err instanceof Cancelled) return { state: 'cancelled' };
      throw err;
    }
  },
};
