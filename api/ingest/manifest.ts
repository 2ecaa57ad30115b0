import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { z } from 'zod';
import { zodIssueText } from '../errors.ts';
import { decodeText, IngestError, singleLine } from './normalize.ts';
import { formatOf, type DocumentMeta } from './readers.ts';

const optionalText = z.string().nullish();

/** One entry of a folder's manifest.json (the format of ../shared/corpus/manifest.json, plus an optional country). */
export const ManifestEntrySchema = z.object({
  file: z.string().min(1),
  title: optionalText,
  author: optionalText,
  source: optionalText,
  published: optionalText,
  url: optionalText,
  language: optionalText,
  country: optionalText,
  notes: optionalText,
});
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

export const MANIFEST_FILE = 'manifest.json';

/** Parses manifest.json text; throws a one-line IngestError naming the first bad entry. */
export function parseManifest(text: string): ManifestEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new IngestError(`${MANIFEST_FILE} is not valid JSON (${singleLine((e as Error).message)})`);
  }
  const parsed = z.array(ManifestEntrySchema).safeParse(raw);
  if (!parsed.success) {
    const entry = (path: readonly PropertyKey[]) => `entry ${Number(path[0]) + 1}${path.length > 1 ? ` field ${path.slice(1).map(String).join('.')}` : ''}`;
    throw new IngestError(`${MANIFEST_FILE}: ${zodIssueText(parsed.error, { path: entry })}`);
  }
  const seen = new Set<string>();
  for (const e of parsed.data) {
    if (seen.has(e.file)) throw new IngestError(`${MANIFEST_FILE} lists ${e.file} twice`);
    seen.add(e.file);
  }
  return parsed.data;
}

/** The metadata a manifest entry gives its document. */
export function manifestMeta(e: ManifestEntry): DocumentMeta {
  const { file: _file, ...meta } = e;
  return meta;
}

/** A file to import found on disk, with the metadata its folder's manifest gives it. */
export interface FoundFile {
  /** Path as shown in reports (relative to where it was named from). */
  file: string;
  path: string;
  manifest: DocumentMeta | null;
}

/** A folder or file that cannot be imported at all (bad manifest, missing path). */
export interface FoundFailure {
  file: string;
  error: string;
}

/**
 * Why a manifest entry cannot name a file of its folder, judged from the text alone (nothing on
 * disk is touched): absolute paths, `..`, NUL and backslashes are refused.
 */
export function entryPathProblem(file: string): string | null {
  const outside = `"${file}" is not a path inside the folder (entries name files relative to the manifest's folder, without ..)`;
  if (file.includes('\0') || file.includes('\\') || isAbsolute(file) || /^[a-zA-Z]:/.test(file)) return outside;
  if (file.split('/').includes('..') || normalize(file).split(sep).includes('..')) return outside;
  return null;
}

/** True when `p` is `root` or inside it. */
function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/**
 * The file a manifest entry names, or why it cannot be imported. The entry's text is checked
 * first (nothing outside is ever touched); then the file must be a regular file, not a link,
 * in a directory that really lies inside the folder. Every refusal of a path that leaves the
 * folder reads the same whether or not something exists there.
 */
function resolveEntry(dir: string, shown: string, file: string): { path: string } | { error: string } {
  const problem = entryPathProblem(file);
  if (problem) return { error: `${MANIFEST_FILE}: ${problem}` };
  const path = join(dir, file);
  const escapes = { error: `${MANIFEST_FILE}: "${file}" does not resolve to a file inside ${shown} (links out of the folder are not followed)` };
  let realParent: string;
  try {
    realParent = realpathSync(dirname(path));
  } catch {
    return escapes;
  }
  if (!inside(realpathSync(dir), realParent)) return escapes;
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return { error: `${MANIFEST_FILE} names ${file}, which does not exist in ${shown}` };
  }
  if (st.isSymbolicLink()) return escapes;
  if (!st.isFile()) return { error: `${MANIFEST_FILE} names ${file}, which is not a file in ${shown}` };
  return { path };
}

/**
 * Expands CLI paths into files: a file is taken as is; a folder is walked recursively, and a
 * folder holding manifest.json contributes exactly the files its manifest lists (an entry that
 * cannot be imported, missing or outside the folder, fails alone; the others import); without
 * a manifest, every file of a readable format is taken. Hidden files are skipped.
 */
export function collectFiles(paths: string[]): { files: FoundFile[]; failures: FoundFailure[] } {
  const files: FoundFile[] = [];
  const failures: FoundFailure[] = [];
  const walk = (dir: string, shown: string) => {
    const manifestPath = join(dir, MANIFEST_FILE);
    if (existsSync(manifestPath)) {
      let entries: ManifestEntry[];
      try {
        entries = parseManifest(decodeText(readFileSync(manifestPath)));
      } catch (err) {
        failures.push({ file: join(shown, MANIFEST_FILE), error: err instanceof IngestError ? err.message : String(err) });
        return;
      }
      for (const e of entries) {
        const found = resolveEntry(dir, shown, e.file);
        if ('error' in found) failures.push({ file: join(shown, MANIFEST_FILE), error: found.error });
        else files.push({ file: join(shown, e.file), path: found.path, manifest: manifestMeta(e) });
      }
      return;
    }
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p, join(shown, name));
      else if (st.isFile() && formatOf(name) !== null) files.push({ file: join(shown, name), path: p, manifest: null });
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) {
      failures.push({ file: p, error: 'no such file or folder' });
      continue;
    }
    if (statSync(p).isDirectory()) walk(p, relative(process.cwd(), p) || basename(p));
    else files.push({ file: p, path: p, manifest: null });
  }
  return { files, failures };
}
