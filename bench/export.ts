/**
 * Export benchmark: exports N passages (default 1,000,000) in CSV, JSONL and Parquet and
 * prints rows/s and peak memory next to a plain baseline: better-sqlite3 iterating the same
 * query and writing JSON lines to a file. Each run is a child process, so its RSS high-water
 * mark is its own.
 *
 *   npm run bench:export                 # 1,000,000 passages
 *   npm run bench:export -- --scale 0.01 # 10,000 passages, a quick run
 *   npm run bench:export -- --scale 0.01 --postgres postgres://USER@HOST:PORT/fs_bench
 *                                        # also on PostgreSQL: a copy of the same corpus in a database
 *                                        # of its own on that server (bench/pgTarget.ts), baseline
 *                                        # there the sync driver's cursor over the same query
 *
 * The corpus is generated once by direct SQL into a database file under the OS temp folder
 * and reused by later runs of the same size.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import { openAppDb } from '../api/db.ts';
import { getActiveCodebook } from '../api/codebooks/service.ts';
import { seededRandom } from '../api/metrics/rng.ts';
import { parseExportQuery } from '../api/export/request.ts';
import { prepareExport } from '../api/export/service.ts';
import { planExport } from '../api/export/query.ts';
import { copyToPg, createBenchPgDatabase, parsePostgresOption, type BenchPgDatabase } from './pgTarget.ts';

const FULL_PASSAGES = 1_000_000;
const PASSAGES_PER_DOCUMENT = 20;
const SOURCES = 12;
const REVIEWED_SHARE = 0.1; // a tenth of the passages carry a human decision
const QUERY = { level: 'passage', status: 'all' } as const;

const WORDS =
  'the union state summit minister said that integration would deepen while critics warned of pressure on sovereignty and the economy, "a partnership of equals" according to officials; observers noted sanctions energy prices elections border treaty parliament'.split(
    ' ',
  );

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Builds the benchmark corpus by direct SQL: sources, documents, passages, items, one suggestion each, some reviews. */
function generate(path: string, passages: number): void {
  const db = openAppDb(path);
  const codebook = getActiveCodebook(db);
  const labels = codebook.definition.labels.map((l) => l.id);
  const themes = codebook.definition.themes.map((t) => t.id);
  const sqlite = db.$client;
  sqlite.pragma('synchronous = OFF'); // a throwaway file: speed over durability
  const random = seededRandom(6);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  const passageText = () => {
    const n = 30 + Math.floor(random() * 40);
    let s = '';
    for (let i = 0; i < n; i++) s += (i === 0 ? '' : ' ') + pick(WORDS);
    return s.charAt(0).toUpperCase() + s.slice(1) + '.';
  };
  const insert = {
    source: sqlite.prepare('INSERT INTO sources (name, country, url) VALUES (?, ?, ?)'),
    document: sqlite.prepare(
      'INSERT INTO documents (source_id, title, author, published, published_precision, published_start, url, language, text, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    passage: sqlite.prepare('INSERT INTO passages (document_id, seq, start, "end", text) VALUES (?, ?, ?, ?, ?)'),
    item: sqlite.prepare('INSERT INTO items (level, document_id, passage_id, source_id, seq, text_hash, random_key) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    suggestion: sqlite.prepare(
      `INSERT INTO suggestions (item_id, codebook_id, label, stance, themes, confidence, rationale, evidence, provider, model, prompt_version, prompt_hash, codebook_version, codebook_hash, params, cache_key)
       VALUES (?, ?, ?, ?, ?, ?, 'bench', '[]', 'local', 'local-baseline', 'passage-v1', 'bench', ?, ?, '{}', ?)`,
    ),
    theme: sqlite.prepare('INSERT INTO item_themes (item_id, kind, theme) VALUES (?, ?, ?)'),
    user: sqlite.prepare(`INSERT INTO users (name, role) VALUES (?, 'reviewer')`),
    review: sqlite.prepare(`INSERT INTO reviews (item_id, reviewer_id, action, kind, codebook_id, label, stance, themes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    reviewTheme: sqlite.prepare('INSERT INTO review_themes (review_id, theme) VALUES (?, ?)'),
    applySuggestion: sqlite.prepare(
      `UPDATE items SET suggestion_count = 1, latest_suggestion_id = ?, suggested_label = ?, suggested_stance = ?, suggested_confidence = ?, suggestion_agreement = 1, final_origin = 'model' WHERE id = ?`,
    ),
    applyReview: sqlite.prepare(
      `UPDATE items SET review_status = 'reviewed', review_count = 1, decision_review_id = ?, reviewed_label = ?, reviewed_stance = ?, final_origin = 'reviewer' WHERE id = ?`,
    ),
  };
  const documents = Math.ceil(passages / PASSAGES_PER_DOCUMENT);
  const bar = new SingleBar({ stream: process.stderr, format: 'generating {bar} {value}/{total} documents', hideCursor: true });
  bar.start(documents, 0);
  const reviewers = ['ann', 'bob', 'carol'].map((name) => Number(insert.user.run(name).lastInsertRowid));
  const sourceIds = Array.from({ length: SOURCES }, (_, i) => Number(insert.source.run(`Source ${i + 1}`, pick(['RU', 'BY', 'KZ', 'UA', 'AM']), `https://source${i + 1}.example`).lastInsertRowid));
  let made = 0;
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let d = from; d < to; d++) {
      const count = Math.min(PASSAGES_PER_DOCUMENT, passages - made);
      const texts = Array.from({ length: count }, passageText);
      const text = texts.join('\n\n');
      const sourceId = sourceIds[d % SOURCES]!;
      const month = String(1 + (d % 12)).padStart(2, '0');
      const published = `${2015 + (d % 10)}-${month}-15`;
      const documentId = Number(insert.document.run(sourceId, `Document ${d + 1}`, 'Staff', published, 'day', published, `https://example.org/${d + 1}`, 'en', text, sha(text)).lastInsertRowid);
      insert.item.run('document', documentId, null, sourceId, -1, sha(text), random());
      let offset = 0;
      texts.forEach((t, seq) => {
        const passageId = Number(insert.passage.run(documentId, seq, offset, offset + t.length, t).lastInsertRowid);
        offset += t.length + 2;
        const itemId = Number(insert.item.run('passage', documentId, passageId, sourceId, seq, sha(t), random()).lastInsertRowid);
        const label = pick(labels);
        const stance = Math.floor(random() * 5) - 2;
        const chosen = [...new Set([pick(themes), pick(themes)])];
        const confidence = Math.round(random() * 1000) / 1000;
        const suggestionId = Number(insert.suggestion.run(itemId, codebook.id, label, stance, JSON.stringify(chosen), confidence, codebook.version, codebook.hash, `bench-${itemId}`).lastInsertRowid);
        insert.applySuggestion.run(suggestionId, label, stance, confidence, itemId);
        for (const theme of chosen) insert.theme.run(itemId, 'suggested', theme);
        if (random() < REVIEWED_SHARE) {
          const reviewed = random() < 0.7 ? label : pick(labels);
          const reviewId = Number(insert.review.run(itemId, pick(reviewers), reviewed === label ? 'accept' : 'edit', random() < 0.3 ? 'bulk' : 'manual', codebook.id, reviewed, stance, JSON.stringify(chosen)).lastInsertRowid);
          for (const theme of chosen) {
            insert.reviewTheme.run(reviewId, theme);
            insert.theme.run(itemId, 'reviewed', theme);
          }
          insert.applyReview.run(reviewId, reviewed, stance, itemId);
        }
        made += 1;
      });
    }
  });
  const STEP = 500; // documents per transaction
  for (let d = 0; d < documents; d += STEP) {
    batch(d, Math.min(documents, d + STEP));
    bar.update(Math.min(documents, d + STEP));
  }
  bar.stop();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
}

