import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../db/client.ts';
import { runImport, type ImportReport } from './import.ts';
import { MANIFEST_FILE, manifestMeta, parseManifest } from './manifest.ts';
import { diskSource } from './sources.ts';

/** The bundled demo corpus: short fictional articles from invented outlets, with a manifest. */
export const DEMO_DIR = join(dirname(fileURLToPath(import.meta.url)), 'demo');

/**
 * Loads the demo corpus through the ordinary import (so it is segmented and deduplicated like
 * any file). Idempotent: a second load reports every file unchanged and writes nothing.
 */
export function importDemoCorpus(db: Db, actor = 'local'): Promise<ImportReport> {
  const entries = parseManifest(readFileSync(join(DEMO_DIR, MANIFEST_FILE), 'utf8'));
  return runImport(
    db,
    entries.map((e) => diskSource({ file: `demo/${e.file}`, path: join(DEMO_DIR, e.file), manifest: manifestMeta(e) })),
    { origin: 'demo', importName: 'demo', actor },
  );
}
