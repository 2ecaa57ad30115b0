import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client.ts';
import { sourceGroups } from '../../db/schema/index.ts';
import { badRequest } from '../errors.ts';
import { conflictTarget } from '../../db/sqlDialect.ts';

/** Fields of a source itself that the dashboard can group by, beside the named groupings. */
export const SOURCE_FIELDS = ['country', 'language'] as const;
export type SourceField = (typeof SOURCE_FIELDS)[number];

/** Names a grouping may not take: the source's own columns (a sources CSV maps those to fields). */
const RESERVED = new Set<string>(['name', 'url', 'notes', 'source', ...SOURCE_FIELDS]);

/** A grouping's name: what people call it (`alignment`, `ownership`), not one of a source's own fields. */
export const GroupingNameSchema = z
  .string()
  .trim()
  .min(1, 'a grouping needs a name')
  .max(60, 'a grouping name has at most 60 characters')
  .refine((name) => !RESERVED.has(name.toLowerCase()), { message: `a grouping may not be called ${[...RESERVED].join(', ')} (those are a source's own fields)` });

/** A source's value in each grouping it belongs to. */
export const SourceGroupsSchema = z.record(z.string(), z.string()).meta({ description: 'grouping name → this source\'s value in it' });
export type SourceGroups = z.infer<typeof SourceGroupsSchema>;

/** Groupings to set on a source: a value, or null to take the source out of that grouping. */
export const SourceGroupsPatchSchema = z
  .record(z.string(), z.string().trim().max(200).nullable())
  .superRefine((groups, ctx) => {
    for (const name of Object.keys(groups)) {
      const parsed = GroupingNameSchema.safeParse(name);
      if (!parsed.success) ctx.addIssue({ code: 'custom', path: [name], message: parsed.error.issues[0]!.message });
      else if (parsed.data !== name) ctx.addIssue({ code: 'custom', path: [name], message: 'a grouping name has no spaces around it' });
    }
  })
  .meta({ description: 'grouping name → value; null (or an empty value) removes the source from the grouping' });
export type SourceGroupsPatch = z.infer<typeof SourceGroupsPatchSchema>;

/** Groupings by source id, for the given sources (all when absent). */
export function groupsOf(db: DbOrTx, sourceIds?: readonly number[]): Map<number, SourceGroups> {
  const rows = db
    .select()
    .from(sourceGroups)
    .where(sourceIds === undefined ? undefined : inArray(sourceGroups.sourceId, [...sourceIds]))
    .orderBy(asc(sourceGroups.grouping))
    .all();
  const out = new Map<number, SourceGroups>();
  for (const r of rows) {
    const groups = out.get(r.sourceId) ?? {};
    groups[r.grouping] = r.value;
    out.set(r.sourceId, groups);
  }
  return out;
}

/** Sets (or, for null and blank values, removes) a source's values in the named groupings; call inside the change's transaction. */
export function setGroups(tx: DbOrTx, sourceId: number, patch: SourceGroupsPatch): void {
  for (const [grouping, value] of Object.entries(patch)) {
    if (value === null || value === '') {
      tx.delete(sourceGroups).where(and(eq(sourceGroups.sourceId, sourceId), eq(sourceGroups.grouping, grouping))).run();
    } else {
      tx.insert(sourceGroups).values({ sourceId, grouping, value }).onConflictDoUpdate({ target: conflictTarget(sourceGroups.sourceId, sourceGroups.grouping), set: { value } }).run();
    }
  }
}

/** One way of grouping sources and its values, with how many sources hold each. */
export const GroupingSchema = z
  .object({
    name: z.string(),
    /** field: the source's country or language; grouping: a named grouping people defined. */
    kind: z.enum(['field', 'grouping']),
    values: z.array(z.object({ value: z.string(), sources: z.number().int() })),
    /** Sources with no value in it. */
    unassigned: z.number().int(),
  })
  .meta({ id: 'Grouping' });
export type Grouping = z.infer<typeof GroupingSchema>;

export const GroupingListSchema = z.object({ groupings: z.array(GroupingSchema) }).meta({ id: 'GroupingList' });

/** Country, language and every named grouping, with their values (most sources first). */
export function listGroupings(db: Db): Grouping[] {
  const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM sources`)!.n;
  const fields = SOURCE_FIELDS.map((name): Grouping => {
    const values = db.all<{ value: string; sources: number }>(
      sql`SELECT ${sql.identifier(name)} AS value, count(*) AS sources FROM sources WHERE ${sql.identifier(name)} IS NOT NULL AND ${sql.identifier(name)} <> '' GROUP BY 1 ORDER BY 2 DESC, 1`,
    );
    return { name, kind: 'field', values, unassigned: total - values.reduce((a, v) => a + v.sources, 0) };
  });
  const rows = db.all<{ grouping: string; value: string; sources: number }>(
    sql`SELECT grouping, value, count(*) AS sources FROM source_groups GROUP BY grouping, value ORDER BY grouping, sources DESC, value`,
  );
  const named = new Map<string, Grouping>();
  for (const r of rows) {
    const g = named.get(r.grouping) ?? { name: r.grouping, kind: 'grouping', values: [], unassigned: total };
    g.values.push({ value: r.value, sources: r.sources });
    g.unassigned -= r.sources;
    named.set(r.grouping, g);
  }
  return [...fields, ...named.values()];
}

/** How the dashboard names the group of sources without a value in a grouping. */
export const unassignedName = (grouping: string) => `(no ${grouping})`;

/**
 * Each source's group in a grouping (country, language or a named one): source id → value, or
 * null for sources without one. 400 naming the known groupings when there is no such grouping.
 */
export function sourceGroupKeys(db: Db, grouping: string): Map<number, string | null> {
  const keys = new Map<number, string | null>();
  if ((SOURCE_FIELDS as readonly string[]).includes(grouping)) {
    const column = sql.identifier(grouping);
    for (const r of db.all<{ id: number; value: string | null }>(sql`SELECT id, CASE WHEN ${column} <> '' THEN ${column} END AS value FROM sources`)) keys.set(r.id, r.value);
    return keys;
  }
  const known = db.all<{ grouping: string }>(sql`SELECT DISTINCT grouping FROM source_groups ORDER BY grouping`).map((r) => r.grouping);
  if (!known.includes(grouping)) {
    throw badRequest(`groupBy: no grouping named "${grouping}" (known: ${[...SOURCE_FIELDS, ...known].join(', ')})`, 'invalid_input');
  }
  for (const r of db.all<{ id: number }>(sql`SELECT id FROM sources`)) keys.set(r.id, null);
  for (const r of db.all<{ sourceId: number; value: string }>(sql`SELECT source_id AS "sourceId", value FROM source_groups WHERE grouping = ${grouping}`)) keys.set(r.sourceId, r.value);
  return keys;
}
