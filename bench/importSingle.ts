/**
 * The single-file case of bench:import: one JSONL of N rows (default 1,000,000, about 2 KB of
 * text each), generated on the fly, imported in one command, next to a bare better-sqlite3
 * baseline that inserts the same rows (documents, passages, items) in batched transactions with
 * prepared statements, its parsing, segmenting and hashing done untimed. Each run is a child
 * process, so its RSS high-water mark is its own.
 *
 *   npm run bench:import -- --single                # 1,000,000 rows
 *   npm run bench:import -- --single --rows 200000  # when disk is short
 *
 * Targets: the import within 4x of the baseline's time, peak RSS under 1 GB.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openAppDb } from '../api/db.ts';
import { runImport } from '../api/ingest/import.ts';
import { sha256 } from '../api/ingest/normalize.ts';
import { segment } from '../api/ingest/segment.ts';
import { diskSource } from '../api/ingest/sources.ts';
import { seededRandom } from '../api/metrics/rng.ts';

const SOURCES = 400;
const TARGET_CHARS = 2_000;
/** Rows per timed baseline transaction, as the import's batches. */
const BASELINE_BATCH = 500;

const WORDS = (
  'government minister council treaty union market border energy pipeline trade customs policy election region capital ' +
  'economy sanctions security alliance summit agreement partner neighbour history memory sovereignty integration ' +
  'institution parliament president official analyst report study survey figure growth investment industry grain ' +
  'the a of to in and on for with that as by from at which this their its new old large small many several ' +
  'said argued noted warned claimed suggested expected described announced agreed signed opened closed raised'
).split(' ');

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > -1 ? process.argv[i + 1] : undefined;
}

