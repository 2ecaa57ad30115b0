import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { badRequest } from '../errors.ts';
import { sourceGroupKeys, unassignedName } from '../sources/groups.ts';
import { inList, reachableSources, type DashboardFilters } from './filters.ts';
import { sourceNames } from './views/common.ts';

/** Sources of one group: a grouping (country, language or a named grouping) and a value (null: sources without one). */
export interface GroupRef {
  grouping: string;
  value: string | null;
}

/** `alignment:state-aligned` → the group; `alignment:` is the sources without a value. */
export function parseGroupRef(text: string, name: string): GroupRef {
  const at = text.indexOf(':');
  if (at <= 0) throw badRequest(`${name}: expected GROUPING:VALUE (e.g. alignment:independent), got "${text}"`, 'invalid_input');
  const value = text.slice(at + 1).trim();
  return { grouping: text.slice(0, at).trim(), value: value === '' ? null : value };
}

/** Ids of the sources in a group (400 when the grouping does not exist). */
export function groupSourceIds(db: Db, ref: GroupRef): number[] {
  const ids: number[] = [];
  for (const [id, value] of sourceGroupKeys(db, ref.grouping)) if (value === ref.value) ids.push(id);
  return ids.sort((a, b) => a - b);
}

/**
 * The filters with `group` resolved into the sources it holds (intersected with any chosen
 * sources). An empty group keeps an id list that matches nothing: id 0 is never assigned.
 */
export function resolveGroupScope(db: Db, f: DashboardFilters): DashboardFilters {
  if (f.group === null) return f;
  const inGroup = groupSourceIds(db, f.group);
  const chosen = f.sourceIds.length === 0 ? inGroup : inGroup.filter((id) => f.sourceIds.includes(id));
  return { ...f, sourceIds: chosen.length > 0 ? chosen : [0] };
}

/** Who a row of a view stands for: one source, or one group of a grouping. */
export const UnitFields = {
  /** The source's id; null on a group's row. */
  sourceId: z.number().int().nullable(),
  /** The source's name, or the group's (its value, or "(no GROUPING)"). */
  source: z.string(),
  /** The group's value on a grouped row ('' for the sources without one); null on a source's row. */
  group: z.string().nullable(),
};
export interface Unit {
  sourceId: number | null;
  source: string;
  group: string | null;
}

/** How a view's per-source sums become its rows: one per source, or merged per group. */
export interface Units {
  grouping: string | null;
  /** The unit key of a source: its id, or its group's value (or {@link OTHERS}). */
  keyOf: (sourceId: number) => string;
  unit: (key: string) => Unit;
  /** Rows by volume (items at the level, most first; ties by name), the others row last. */
  order: (a: Unit, b: Unit) => number;
  /** Sources or groups summed in the others row (0: no such row). */
  others: number;
}

/** The key of the row that sums every unit beyond the `top` largest (no group value holds a NUL). */
export const OTHERS = '\u0000others';

/** A row's unit key back from its fields. */
const keyOfUnit = (u: Unit) => (u.sourceId !== null ? String(u.sourceId) : (u.group ?? OTHERS));

/**
 * Per source (no groupBy) or per group of `f.groupBy`, ranked by volume (the level's items, from
 * the maintained status rollups); with `f.top`, units beyond the N largest share one others row.
 * Only the sources the rows can come from (reachableSources) are read where that cannot change
 * the answer: a chosen list always (it already bounds the ranking), a story's sources when each
 * row is one source ranked by its own volume (no groups, no others row).
 */
export function unitsFor(db: Db, f: DashboardFilters): Units {
  const grouping = f.groupBy;
  const keys = grouping === null ? null : sourceGroupKeys(db, grouping);
  const baseKey = keys === null ? String : (id: number) => keys.get(id) ?? '';
  const reach = reachableSources(db, f);
  const ranked = f.storyIds === null || (grouping === null && f.top === null) ? reach : f.sourceIds.length > 0 ? f.sourceIds : null;
  const volume = new Map<string, number>();
  const volumes =
    ranked === null
      ? db.all<{ id: number; n: number }>(sql`SELECT source_id AS id, sum(n) AS n FROM source_status_rollups WHERE level = ${f.level} GROUP BY source_id`)
      : ranked.length === 0
        ? []
        : db.all<{ id: number; n: number }>(sql`SELECT source_id AS id, sum(n) AS n FROM source_status_rollups WHERE level = ${f.level} AND source_id IN ${inList(ranked)} GROUP BY source_id`);
  for (const r of volumes) {
    const key = baseKey(r.id);
    volume.set(key, (volume.get(key) ?? 0) + r.n);
  }
  const sourceName = grouping === null ? sourceNames(db, reach) : () => '';
  let keyOf = baseKey;
  let others = 0;
  if (f.top !== null && volume.size > f.top) {
    const byVolume = [...volume.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const kept = new Set(byVolume.slice(0, f.top).map(([key]) => key));
    others = byVolume.length - f.top;
    keyOf = (id) => {
      const key = baseKey(id);
      return kept.has(key) ? key : OTHERS;
    };
  }
  const unit = (key: string): Unit => {
    if (key === OTHERS) return { sourceId: null, source: `others (${others} ${grouping === null ? 'sources' : 'groups'})`, group: null };
    if (grouping === null) return { sourceId: Number(key), source: sourceName(Number(key)), group: null };
    return { sourceId: null, source: key === '' ? unassignedName(grouping) : key, group: key };
  };
  const rank = (u: Unit) => {
    const key = keyOfUnit(u);
    return key === OTHERS ? Number.POSITIVE_INFINITY : -(volume.get(key) ?? 0);
  };
  return { grouping, keyOf, unit, order: (a, b) => rank(a) - rank(b) || a.source.localeCompare(b.source), others };
}

/**
 * Per-source sums merged into one per unit, in first-seen order: `add` folds a source's sums into
 * its unit's (the first source's sums are copied, never changed in place).
 */
export function mergeByUnit<T extends { sourceId: number }>(rows: readonly T[], units: Units, add: (into: T, row: T) => void, copy: (row: T) => T): { key: string; sums: T }[] {
  const out = new Map<string, T>();
  for (const r of rows) {
    const key = units.keyOf(r.sourceId);
    const acc = out.get(key);
    if (acc) add(acc, r);
    else out.set(key, copy(r));
  }
  return [...out.entries()].map(([key, sums]) => ({ key, sums }));
}
