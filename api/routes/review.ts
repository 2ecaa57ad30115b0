import type { AppDeps } from '../deps.ts';
import { newRouter } from './router.ts';

/** Routes for issue 4 — review queue, decisions, users, agreement. */
export function reviewRoutes(_deps: AppDeps) {
  return newRouter();
}
