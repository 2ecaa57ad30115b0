import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { z } from 'zod';
import { zodIssueText } from '../errors.ts';
import { decodeText, IngestError } from './normalize.ts';
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
    throw new IngestError(`${MANIFEST_FILE} is not valid JSON (${(e as Error).message})`);
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
 * Expands CLI paths into files: a file is taken as is; a folder is walked recursively, and a
 * folder holding manifest.json contributes exactly the files its manifest lists (a listed
 * file that is missing fails the whole folder, which then imports nothing); without a
 * manifest, every file of a readable format is taken. Hidden files are skipped.
 */
export function collectFiles(paths: string[]): { files: FoundFile[]; failures: FoundFailure[] } {
  const files: FoundFile[] = [];
  const failures: FoundFailure[] = [];
  const walk = (dir: string, shown: string) => {
    const manifestPath = join(dir, MANIFEST_FILE);
    if (existsSync(manifestPath)) {
      const where = join(shown, MANIFEST_FILE);
      try {
        const entries = parseManifest(decodeText(readFileSync(manifestPath)));
        const found: FoundFile[] = [];
        for (const e of entries) {
          const p = join(dir, e.file);
          if (!existsSync(p) || !statSync(p).isFile()) throw new IngestError(`${MANIFEST_FILE} names ${e.file}, which does not exist in ${shown}`);
          found.push({ file: join(shown, e.file), path: p, manifest: manifestMeta(e) });
        }
        files.push(...found);
      } catch (err) {
        failures.push({ file: where, error: err instanceof IngestError ? err.message : String(err) });
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
