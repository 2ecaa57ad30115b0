import type { AppDeps } from '../deps.ts';
import { newRouter } from './router.ts';

/** Routes for issue 3 — codebooks, prompts, tagging runs, suggestions. */
export function taggingRoutes(_deps: AppDeps) {
  return newRouter();
}
