/**
 * bench:import — the full import (read JSONL, parse, segment, hash, insert documents, passages
 * and items, one transaction per file) of a generated corpus, next to a plain
 * baseline inserting the same rows in one transaction with prepared statements (on each engine).
 *
 *   npm run bench:import                 # 100,000 documents of about 2 KB, 400 sources
 *   npm run bench:import -- --docs 5000  # a quick run
 *   npm run bench:import -- --single     # one JSONL of 1,000,000 rows (see bench/importSingle.ts)
 *   npm run bench:import -- --docs 5000 --postgres postgres://USER@HOST:PORT/fs_bench
 *                                        # the same files on SQLite and then PostgreSQL, both in one table
 *                                        # (databases of their own on that server: bench/pgTarget.ts)
 *
 * Targets: the import within 4x of the baseline's time and under 2 minutes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openAppDb } from '../api/db.ts';
import { runImport } from '../api/ingest/import.ts';
import { diskSource } from '../api/ingest/sources.ts';
import { sha256 } from '../api/ingest/normalize.ts';
import { segment } from '../api/ingest/segment.ts';
import { seededRandom } from '../api/metrics/rng.ts';
import { benchSingleFile } from './importSingle.ts';
import { createBenchPgDatabase, parsePostgresOption } from './pgTarget.ts';

if (process.argv.includes('--single')) {
  const at = process.argv.indexOf('--rows');
  const rows = at > -1 ? Number(process.argv[at + 1]) : 1_000_000;
  if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows must be a positive integer');
  await benchSingleFile(rows);
  process.exit(0);
}

const argDocs = process.argv.indexOf('--docs');
const DOCS = argDocs > -1 ? Number(process.argv[argDocs + 1]) : 100_000;
if (!Number.isInteger(DOCS) || DOCS < 1) throw new Error('--docs must be a positive integer');
const argPostgres = process.argv.indexOf('--postgres');
const pgServer = parsePostgresOption(argPostgres > -1 ? process.argv[argPostgres + 1] : undefined);
const SOURCES = 400;
const DOCS_PER_FILE = 1_000;
const TARGET_CHARS = 2_000; // about 2 KB of text per document


const WORDS = (
  'government minister council treaty union market border energy pipeline trade customs policy election region capital ' +
  'economy sanctions security alliance summit agreement partner neighbour history memory sovereignty integration ' +
  'institution parliament president official analyst report study survey figure growth investment industry grain ' +
  'transport railway corridor harbour tariff budget loan currency payment system reform crisis conflict dispute ' +
  'the a of to in and on for with that as by from at which this their its new old large small many several ' +
  'said argued noted warned claimed suggested expected described announced agreed signed opened closed raised'
).split(' ');

interface GeneratedDocument {
  text: string;
  title: string;
  source: string;
  published: string;
}

function generate(n: number): GeneratedDocument[] {
  const rand = seededRandom(42);
  const pick = () => WORDS[Math.floor(rand() * WORDS.length)]!;
  const sentence = () => {
    const len = 8 + Math.floor(rand() * 14);
    const w = Array.from({ length: len }, pick);
    w[0] = w[0]![0]!.toUpperCase() + w[0]!.slice(1);
    return `${w.join(' ')}.`;
  };
  const docs: GeneratedDocument[] = [];
  for (let i = 0; i < n; i++) {
    const source = `Outlet ${(i % SOURCES) + 1}`;
    const paragraphs: string[] = [];
    let len = 0;
    while (len < TARGET_CHARS) {
      const p = Array.from({ length: 2 + Math.floor(rand() * 3) }, sentence).join(' ');
      paragraphs.push(p);
      len += p.length + 2;
    }
    if (rand() < 0.2) paragraphs.push(`Copyright © 2025 ${source}. All rights reserved.`);
    const month = String(1 + Math.floor(rand() * 12)).padStart(2, '0');
    const day = String(1 + Math.floor(rand() * 28)).padStart(2, '0');
    docs.push({ text: paragraphs.join('\n\n'), title: `Report ${i + 1}`, source, published: `2024-${month}-${day}` });
  }
  return docs;
}

/** CPU seconds (user + system) this process spent since `since`: unlike wall time, not inflated by other load on the machine. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

interface EngineRun {
  engine: 'sqlite' | 'postgres';
  importSeconds: number;
  importCpu: number;
  baseSeconds: number;
  baseCpu: number;
  passages: number;
}

/**
 * The full import into `importTarget` and the plain-insert baseline into `baseTarget` (two empty
 * databases of one engine: a file path or a PostgreSQL URL). The baseline is the same prepared
 * statements on either engine: on PostgreSQL they go through the app's synchronous driver, one
 * round trip a statement, as the import's do.
 */
