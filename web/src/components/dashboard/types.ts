import type { DashboardParams, DrillDownQuery } from '../../lib/api/dashboard.ts';

/** A click on a chart: what to list and how to name the list. */
export type Drill = DrillDownQuery & { title: string };

/** Props every dashboard view receives. */
export interface ViewProps {
  params: DashboardParams;
  /** Serialised params: views reload when it changes. */
  paramsKey: string;
  onDrill: (d: Drill) => void;
}

/** How many sources a chart shows before "show all". */
export const TOP_N = 25;
