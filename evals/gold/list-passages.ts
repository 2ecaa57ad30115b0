/**
 * Prints the Passages the segmenter makes of each article in ../shared/corpus, with their
 * offsets and exclusion verdict, so a person can label them by hand into the gold set.
 * Usage: npx tsx evals/gold/list-passages.ts [file-substring]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { segment } from '../../api/ingest/segment.ts';

const corpusDir = join(import.meta.dirname, '../../../shared/corpus');
const manifest = JSON.parse(readFileSync(join(corpusDir, 'manifest.json'), 'utf8')) as { file: string }[];
const filter = process.argv[2] ?? '';
for (const { file } of manifest.filter((m) => m.file.includes(filter))) {
  console.log(`== ${file}`);
  for (const p of segment(readFileSync(join(corpusDir, file), 'utf8'))) {
    console.log(`[${p.seq}] ${p.start}-${p.end}${p.excluded ? ` EXCLUDED(${p.reason})` : ''}: ${p.text}\n`);
  }
}