async function benchEngine(engine: EngineRun['engine'], docs: GeneratedDocument[], files: string[], importTarget: string, baseTarget: string): Promise<EngineRun> {
  // Full import, as `import <folder>` does it: read, parse, segment, hash, insert.
  const importDb = openAppDb(importTarget);
  process.stderr.write(`importing ${files.length} files into ${engine}…\n`);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const report = await runImport(importDb, files.map((path) => diskSource({ file: path, path, manifest: null })), { origin: 'cli' }, {
    onProgress: (p) => process.stderr.write(`  ${p.fileIndex + 1}/${files.length} files\r`),
  });
  const importSeconds = (performance.now() - t0) / 1000;
  const importCpu = cpuSeconds(c0);
  process.stderr.write('\n');
  if (report.totals.failed > 0 || report.totals.documents !== DOCS) throw new Error(`import went wrong: ${JSON.stringify(report.totals)}`);
  importDb.$client.close();

  // Baseline: the same rows, prepared in advance (untimed), inserted in one transaction.
  const rows = docs.map((d) => ({ d, hash: sha256(d.text), passages: segment(d.text).map((p) => ({ ...p, hash: sha256(p.text) })) }));
  const baseDb = openAppDb(baseTarget);
  const c = baseDb.$client;
  const insSource = c.prepare('INSERT INTO sources (name) VALUES (?)');
  const insDoc = c.prepare(
    'INSERT INTO documents (source_id, title, published, published_precision, published_start, language, origin, text, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insPassage = c.prepare(
    'INSERT INTO passages (document_id, seq, start, "end", text, excluded, excluded_reason, excluded_by, auto_excluded, auto_excluded_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insItem = c.prepare('INSERT INTO items (level, document_id, passage_id, source_id, seq, text_hash, excluded, random_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  c.transaction(() => {
    const sourceIds = new Map<string, number>();
    for (const { d, hash, passages } of rows) {
      let sourceId = sourceIds.get(d.source);
      if (sourceId === undefined) {
        sourceId = Number(insSource.run(d.source).lastInsertRowid);
        sourceIds.set(d.source, sourceId);
      }
      const docId = Number(insDoc.run(sourceId, d.title, d.published, 'day', d.published, null, 'bench', d.text, hash).lastInsertRowid);
      insItem.run('document', docId, null, sourceId, -1, hash, 0, Math.random());
      for (const p of passages) {
        const ex = p.excluded ? 1 : 0;
        const pid = Number(insPassage.run(docId, p.seq, p.start, p.end, p.text, ex, p.reason, p.excluded ? 'auto' : null, ex, p.reason).lastInsertRowid);
        insItem.run('passage', docId, pid, sourceId, p.seq, p.hash, ex, Math.random());
      }
    }
  })();
  const baseSeconds = (performance.now() - t1) / 1000;
  const baseCpu = cpuSeconds(c1);
  c.close();
  return { engine, importSeconds, importCpu, baseSeconds, baseCpu, passages: report.totals.passages };
}

const dir = mkdtempSync(join(tmpdir(), 'framescope-bench-import-'));
try {
  process.stderr.write(`generating ${DOCS.toLocaleString('en-US')} documents from ${SOURCES} sources…\n`);
  const docs = generate(DOCS);
  const files: string[] = [];
  for (let f = 0; f * DOCS_PER_FILE < DOCS; f++) {
    const path = join(dir, `corpus-${String(f).padStart(4, '0')}.jsonl`);
    writeFileSync(path, docs.slice(f * DOCS_PER_FILE, (f + 1) * DOCS_PER_FILE).map((d) => JSON.stringify(d)).join('\n'));
    files.push(path);
  }
  const bytes = docs.reduce((s, d) => s + Buffer.byteLength(d.text), 0);

  const runs: EngineRun[] = [await benchEngine('sqlite', docs, files, join(dir, 'import.db'), join(dir, 'baseline.db'))];
  if (pgServer) {
    const targets = [await createBenchPgDatabase(pgServer, 'import'), await createBenchPgDatabase(pgServer, 'baseline')];
    try {
      runs.push(await benchEngine('postgres', docs, files, targets[0]!.url, targets[1]!.url));
    } finally {
      for (const t of targets) await t.drop();
    }
  }
  const passages = runs[0]!.passages;
  const row = (engine: string, run: string, wall: number, cpu: number) =>
    `| ${engine.padEnd(8)} | ${run.padEnd(55)} | ${fmt(wall).padStart(6)} | ${fmt(DOCS / wall, 0).padStart(18)} | ${fmt(cpu).padStart(5)} | ${fmt(DOCS / cpu, 0).padStart(17)} |`;
  process.stdout.write(
    [
      `bench:import — ${DOCS.toLocaleString('en-US')} documents (${fmt(bytes / DOCS / 1024)} KiB each on average), ${SOURCES} sources, ${passages.toLocaleString('en-US')} passages, ${files.length} JSONL files`,
      '',
      '| engine   | run                                                     | wall s | documents/s (wall) | CPU s | documents/s (CPU) |',
      '|----------|---------------------------------------------------------|-------:|-------------------:|------:|------------------:|',
      ...runs.flatMap((r) => [
        row(r.engine, 'full import (read, parse, segment, hash, insert)', r.importSeconds, r.importCpu),
        row(r.engine, 'baseline: plain prepared inserts, one transaction', r.baseSeconds, r.baseCpu),
      ]),
      '',
      ...runs.map((r) => `${r.engine}: ratio import / baseline: ${fmt(r.importSeconds / r.baseSeconds, 2)}x wall, ${fmt(r.importCpu / r.baseCpu, 2)}x CPU   (target: at most 4x, and under 120 s for 100,000 documents)`),
      `load average during the run: ${os.loadavg().map((l) => fmt(l, 2)).join(' ')} on ${os.cpus().length} cores (wall time grows with other load; CPU time does not)`,
      ...(pgServer ? ['PostgreSQL: CPU s is this process only (the driver\'s worker thread included), not the server\'s; each statement is one round trip to the server'] : []),
      '',
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