/** Writes `rows` JSONL rows (seeded) to `path` as a stream; returns the file size. */
export async function generate(path: string, rows: number): Promise<number> {
  const rand = seededRandom(42);
  const pick = () => WORDS[Math.floor(rand() * WORDS.length)]!;
  const sentence = () => {
    const w = Array.from({ length: 8 + Math.floor(rand() * 14) }, pick);
    return `${w[0]![0]!.toUpperCase()}${w.join(' ').slice(1)}.`;
  };
  const out = createWriteStream(path);
  for (let i = 0; i < rows; i++) {
    const source = `Outlet ${(i % SOURCES) + 1}`;
    const paragraphs: string[] = [];
    for (let len = 0; len < TARGET_CHARS; ) {
      const p = Array.from({ length: 2 + Math.floor(rand() * 3) }, sentence).join(' ');
      paragraphs.push(p);
      len += p.length + 2;
    }
    if (rand() < 0.2) paragraphs.push(`Copyright © 2025 ${source}. All rights reserved.`);
    const line = `${JSON.stringify({ id: `a-${i}`, title: `Report ${i + 1}`, source, published: `${1 + Math.floor(rand() * 12)}/${1 + Math.floor(rand() * 28)}/2024`, text: paragraphs.join('\n\n') })}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  return statSync(path).size;
}

interface Measured {
  seconds: number;
  cpu: number;
  documents: number;
  passages: number;
  peakMb: number;
}

const cpuSince = (c: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(c);
  return (u.user + u.system) / 1e6;
};

/** Child: the full import, as `framescope import FILE` runs it. */
async function childImport(file: string, dbPath: string): Promise<Measured> {
  const db = openAppDb(dbPath);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const report = await runImport(db, [diskSource({ file, path: file, manifest: null })], { origin: 'cli' }, {
    onProgress: (p) => process.stderr.write(`  import: ${p.rows.toLocaleString('en-US')} rows, ${Math.round(p.rowsPerSecond)} rows/s\r`),
  });
  const seconds = (performance.now() - t0) / 1000;
  const f = report.files[0]!;
  if (f.status !== 'imported') throw new Error(`import went wrong: ${JSON.stringify(f)}`);
  db.$client.close();
  return { seconds, cpu: cpuSince(c0), documents: f.documents, passages: f.passages, peakMb: process.resourceUsage().maxRSS / 1024 };
}

/** Child: the baseline: the same rows inserted by prepared statements; only the inserts are timed. */
async function childBaseline(file: string, dbPath: string): Promise<Measured> {
  const db = openAppDb(dbPath);
  const c = db.$client;
  const insSource = c.prepare('INSERT INTO sources (name) VALUES (?)');
  const insDoc = c.prepare('INSERT INTO documents (source_id, title, published, published_precision, published_start, origin, external_id, text, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insPassage = c.prepare('INSERT INTO passages (document_id, seq, start, "end", text, excluded, excluded_reason, excluded_by, auto_excluded, auto_excluded_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insItem = c.prepare('INSERT INTO items (level, document_id, passage_id, source_id, seq, text_hash, excluded, random_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const sourceIds = new Map<string, number>();
  type Prepared = { d: { id: string; title: string; source: string; text: string }; hash: string; passages: (ReturnType<typeof segment>[number] & { hash: string })[] };
  const insert = c.transaction((batch: Prepared[]) => {
    for (const { d, hash, passages } of batch) {
      let sourceId = sourceIds.get(d.source);
      if (sourceId === undefined) sourceIds.set(d.source, (sourceId = Number(insSource.run(d.source).lastInsertRowid)));
      const docId = Number(insDoc.run(sourceId, d.title, '2024-01-01', 'day', '2024-01-01', 'bench', d.id, d.text, hash).lastInsertRowid);
      insItem.run('document', docId, null, sourceId, -1, hash, 0, Math.random());
      for (const p of passages) {
        const ex = p.excluded ? 1 : 0;
        const pid = Number(insPassage.run(docId, p.seq, p.start, p.end, p.text, ex, p.reason, p.excluded ? 'auto' : null, ex, p.reason).lastInsertRowid);
        insItem.run('passage', docId, pid, sourceId, p.seq, p.hash, ex, Math.random());
      }
    }
  });
  let seconds = 0;
  let cpu = 0;
  let documents = 0;
  let passages = 0;
  let batch: Prepared[] = [];
  const flush = () => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    insert(batch);
    seconds += (performance.now() - t0) / 1000;
    cpu += cpuSince(c0);
    batch = [];
  };
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (!line) continue;
    const d = JSON.parse(line) as Prepared['d'];
    const ps = segment(d.text, { sourceName: d.source }).map((p) => ({ ...p, hash: sha256(p.text) }));
    batch.push({ d, hash: sha256(d.text), passages: ps });
    documents++;
    passages += ps.length;
    if (batch.length === BASELINE_BATCH) flush();
  }
  if (batch.length) flush();
  c.close();
  return { seconds, cpu, documents, passages, peakMb: process.resourceUsage().maxRSS / 1024 };
}

function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Runs the single-file case (the parent side): generates, spawns both children, prints the table. */
export async function benchSingleFile(rows: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'framescope-bench-import1-'));
  try {
    const file = join(dir, 'corpus.jsonl');
    process.stderr.write(`generating one JSONL of ${rows.toLocaleString('en-US')} rows…\n`);
    const bytes = await generate(file, rows);
    const script = fileURLToPath(import.meta.url);
    const run = (mode: 'import' | 'baseline'): Measured => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', script, '--child', mode, '--file', file, '--db', join(dir, `${mode}.db`)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (r.status !== 0) throw new Error(`${mode} run failed (exit ${r.status})`);
      return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Measured;
    };
    process.stderr.write('importing…\n');
    const imp = run('import');
    process.stderr.write('\nbaseline…\n');
    const base = run('baseline');
    process.stdout.write(
      [
        '',
        `bench:import --single — one JSONL file of ${rows.toLocaleString('en-US')} rows (${fmt(bytes / 1024 / 1024 / 1024, 2)} GiB), ${imp.passages.toLocaleString('en-US')} passages`,
        '',
        '| run                                                       | wall s | documents/s | CPU s | peak RSS MiB |',
        '|-----------------------------------------------------------|-------:|------------:|------:|-------------:|',
        `| framescope import FILE (stream, parse, dates, segment, hash, insert, rollups, duplicates) | ${fmt(imp.seconds).padStart(6)} | ${fmt(imp.documents / imp.seconds, 0).padStart(11)} | ${fmt(imp.cpu).padStart(5)} | ${fmt(imp.peakMb, 0).padStart(12)} |`,
        `| baseline: bare better-sqlite3 insert, batches of ${BASELINE_BATCH}        | ${fmt(base.seconds).padStart(6)} | ${fmt(base.documents / base.seconds, 0).padStart(11)} | ${fmt(base.cpu).padStart(5)} | ${fmt(base.peakMb, 0).padStart(12)} |`,
        '',
        `ratio import / baseline: ${fmt(imp.seconds / base.seconds, 2)}x wall, ${fmt(imp.cpu / base.cpu, 2)}x CPU   (target: at most 4x; peak RSS under 1,024 MiB: ${imp.peakMb < 1024 ? 'met' : 'NOT met'})`,
        `load average: ${os.loadavg().map((l) => fmt(l, 2)).join(' ')} on ${os.cpus().length} cores`,
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (argValue('--child')) {
  const mode = argValue('--child');
  const result = mode === 'import' ? await childImport(argValue('--file')!, argValue('--db')!) : await childBaseline(argValue('--file')!, argValue('--db')!);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
