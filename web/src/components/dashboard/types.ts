import type { DashboardParams, DrillScope } from '../../lib/api/dashboard.ts';

/** A click on a chart: what to list and how to name the list. */
export type Drill = DrillScope & { title: string };

/**
 * What a row's drill-down narrows to: its source, or on a grouped view its group
 * (`group=GROUPING:VALUE`).
 */
export function unitDrill(row: { sourceId: number | null; group: string | null }, groupBy: string | null): Pick<Drill, 'sourceId' | 'group'> | null {
  if (row.sourceId !== null) return { sourceId: String(row.sourceId) };
  // The others row sums many sources: it has no drill-down of its own (pick sources instead).
  if (row.group === null) return null;
  return { group: `${groupBy ?? ''}:${row.group}` };
}

/** Default `top`: sources (or groups) with their own row before the rest are summed as others. */
export const DEFAULT_TOP = 25;

/** Props every dashboard view receives. */
export interface ViewProps {
  params: DashboardParams;
  /** Serialised params: views reload when it changes. */
  paramsKey: string;
  onDrill: (d: Drill) => void;
}

/** How many sources a chart shows before "show all". */
export const TOP_N = 25;
