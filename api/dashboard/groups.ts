import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { badRequest } from '../errors.ts';
import { sourceGroupKeys, unassignedName } from '../sources/groups.ts';
import type { DashboardFilters } from './filters.ts';

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
  /** The unit key of a source: its id, or its group's value. */
  keyOf: (sourceId: number) => string;
  unit: (key: string) => Unit;
}

/** Per source (no groupBy) or per group of `f.groupBy`. */
export function unitsFor(db: Db, f: DashboardFilters, sourceName: (id: number) => string): Units {
  if (f.groupBy === null) return { grouping: null, keyOf: String, unit: (key) => ({ sourceId: Number(key), source: sourceName(Number(key)), group: null }) };
  const grouping = f.groupBy;
  const keys = sourceGroupKeys(db, grouping);
  return {
    grouping,
    keyOf: (id) => keys.get(id) ?? '',
    unit: (key) => ({ sourceId: null, source: key === '' ? unassignedName(grouping) : key, group: key }),
  };
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
