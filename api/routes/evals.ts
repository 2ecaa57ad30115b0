import type { AppDeps } from '../deps.ts';
import { newRouter } from './router.ts';

/** Routes for issue 7 — eval results. */
export function evalsRoutes(_deps: AppDeps) {
  return newRouter();
}