function write(stream: Writable, chunk: Uint8Array | string): Promise<void> | null {
  if (stream.write(chunk)) return null;
  return new Promise((resolve) => stream.once('drain', () => resolve()));
}

function end(stream: Writable): Promise<void> {
  return new Promise((resolve) => stream.end(() => resolve()));
}

/** One measured run in this (child) process; prints one JSON line. */
async function child(mode: string, dbPath: string, out: string): Promise<void> {
  const db = openAppDb(dbPath);
  const started = performance.now();
  let rows = 0;
  const stream = createWriteStream(out);
  if (mode === 'baseline') {
    const plan = planExport(db.$client, parseExportQuery({ ...QUERY, format: 'jsonl' }));
    for (const row of db.$client.prepare(plan.sql).iterate(...plan.params)) {
      rows += 1;
      await write(stream, JSON.stringify(row) + '\n');
    }
  } else {
    const job = prepareExport(db, parseExportQuery({ ...QUERY, format: mode }));
    for (const chunk of job.chunks()) await write(stream, chunk);
    rows = job.plan.total;
  }
  await end(stream);
  const seconds = (performance.now() - started) / 1000;
  const peakMb = process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
  process.stdout.write(`${JSON.stringify({ mode, rows, seconds, peakMb, bytes: statSync(out).size })}\n`);
}

