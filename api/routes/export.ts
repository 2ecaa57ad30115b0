import type { AppDeps } from '../deps.ts';
import { newRouter } from './router.ts';

/** Routes for issue 6 — dataset export. */
export function exportRoutes(_deps: AppDeps) {
  return newRouter();
}
