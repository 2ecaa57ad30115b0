/**
 * Dashboard benchmark: generates a corpus of 100,000 documents / 1,000,000 passages across 500
 * sources (at --scale 1) with suggestions, themes, reviews and an outlet grouping, then times
 * every dashboard view through the Hono app, unfiltered and under each filter (date ranges of
 * whole years and months, a day bound, review status, provider, an outlet group, a story, grouped rows),
 * the drill-downs (also ones that match nothing) and the two-group comparison: p50 and p95 over
 * --runs calls, next to the bare SQL GROUP BY over items for the same numbers with the same
 * filter (its median of three), run directly with better-sqlite3, and the ratio. The views read
 * the rollups (api/dashboard/rollups.ts, month and facet rollups for the filters), built here by
 * one rebuild after the direct-SQL generation, so a ratio below 1 means the rollups beat the
 * scan. The cost the rollups add to a review write is timed at the end.
 *
 *   npm run bench:dashboard                      full size (about 1.1M items)
 *   npm run bench:dashboard -- --scale 0.02      quick run
 *   npm run bench:dashboard -- --db FILE --reuse reuse a database generated before
 *   npm run bench:dashboard -- --scale 0.1 --postgres postgres://USER@HOST:PORT/fs_bench
 *                                                also on PostgreSQL: the generated SQLite database is
 *                                                copied there (db/pg/copy.ts) and every view and its
 *                                                bare SQL are timed on each engine, one table with both
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { createApp } from '../api/app.ts';
import { getActiveCodebook } from '../api/codebooks/service.ts';
import { rebuildRollups } from '../api/dashboard/rollups.ts';
import { serverDeps } from '../api/jobs/setup.ts';
import { addReview } from '../api/fixtures.ts';
import { loadConfig } from '../api/config.ts';
import { seededRandom } from '../api/metrics/rng.ts';
import type { Db } from '../db/client.ts';
import { openAppDb } from '../api/db.ts';
import { countWhereText } from '../db/sqlDialect.ts';
import { copyToPg, createBenchPgDatabase, parsePostgresOption, type BenchPgDatabase } from './pgTarget.ts';

const program = new Command()
  .option('--scale <n>', 'fraction of the full size (1 = 100,000 documents, 1,000,000 passages)', '1')
  .option('--runs <n>', 'timed calls per endpoint', '15')
  .option('--db <file>', 'database file (default: a temporary file, removed afterwards)')
  .option('--reuse', 'use the database at --db as it is, without generating')
  .option('--only <regex>', 'time only the endpoints whose "view filter" matches')
  .option('--postgres <url>', 'also time on PostgreSQL: a copy of the generated database in a database of its own on this server, named after the URL\'s database (see bench/pgTarget.ts)')
  .option('--keep', 'keep the PostgreSQL copy instead of dropping it')
  .parse();
const opts = program.opts<{ scale: string; runs: string; db?: string; reuse?: boolean; only?: string; postgres?: string; keep?: boolean }>();
const scale = Number(opts.scale);
const runs = Number(opts.runs);
if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be in (0, 1], got ${opts.scale}`);
if (!Number.isInteger(runs) || runs < 3) throw new Error(`--runs must be a whole number >= 3, got ${opts.runs}`);

const DOCUMENTS = Math.round(100_000 * scale);
const PASSAGES_PER_DOCUMENT = 10;
const SOURCES = Math.min(500, DOCUMENTS);
const EXCLUDED_SHARE = 0.05;
const REVIEWED_SHARE = 0.05;
const RANDOM_QUEUE_SHARE = 0.6; // of reviews: made in the queue's random order
const DISPUTED_SHARE = 0.05; // of reviewed items

/** Inserts the synthetic corpus with plain prepared statements in one transaction (ids are assigned here). */
function generate(db: Db): void {
  const c = db.$client;
  const cb = getActiveCodebook(db);
  const labels = cb.definition.labels.map((l) => l.id);
  const themes = cb.definition.themes.map((t) => t.id);
  const random = seededRandom(2026);
  // Source sizes follow a Zipf-like law, so some sources are huge and many are small, as in real corpora.
  const weights = Array.from({ length: SOURCES }, (_, k) => 1 / Math.pow(k + 1, 0.8));
  const totalWeight = weights.reduce((a, w) => a + w, 0);
  const docsPerSource = weights.map((w) => Math.max(1, Math.floor((w / totalWeight) * DOCUMENTS)));
  docsPerSource[0]! += DOCUMENTS - docsPerSource.reduce((a, n) => a + n, 0);
  // Each source leans its own way, so the charts have something to show.
  const lean = Array.from({ length: SOURCES }, () => random());

  c.pragma('foreign_keys = OFF');
  c.pragma('synchronous = OFF');
  const insSource = c.prepare('INSERT INTO sources (id, name) VALUES (?, ?)');
  const insDoc = c.prepare(
    `INSERT INTO documents (id, source_id, title, published, published_precision, published_start, text, content_hash, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'en')`,
  );
  const insPassage = c.prepare('INSERT INTO passages (id, document_id, seq, start, "end", text, excluded, auto_excluded) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insItem = c.prepare(
    `INSERT INTO items (id, level, document_id, passage_id, source_id, seq, text_hash, excluded, random_key, suggestion_count, latest_suggestion_id,
       suggested_label, suggested_stance, suggested_confidence, review_status, review_count, decision_review_id, reviewed_label, reviewed_stance, final_origin,
       independent_label, independent_stance, independent_review_id, independent_count)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insSuggestion = c.prepare(
    `INSERT INTO suggestions (id, item_id, codebook_id, label, stance, themes, confidence, evidence, provider, model, prompt_version, prompt_hash,
       codebook_version, codebook_hash, params, cache_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, 'bench', ?, ?, '{}', ?)`,
  );
  const insTheme = c.prepare('INSERT INTO item_themes (item_id, kind, theme) VALUES (?, ?, ?)');
  const insReview = c.prepare(
    `INSERT INTO reviews (id, item_id, reviewer_id, action, codebook_id, label, stance, themes, queue_order, blind) VALUES (?, ?, ?, ?, ?, ?, ?, '[]', ?, 0)`,
  );
  const insUser = c.prepare(`INSERT INTO users (id, name, role) VALUES (?, ?, 'reviewer')`);

  const totalItems = DOCUMENTS * (PASSAGES_PER_DOCUMENT + 1);
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'generating {bar} {value}/{total} items', hideCursor: true }, cliProgress.Presets.shades_classic);
  bar.start(totalItems, 0);
  let itemId = 0;
  let passageId = 0;
  let docId = 0;
  let reviewId = 0;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const labelFor = (s: number) => {
    const r = random();
    return r < lean[s]! * 0.7 ? labels[0]! : r < 0.85 ? labels[1 % labels.length]! : labels[2 % labels.length]!;
  };
  const stanceFor = (label: string) => Math.max(-2, Math.min(2, (label === labels[0] ? 1 : label === labels[1] ? -1 : 0) + Math.round((random() - 0.5) * 2)));

  const addItem = (level: 'passage' | 'document', doc: number, passage: number | null, s: number, seq: number, excluded: boolean) => {
    const id = ++itemId;
    const label = labelFor(s);
    const stance = stanceFor(label);
    const provider = random() < 0.8 ? ['local', 'local-baseline-v1', 'passage-v1'] : ['openai', 'gpt-4o-mini', 'passage-v2'];
    let status = 'unreviewed';
    let decision: number | null = null;
    let reviewedLabel: string | null = null;
    let reviewedStance: number | null = null;
    const reviews: [number, string, string | null, number | null, string | null][] = [];
    if (!excluded && random() < REVIEWED_SHARE) {
      const queue = random() < RANDOM_QUEUE_SHARE ? 'random' : 'confidence';
      // People correct the model on about a quarter of the items, toward the source's true lean.
      const human = random() < 0.75 ? label : labelFor(s);
      const humanStance = human === label ? stance : stanceFor(human);
      if (random() < DISPUTED_SHARE) {
        status = 'disputed';
        reviews.push([1, 'accept', label, stance, queue], [2, 'edit', pick(labels.filter((l) => l !== label)), 0, queue]);
      } else {
        status = 'reviewed';
        reviewedLabel = human;
        reviewedStance = humanStance;
        reviews.push([1, human === label ? 'accept' : 'edit', human, humanStance, queue]);
        decision = reviewId + 1;
      }
    }
    insItem.run(
      id,
      level,
      doc,
      passage,
      s,
      seq,
      `h${id}`,
      excluded ? 1 : 0,
      random(),
      id,
      label,
      stance,
      random(),
      status,
      reviews.length,
      decision,
      reviewedLabel,
      reviewedStance,
      status === 'unreviewed' ? 'model' : status === 'reviewed' ? 'reviewer' : null,
      // Every bench review is one person's manual decision: the independent state is the reviewed one.
      reviewedLabel,
      reviewedStance,
      decision,
      reviews.length,
    );
    const itemThemes = themes.filter(() => random() < 0.1);
    insSuggestion.run(id, id, cb.id, label, stance, JSON.stringify(itemThemes), random(), provider[0], provider[1], provider[2], cb.version, cb.hash, `bench-${id}`);
    for (const t of itemThemes) insTheme.run(id, 'suggested', t);
    if (status === 'reviewed') for (const t of itemThemes) for (const kind of ['reviewed', 'independent']) insTheme.run(id, kind, t);
    for (const [reviewer, action, l, st, queue] of reviews) insReview.run(++reviewId, id, reviewer, action, cb.id, l, st, queue);
  };

  c.transaction(() => {
    insUser.run(1, 'bench-ann');
    insUser.run(2, 'bench-bob');
    for (let s = 0; s < SOURCES; s++) {
      insSource.run(s + 1, `Source ${String(s + 1).padStart(3, '0')}`);
      for (let d = 0; d < docsPerSource[s]!; d++) {
        const id = ++docId;
        const year = 2015 + Math.floor(random() * 10);
        const r = random();
        const [published, precision, start] =
          r < 0.8
            ? [`${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-15`, 'day', '']
            : r < 0.95
              ? [`${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}`, 'month', '']
              : [`${year}`, 'year', ''];
        const publishedStart = start || (precision === 'day' ? published : precision === 'month' ? `${published}-01` : `${published}-01-01`);
        insDoc.run(id, s + 1, `Document ${id}`, published, precision, publishedStart, `text of document ${id}`, `hash-${id}`);
        addItem('document', id, null, s + 1, -1, false);
        for (let p = 0; p < PASSAGES_PER_DOCUMENT; p++) {
          const pid = ++passageId;
          const excluded = random() < EXCLUDED_SHARE;
          insPassage.run(pid, id, p, p * 20, p * 20 + 18, `passage ${pid} text`, excluded ? 1 : 0, excluded ? 1 : 0);
          addItem('passage', id, pid, s + 1, p, excluded);
        }
        if (id % 1000 === 0) bar.update(itemId);
      }
    }
  })();
  bar.update(itemId);
  bar.stop();
  c.pragma('foreign_keys = ON');
  c.pragma('synchronous = NORMAL');
  c.exec('ANALYZE');
}

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}
async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}
const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
};

type Engine = 'sqlite' | 'postgres';

/**
 * The bare SQL as PostgreSQL takes it: booleans compared with FALSE, counts of a condition as
 * CASE sums, the date cast to text before substr, every selected column grouped, and no
 * 2021-06-31 (SQLite compares the text; PostgreSQL refuses the date). The same numbers as on
 * SQLite; the SQLite side keeps its own spelling, so its timings stay comparable with earlier runs.
 */
function forEngine(engine: Engine, q: string): string {
  if (engine === 'sqlite') return q;
  return q
    .replace(/\bexcluded = 0\b/g, 'excluded = FALSE')
    .replace(/sum\((i\.review_status <> 'unreviewed'|r\.queue_order = 'random')\)/g, (_, cond: string) => countWhereText(cond))
    .replace(/substr\(d\.published_start, /g, 'substr(CAST(d.published_start AS TEXT), ')
    .replace(/GROUP BY document_id$/, 'GROUP BY document_id, source_id')
    .replace(/'2021-06-31'/g, "'2021-06-30'");
}

/** Outlet groups and a story for the filters, on the SQLite database (before any copy, so both engines hold them). */
function addGroupsAndStory(db: Db): void {
  const c = db.$client;
  // Outlet groups for the grouped views, the group filter and the comparison (every third source in each).
  c.exec(`INSERT OR IGNORE INTO source_groups (source_id, grouping, value)
    SELECT id, 'alignment', CASE id % 3 WHEN 0 THEN 'state-aligned' WHEN 1 THEN 'independent' ELSE 'foreign' END FROM sources`);
  // One story of twelve outlets' articles (each source's first document) for the story filter.
  c.exec(`INSERT OR IGNORE INTO stories (id, title, origin, created_by) VALUES (1, 'Bench story', 'person', 'bench')`);
  c.exec(`INSERT OR IGNORE INTO story_documents (document_id, story_id, added_by, added_by_name, method)
    SELECT min(id), 1, 'person', 'bench', 'person' FROM documents GROUP BY source_id ORDER BY source_id LIMIT 12`);
  c.exec(`UPDATE stories SET document_count = (SELECT count(*) FROM story_documents WHERE story_id = 1),
    source_count = (SELECT count(DISTINCT d.source_id) FROM story_documents sd JOIN documents d ON d.id = sd.document_id WHERE sd.story_id = 1) WHERE id = 1`);
}

async function main() {
  const pgServer = parsePostgresOption(opts.postgres);
  const dir = opts.db ? null : mkdtempSync(join(tmpdir(), 'framescope-bench-dashboard-'));
  const dbPath = opts.db ?? join(dir!, 'bench.db');
  if (opts.reuse && !existsSync(dbPath)) throw new Error(`--reuse: no database at ${dbPath}`);
  const db = openAppDb(dbPath);
  let target: BenchPgDatabase | null = null;
  try {
    if (!opts.reuse) {
      const genMs = time(() => generate(db));
      console.error(`generated in ${(genMs / 1000).toFixed(1)} s`);
      // Generation writes items directly, around the state functions that keep the rollups.
      const rollupMs = time(() => rebuildRollups(db));
      console.error(`rollups rebuilt in ${(rollupMs / 1000).toFixed(1)} s`);
      db.$client.exec('ANALYZE');
    }
    addGroupsAndStory(db);
    const counts = db.$client
      .prepare(`SELECT (SELECT count(*) FROM sources) AS sources, (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM passages) AS passages,
                       (SELECT count(*) FROM suggestions) AS suggestions, (SELECT count(*) FROM reviews) AS reviews`)
      .get() as Record<string, number>;
    // The copy comes before any timing: the write timing adds reviews, which the copy must not carry.
    let pgDb: Db | null = null;
    if (pgServer) {
      target = await createBenchPgDatabase(pgServer, 'dashboard');
      const copied = await copyToPg(dbPath, target.url);
      console.error(`copied ${copied.rows} rows to ${target.display} in ${copied.seconds.toFixed(1)} s`);
      pgDb = openAppDb(target.url);
    }
    const results: EngineResult[] = [await timeEngine('sqlite', db, dbPath)];
    if (pgDb) {
      try {
        results.push(await timeEngine('postgres', pgDb, dbPath));
      } finally {
        pgDb.$client.close();
      }
    }
    console.log(
      `\nDashboard endpoints at ${counts.sources} sources, ${counts.documents} documents, ${counts.passages} passages, ${counts.suggestions} suggestions, ${counts.reviews} reviews (${runs} calls each; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores)\n`,
    );
    const rows = results.flatMap((r) => r.rows.map((row) => [r.engine, ...row]));
    const header = ['engine', 'view', 'filter', 'p50 ms', 'p95 ms', 'bare SQL p50 ms', 'ratio', 'p95<150 & <=2x'];
    const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
    const line = (r: string[]) => r.map((v, k) => (k < 3 ? v.padEnd(widths[k]!) : v.padStart(widths[k]!))).join('  ');
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
    for (const r of results) {
      const met = r.rows.filter((row) => row[6] === 'yes').length;
      console.log(`${r.engine}: ${met} of ${r.rows.length} meet p95 < 150 ms and <= 2x; load average after: ${r.loadAfter}`);
    }
    console.log('');
    for (const r of results) console.log(r.writes);
    if (pgServer) console.log('(PostgreSQL: the bench database is a copy of the SQLite one by db/pg/copy.ts; the bare SQL runs on PostgreSQL through the same synchronous driver as the app)');
  } finally {
    db.$client.close();
    if (target && !opts.keep) await target.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

interface EngineResult {
  engine: Engine;
  /** view, filter, p50, p95, bare p50, ratio, target met. */
  rows: string[][];
  writes: string;
  loadAfter: string;
}

/** Times every endpoint on one engine's database, with the bare SQL on the same engine, then the review write. */
async function timeEngine(engine: Engine, db: Db, dbPath: string): Promise<EngineResult> {
  const c = db.$client;
  // loadConfig takes no PostgreSQL URL yet: the config names the SQLite file (nothing here reads it but the files folder).
  const app = createApp(serverDeps({ db, config: loadConfig({}, { dbPath }) }));
  const bigSource = (c.prepare(`SELECT source_id AS id FROM items GROUP BY source_id ORDER BY count(*) DESC, source_id LIMIT 1`).get() as { id: number }).id;

  const FINAL = `CASE WHEN review_status IN ('reviewed','adjudicated') THEN reviewed_label WHEN review_status = 'unreviewed' THEN suggested_label END`;
  const FINAL_STANCE = `CASE WHEN review_status IN ('reviewed','adjudicated') THEN reviewed_stance WHEN review_status = 'unreviewed' THEN suggested_stance END`;
  const SCOPE = `level = 'passage' AND excluded = 0`;
  const bare: Record<string, string[]> = {
    meta: [
      `SELECT source_id, count(*) FROM items WHERE ${SCOPE} GROUP BY source_id`,
      `SELECT DISTINCT provider, model, prompt_version FROM suggestions`,
      `SELECT count(*), count(i.suggested_label), sum(i.review_status <> 'unreviewed'), sum(r.queue_order = 'random') FROM items i LEFT JOIN reviews r ON r.id = i.decision_review_id WHERE i.level = 'passage' AND i.excluded = 0`,
      `SELECT min(published_start), max(published_start) FROM documents`,
    ],
    framing: [`SELECT source_id, ${FINAL} AS label, count(*), avg(${FINAL_STANCE}) FROM items WHERE ${SCOPE} GROUP BY 1, 2`],
    'framing (model)': [`SELECT source_id, suggested_label, count(*), avg(suggested_stance) FROM items WHERE ${SCOPE} GROUP BY 1, 2`],
    stance: [`SELECT source_id, document_id, sum(${FINAL_STANCE}), count(${FINAL_STANCE}) FROM items WHERE ${SCOPE} GROUP BY document_id`],
    themes: [
      `SELECT source_id, count(${FINAL}) FROM items WHERE ${SCOPE} GROUP BY source_id`,
      `SELECT ${FINAL}, count(*) FROM items WHERE ${SCOPE} GROUP BY 1`,
      `SELECT i.source_id, t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id
       AND t.kind = CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN 'reviewed' ELSE 'suggested' END WHERE i.${SCOPE.replace(' AND ', ' AND i.')} GROUP BY 1, 2`,
    ],
    'timeline (year)': [
      `SELECT i.source_id, substr(d.published_start, 1, 4), ${FINAL.replace(/review_status|reviewed_label|suggested_label/g, 'i.$&')}, count(*)
       FROM items i JOIN documents d ON d.id = i.document_id WHERE i.level = 'passage' AND i.excluded = 0 GROUP BY 1, 2, 3`,
    ],
    similarity: [],
    agreement: [
      `SELECT suggested_label, reviewed_label, count(*) FROM items WHERE ${SCOPE} AND review_status IN ('reviewed','adjudicated') GROUP BY 1, 2`,
      `SELECT source_id, review_status, count(*) FROM items WHERE ${SCOPE} GROUP BY 1, 2`,
    ],
    corrected: [
      `SELECT i.source_id, i.suggested_label, i.reviewed_label, r.queue_order, count(*), sum(i.suggested_stance), sum(i.reviewed_stance)
       FROM items i LEFT JOIN reviews r ON r.id = i.decision_review_id WHERE i.level = 'passage' AND i.excluded = 0 GROUP BY 1, 2, 3, 4`,
    ],
    passages: [
      `SELECT count(*) FROM items WHERE ${SCOPE} AND source_id = ${bigSource} AND ${FINAL} = 'critical'`,
      `SELECT i.id, i.document_id, i.seq, p.text FROM items i JOIN passages p ON p.id = i.passage_id
       WHERE i.level = 'passage' AND i.excluded = 0 AND i.source_id = ${bigSource} AND ${FINAL.replace(/review_status|reviewed_label|suggested_label/g, 'i.$&')} = 'critical' ORDER BY i.document_id, i.seq LIMIT 50`,
    ],
  };
  bare.similarity = [...bare.framing!, ...bare.themes!];
  bare['timeline (month)'] = [bare['timeline (year)']![0]!.replace('substr(d.published_start, 1, 4)', 'substr(d.published_start, 1, 7)')];
  // The timeline answers for the N sources with the most counted items (20 by default, 8 as the
  // page asks); the bare queries read the same sources.
  const largest = (n: number) =>
    (c.prepare(forEngine(engine, `SELECT source_id FROM items WHERE ${SCOPE} AND ${FINAL} IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, source_id LIMIT ${n}`)).all() as { source_id: number }[])
      .map((r) => r.source_id)
      .join(',');
  const onSources = (q: string, ids: string) => q.replace('WHERE i.level', `WHERE i.source_id IN (${ids}) AND i.level`);
  bare['timeline (month, all sources)'] = bare['timeline (month)']!;
  bare['timeline (month)'] = [onSources(bare['timeline (month, all sources)']![0]!, largest(20))];
  bare['timeline (year)'] = [onSources(bare['timeline (year)']![0]!, largest(20))];
  bare['timeline (month, 8 sources)'] = [onSources(bare['timeline (month, all sources)']![0]!, largest(8))];
  bare['passages (all sources)'] = [
    `SELECT count(*) FROM items WHERE ${SCOPE} AND ${FINAL} = 'critical'`,
    `SELECT i.id, i.document_id, i.seq, p.text FROM items i JOIN passages p ON p.id = i.passage_id JOIN sources src ON src.id = i.source_id
     WHERE i.level = 'passage' AND i.excluded = 0 AND ${FINAL.replace(/review_status|reviewed_label|suggested_label/g, 'i.$&')} = 'critical' ORDER BY src.name, i.document_id, i.seq LIMIT 50`,
  ];
  bare.compare = [
    `SELECT i.document_id, ${FINAL.replace(/review_status|reviewed_label|suggested_label/g, 'i.$&')}, count(*), count(${FINAL_STANCE.replace(/review_status|reviewed_stance|suggested_stance/g, 'i.$&')})
     FROM items i WHERE i.level = 'passage' AND i.excluded = 0 AND i.source_id IN (SELECT source_id FROM source_groups WHERE grouping = 'alignment' AND value IN ('state-aligned', 'independent')) GROUP BY 1, 2`,
  ];
  const groupIds = (value: string) => (c.prepare(`SELECT source_id FROM source_groups WHERE grouping = 'alignment' AND value = ?`).pluck().all(value) as number[]).join(',');
  /** Each filter as the API takes it and as a condition on items for the bare SQL (`p` is the items alias and a dot, or nothing). */
  const filters: [name: string, query: string, condition: ((p: string) => string) | null][] = [
    ['', '', null],
    ['from=2020', 'from=2020', (p) => `${p}document_id IN (SELECT id FROM documents WHERE published_start >= '2020-01-01')`],
    ['2018-03..2021-06', 'from=2018-03&to=2021-06', (p) => `${p}document_id IN (SELECT id FROM documents WHERE published_start BETWEEN '2018-03-01' AND '2021-06-31')`],
    ['from=2020-03-15', 'from=2020-03-15', (p) => `${p}document_id IN (SELECT id FROM documents WHERE published_start >= '2020-03-15')`],
    ['status=reviewed', 'status=reviewed', (p) => `${p}review_status = 'reviewed'`],
    ['provider=openai', 'provider=openai', (p) => `${p}latest_suggestion_id IN (SELECT id FROM suggestions WHERE provider = 'openai')`],
    ['group=state-aligned', 'group=alignment:state-aligned', (p) => `${p}source_id IN (${groupIds('state-aligned')})`],
    ['story=1', 'story=1', (p) => `${p}document_id IN (SELECT document_id FROM story_documents WHERE story_id = 1)`],
    ['groupBy=alignment', 'groupBy=alignment', null],
    ['groupBy+from=2020', 'groupBy=alignment&from=2020', (p) => `${p}document_id IN (SELECT id FROM documents WHERE published_start >= '2020-01-01')`],
  ];
  const narrowed = (q: string, condition: ((p: string) => string) | null) => {
    if (condition === null) return q;
    const k = q.indexOf('WHERE ');
    return `${q.slice(0, k)}WHERE ${condition(/FROM items i\b/.test(q) ? 'i.' : '')} AND ${q.slice(k + 6)}`;
  };
  const views: [string, string, string][] = [
    ['framing', '/api/dashboard/framing', 'framing'],
    ['stance', '/api/dashboard/stance', 'stance'],
    ['themes', '/api/dashboard/themes', 'themes'],
    ['timeline (year)', '/api/dashboard/timeline?granularity=year&limit=all', 'timeline (year, all)'],
    ['timeline (month, 8 sources)', '/api/dashboard/timeline?granularity=month&limit=8', 'timeline (month, all sources)'],
    ['similarity', '/api/dashboard/similarity', 'similarity'],
    ['agreement', '/api/dashboard/agreement', 'agreement'],
    ['corrected', '/api/dashboard/corrected', 'corrected'],
    ['passages (one source)', `/api/dashboard/passages?sourceId=${bigSource}&label=critical`, 'passages'],
    ['passages (all sources)', '/api/dashboard/passages?label=critical', 'passages (all sources)'],
  ];
  bare['timeline (year, all)'] = [bare['timeline (year)']![0]!.replace(/WHERE i\.source_id IN \([^)]*\) AND /, 'WHERE ')];
  const endpoints: [view: string, filter: string, path: string, bare: string[]][] = [
    ['meta', '', '/api/dashboard/meta', bare.meta!],
    ['framing (model)', '', '/api/dashboard/framing?basis=model', bare['framing (model)']!],
    ['timeline (month, 20 largest)', '', '/api/dashboard/timeline?granularity=month', bare['timeline (month)']!],
    // The chart's shape (a periods axis and arrays per source), and the same numbers as rows per source and period.
    ['timeline (month, all sources)', '', '/api/dashboard/timeline/series?granularity=month&limit=all', bare['timeline (month, all sources)']!],
    ['timeline rows (month, all sources)', '', '/api/dashboard/timeline?granularity=month&limit=all', bare['timeline (month, all sources)']!],
    ...views.flatMap(([view, path, base]) =>
      filters
        .filter(([name]) => !view.startsWith('passages') || !name.startsWith('groupBy'))
        .map(([name, query, condition]): [string, string, string, string[]] => [view, name, query === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${query}`, bare[base]!.map((q) => narrowed(q, condition))]),
    ),
    ['passages, nothing matches', 'status=adjudicated', `/api/dashboard/passages?sourceId=${bigSource}&label=critical&status=adjudicated`, [narrowed(bare.passages![0]!, (p) => `${p}review_status = 'adjudicated'`), narrowed(bare.passages![1]!, (p) => `${p}review_status = 'adjudicated'`)]],
    ['passages, nothing matches', 'from=2030', '/api/dashboard/passages?label=critical&from=2030', bare['passages (all sources)']!.map((q) => narrowed(q, (p) => `${p}document_id IN (SELECT id FROM documents WHERE published_start >= '2030-01-01')`))],
    ['compare', 'groupBy=alignment', '/api/dashboard/compare?groupBy=alignment&a=state-aligned&b=independent', bare.compare!],
    ['compare', 'from=2020', '/api/dashboard/compare?groupBy=alignment&a=state-aligned&b=independent&from=2020', bare.compare!.map((q) => narrowed(q, (p) => `${p}document_id IN (SELECT id FROM documents WHERE published_start >= '2020-01-01')`))],
    ['compare', 'from=2020-03-15', '/api/dashboard/compare?groupBy=alignment&a=state-aligned&b=independent&from=2020-03-15', bare.compare!.map((q) => narrowed(q, (p) => `${p}document_id IN (SELECT id FROM documents WHERE published_start >= '2020-03-15')`))],
    ...filters
      .filter(([name]) => ['2018-03..2021-06', 'status=reviewed', 'provider=openai'].includes(name))
      .map(([name, query, condition]): [string, string, string, string[]] => ['compare', name, `/api/dashboard/compare?groupBy=alignment&a=state-aligned&b=independent&${query}`, bare.compare!.map((q) => narrowed(q, condition))]),
    ['compare', 'story=1', '/api/dashboard/compare?groupBy=alignment&a=state-aligned&b=independent&story=1', bare.compare!.map((q) => narrowed(q, (p) => `${p}document_id IN (SELECT document_id FROM story_documents WHERE story_id = 1)`))],
  ];
  const only = opts.only ? new RegExp(opts.only) : null;
  const rows: string[][] = [];
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: `timing on ${engine} {bar} {value}/{total} endpoints`, hideCursor: true }, cliProgress.Presets.shades_classic);
  const chosen = endpoints.filter(([view, filter]) => only === null || only.test(`${view} ${filter}`));
  bar.start(chosen.length, 0);
  if (!process.stderr.isTTY) console.error(`timing ${chosen.length} endpoints on ${engine}`);
  for (const [view, filter, path, queries] of chosen) {
    const statements = queries.map((q) => c.prepare(forEngine(engine, q)));
    const runBare = () => statements.forEach((s) => s.all());
    runBare(); // warm the page cache for both sides alike
    const res = await app.request(path);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    const api: number[] = [];
    const sql: number[] = [];
    // The bare scans take seconds each at full size: three of them give their median.
    for (let k = 0; k < runs; k++) {
      api.push(await timeAsync(async () => (await app.request(path)).json()));
      if (k < 3) sql.push(time(runBare));
    }
    const [med, p95, bareMed] = [quantile(api, 0.5), quantile(api, 0.95), quantile(sql, 0.5)];
    rows.push([view, filter || '(none)', med.toFixed(1), p95.toFixed(1), bareMed.toFixed(1), (med / bareMed).toFixed(2), p95 < 150 && med / bareMed <= 2 ? 'yes' : 'no']);
    bar.increment();
  }
  bar.stop();

  // What the rollups cost a write: one accept review per unreviewed passage, each in its own transaction.
  const targets = c
    .prepare(forEngine(engine, `SELECT id, suggested_label AS label, suggested_stance AS stance FROM items WHERE level = 'passage' AND excluded = 0 AND review_status = 'unreviewed' ORDER BY random_key LIMIT 200`))
    .all() as { id: number; label: string; stance: number }[];
  const writes = targets.map((t) => time(() => addReview(db, t.id, { reviewer: 'bench-writer', action: 'accept', label: t.label, stance: t.stance })));
  return {
    engine,
    rows,
    writes: `${engine}: review write incl. rollup delta: median ${quantile(writes, 0.5).toFixed(2)} ms, p95 ${quantile(writes, 0.95).toFixed(2)} ms (${writes.length} accepts)`,
    loadAfter: loadavg().map((l) => l.toFixed(1)).join(' '),
  };
}

await main();
