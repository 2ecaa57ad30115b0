import type { AppDeps } from '../deps.ts';
import { newRouter } from './router.ts';

/** Routes for issue 2 — sources, documents, passages, imports. */
export function corpusRoutes(_deps: AppDeps) {
  return newRouter();
}
