import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { DashboardFilters } from '../dashboard/filters.ts';
import { compareSides, CompareSchema, type ComparedSide } from '../dashboard/views/compare.ts';
import { badRequest } from '../errors.ts';
import { inList } from '../dashboard/filters.ts';
import { groupSourceIds } from '../dashboard/groups.ts';
import { resolveSources } from '../ingest/sourceNames.ts';
import { unassignedName } from '../sources/groups.ts';
import { countWhere } from '../../db/sqlDialect.ts';

const GapStorySchema = z.object({
  storyId: z.number().int(),
  title: z.string(),
  firstPublished: z.string().nullable(),
  /** The covering side's documents and outlets in the story. */
  documents: z.number().int(),
  sources: z.number().int(),
});

/**
 * Two sides (groups of a grouping, or two outlets with groupBy=source) compared twice: over
 * every document under the filters (`all`, what /compare gives), and only over the stories both
 * sides covered (`matched`), so a difference that comes from what each side chooses to cover is
 * told apart from one in how they frame the same events. `gaps`: stories one side covered and the
 * other did not.
 */
export const StoryCompareSchema = z
  .object({
    stories: z.object({ matched: z.number().int(), onlyA: z.number().int(), onlyB: z.number().int() }),
    matched: CompareSchema,
    all: CompareSchema,
    gaps: z.object({ onlyA: z.array(GapStorySchema), onlyB: z.array(GapStorySchema) }),
  })
  .meta({ id: 'DashboardStoryCompare' });
export type StoryCompare = z.infer<typeof StoryCompareSchema>;

type Coverage = { storyId: number; title: string; firstPublished: string | null; a: number; b: number; aSources: number; bSources: number };

/**
 * Per story, the documents and outlets of each side in it, under the filters' date range and
 * syndication (copies count only with syndicated=include) and the story filter.
 */
function coverage(db: Db, f: DashboardFilters, a: readonly number[], b: readonly number[]): Coverage[] {
  const where: SQL[] = [sql`1 = 1`];
  if (f.from) where.push(sql`d.published_start >= ${f.from}`);
  if (f.to) where.push(sql`d.published_start <= ${f.to}`);
  if (f.excludeSyndicated) where.push(sql`d.duplicate_of IS NULL`);
  if (f.storyIds !== null) where.push(f.storyIds.length === 0 ? sql`FALSE` : sql`sd.story_id IN ${inList(f.storyIds)}`);
  const side = (ids: readonly number[]) => (ids.length === 0 ? sql`FALSE` : sql`d.source_id IN ${inList(ids)}`);
  return db.all<Coverage>(sql`
    SELECT s.id AS "storyId", s.title AS title, s.first_published AS "firstPublished",
           ${countWhere(side(a))} AS a, ${countWhere(side(b))} AS b,
           count(DISTINCT CASE WHEN ${side(a)} THEN d.source_id END) AS "aSources", count(DISTINCT CASE WHEN ${side(b)} THEN d.source_id END) AS "bSources"
    FROM story_documents sd JOIN documents d ON d.id = sd.document_id JOIN stories s ON s.id = sd.story_id
    WHERE ${sql.join(where, sql` AND `)}
    GROUP BY s.id ORDER BY s.id`);
}

/**
 * The two sides compared: with groupBy=source two outlets (names or ids), else two values of the
 * grouping ('' the sources without one); narrowed to the chosen sources, if any.
 */
export function groupSides(db: Db, f: DashboardFilters, a: string, b: string): [ComparedSide, ComparedSide] {
  if (f.groupBy === null) throw badRequest('groupBy: name the grouping whose groups a and b are compared (e.g. groupBy=alignment), or source to compare two outlets', 'invalid_input');
  const grouping = f.groupBy;
  const side = (value: string, param: string): ComparedSide => {
    if (grouping === 'source') {
      const [s] = resolveSources(db.$client, [value], param);
      return { value: String(s!.id), name: s!.name, ids: [s!.id] };
    }
    const inGroup = groupSourceIds(db, { grouping, value: value === '' ? null : value });
    return { value, name: value === '' ? unassignedName(grouping) : value, ids: f.sourceIds.length === 0 ? inGroup : inGroup.filter((id) => f.sourceIds.includes(id)) };
  };
  return [side(a, 'a'), side(b, 'b')];
}

/** Gap stories listed per side at most (the counts are always whole). */
export const MAX_GAP_STORIES = 50;

/** The story-matched comparison of two sides beside the unmatched one, and the coverage gaps. */
export function compareOverStories(db: Db, f: DashboardFilters, sa: ComparedSide, sb: ComparedSide): StoryCompare {
  if (sa.value === sb.value) throw badRequest(`a and b are the same group ("${sa.value}"): choose two different groups`, 'invalid_input');
  const rows = coverage(db, f, sa.ids, sb.ids);
  const matched = rows.filter((r) => r.a > 0 && r.b > 0).map((r) => r.storyId);
  const gap = (mine: 'a' | 'b', other: 'a' | 'b') =>
    rows
      .filter((r) => r[mine] > 0 && r[other] === 0)
      .sort((x, y) => y[mine] - x[mine] || (y.firstPublished ?? '').localeCompare(x.firstPublished ?? '') || x.storyId - y.storyId)
      .map((r) => ({ storyId: r.storyId, title: r.title, firstPublished: r.firstPublished, documents: r[mine], sources: mine === 'a' ? r.aSources : r.bSources }));
  const onlyA = gap('a', 'b');
  const onlyB = gap('b', 'a');
  return {
    stories: { matched: matched.length, onlyA: onlyA.length, onlyB: onlyB.length },
    matched: compareSides(db, { ...f, storyIds: f.storyIds === null ? matched : matched.filter((id) => f.storyIds!.includes(id)) }, sa, sb),
    all: compareSides(db, f, sa, sb),
    gaps: { onlyA: onlyA.slice(0, MAX_GAP_STORIES), onlyB: onlyB.slice(0, MAX_GAP_STORIES) },
  };
}
