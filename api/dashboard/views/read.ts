import { readsRollups, type DashboardFilters } from '../filters.ts';

/**
 * How a view is answered: from the rollups the item-state functions keep (rollups.ts) when the
 * filters allow it (readsRollups), else by scanning items. Both give the same numbers
 * (dashboard-rollups.test.ts), so each view says how to read each source and this decides.
 */
export function readView<T>(f: DashboardFilters, read: { rollups: () => T; scan: () => T }): T {
  return readsRollups(f) ? read.rollups() : read.scan();
}