interface Measure {
  engine?: 'sqlite' | 'postgres';
  mode: string;
  rows: number;
  seconds: number;
  peakMb: number;
  bytes: number;
}

async function main(): Promise<void> {
  const childMode = argValue('--child');
  if (childMode) return child(childMode, argValue('--db')!, argValue('--out')!);

  const scale = Number(argValue('--scale') ?? '1');
  if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be in (0, 1]');
  const passages = Math.round(FULL_PASSAGES * scale);
  const dbPath = join(tmpdir(), `framescope-bench-export-${passages}.db`);
  if (!existsSync(dbPath)) {
    const t = performance.now();
    generate(`${dbPath}.partial`, passages);
    rmSync(`${dbPath}.partial-wal`, { force: true });
    rmSync(`${dbPath}.partial-shm`, { force: true });
    renameSync(`${dbPath}.partial`, dbPath);
    process.stderr.write(`generated ${passages} passages in ${((performance.now() - t) / 1000).toFixed(1)} s → ${dbPath}\n`);
  }

  const script = fileURLToPath(import.meta.url);
  const results: Measure[] = [];
  const runEngine = (engine: 'sqlite' | 'postgres', target: string) => {
    for (const mode of ['baseline', 'csv', 'jsonl', 'parquet']) {
      const out = join(tmpdir(), `framescope-bench-export.${mode === 'baseline' ? 'baseline.jsonl' : mode}`);
      process.stderr.write(`running ${engine} ${mode} …\n`);
      const run = spawnSync(process.execPath, ['--import', 'tsx', script, '--child', mode, '--db', target, '--out', out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (run.status !== 0) throw new Error(`${engine} ${mode} run failed with exit code ${run.status}`);
      results.push({ ...(JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Measure), engine });
      rmSync(out, { force: true });
    }
  };
  runEngine('sqlite', dbPath);
  const pgServer = parsePostgresOption(argValue('--postgres'));
  let pgTarget: BenchPgDatabase | null = null;
  if (pgServer) {
    try {
      pgTarget = await createBenchPgDatabase(pgServer, 'export');
      const copied = await copyToPg(dbPath, pgTarget.url);
      process.stderr.write(`copied ${copied.rows.toLocaleString('en')} rows to ${pgTarget.display} in ${copied.seconds.toFixed(1)} s\n`);
      runEngine('postgres', pgTarget.url);
    } finally {
      await pgTarget?.drop();
    }
  }

  const baselineOf = (m: Measure) => results.find((r) => r.engine === m.engine && r.mode === 'baseline')!;
  const rate = (m: Measure) => m.rows / m.seconds;
  const baselineName = (engine: Measure['engine']) => (engine === 'postgres' ? 'baseline: the sync driver\'s cursor → JSON lines' : 'baseline: better-sqlite3 .iterate() → JSON lines');
  const lines = [
    `export bench: ${passages.toLocaleString('en')} passages (level=${QUERY.level}, status=${QUERY.status}), node ${process.version}`,
    '',
    '| engine | run | rows | seconds | rows/s | time vs baseline | peak RSS (MB) | file (MB) |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...results.map((m) =>
      [
        m.engine,
        m.mode === 'baseline' ? baselineName(m.engine) : m.mode,
        m.rows.toLocaleString('en'),
        m.seconds.toFixed(1),
        Math.round(rate(m)).toLocaleString('en'),
        `${(m.seconds / baselineOf(m).seconds).toFixed(2)}x`,
        m.peakMb.toFixed(0),
        (m.bytes / 1024 / 1024).toFixed(0),
      ].join(' | '),
    ).map((l) => `| ${l} |`),
    '',
    `targets: peak RSS < 300 MB for every format: ${results.every((m) => m.peakMb < 300) ? 'met' : 'NOT met'}; ` +
      `CSV and JSONL within 2x of the baseline: ${results.filter((m) => m.mode === 'csv' || m.mode === 'jsonl').every((m) => m.seconds / baselineOf(m).seconds <= 2) ? 'met' : 'NOT met'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
