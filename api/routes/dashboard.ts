import type { AppDeps } from '../deps.ts';
import { newRouter } from './router.ts';

/** Routes for issue 5 — dashboard aggregates. */
export function dashboardRoutes(_deps: AppDeps) {
  return newRouter();
}
