import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const webDir = dirname(fileURLToPath(import.meta.url));
export const webDist = join(webDir, 'dist');
const stampFile = join(webDist, '.source-hash');

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'e2e' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else yield path;
  }
}

/** Hash of every web source file's path and content: the build is stale when it changes. */
export function webSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of [...sourceFiles(webDir)].sort()) {
    hash.update(relative(webDir, file));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

/** Builds the web UI with Vite when `web/dist` is missing or older than its sources. */
export async function ensureWebBuild(log: (msg: string) => void = console.log): Promise<string> {
  const current = webSourceHash();
  if (existsSync(stampFile) && statSync(stampFile).isFile() && readFileSync(stampFile, 'utf8') === current) return webDist;
  log('building the web UI (first start or sources changed)…');
  const { build } = await import('vite');
  await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(stampFile, current);
  return webDist;
}
