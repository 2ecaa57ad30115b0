import { ensureWebBuild } from '../build.ts';

/** Browser tests need the built UI: build it once before any test file runs. */
export default async function setup(): Promise<void> {
  await ensureWebBuild(() => {});
}
