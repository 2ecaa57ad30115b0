import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const webDir = dirname(fileURLToPath(import.meta.url));
export const webDist = join(webDir, 'dist');
const stampFile = join(webDist, '.source-hash');
/** The files outside web/ the last build bundled (api/ modules the client imports at run time). */
const importsFile = join(webDist, '.bundled-imports.json');
const repoRoot = dirname(webDir);

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'e2e' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else yield path;
  }
}

/** The repository files outside web/ that the last build bundled, as recorded with it. */
function bundledImports(): string[] {
  if (!existsSync(importsFile)) return [];
  const parsed: unknown = JSON.parse(readFileSync(importsFile, 'utf8'));
  return Array.isArray(parsed) ? parsed.filter((f): f is string => typeof f === 'string' && existsSync(join(repoRoot, f))) : [];
}

/**
 * Hash of every web source file's path and content, and of the api/ modules the last build
 * bundled (a changed ErrorCode table or provider label must rebuild the page too).
 */
export function webSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of [...sourceFiles(webDir)].sort()) {
    hash.update(relative(webDir, file));
    hash.update(readFileSync(file));
  }
  for (const file of bundledImports().sort()) {
    hash.update(file);
    hash.update(readFileSync(join(repoRoot, file)));
  }
  return hash.digest('hex');
}

/** Repository files outside web/ among a build's module ids. */
function outsideWeb(output: unknown): string[] {
  const outputs = Array.isArray(output) ? output : [output];
  const ids = new Set<string>();
  for (const o of outputs) {
    if (typeof o !== 'object' || o === null || !('output' in o) || !Array.isArray(o.output)) continue;
    for (const chunk of o.output) if (chunk && typeof chunk === 'object' && 'moduleIds' in chunk && Array.isArray(chunk.moduleIds)) chunk.moduleIds.forEach((id: unknown) => typeof id === 'string' && ids.add(id));
  }
  return [...ids]
    .filter((id) => id.startsWith(repoRoot) && !id.startsWith(webDir) && !id.includes('node_modules'))
    .map((id) => relative(repoRoot, id))
    .sort();
}

/** Builds the web UI with Vite when `web/dist` is missing or older than its sources. */
export async function ensureWebBuild(log: (msg: string) => void = console.log): Promise<string> {
  const current = webSourceHash();
  if (existsSync(stampFile) && statSync(stampFile).isFile() && readFileSync(stampFile, 'utf8') === current) return webDist;
  log('building the web UI (first start or sources changed)…');
  const { build } = await import('vite');
  const output = await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(importsFile, JSON.stringify(outsideWeb(output)));
  writeFileSync(stampFile, webSourceHash());
  return webDist;
}
