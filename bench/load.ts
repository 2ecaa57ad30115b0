/**
 * Load bench (the red-team pass as a command): a second process on 127.0.0.1 drives the HTTP
 * API of a real server over a database of 100,000 documents. First 20 reviewers decide on an
 * otherwise idle server; then the same 20 reviewers decide while a tagging run writes
 * suggestions (asking the scripted OpenAI-compatible server, 50 ms a request, 8 at a time), two
 * exports stream the whole corpus and a backup is taken from a third process. Prints per-route
 * p50/p95/p99 and status counts for both, beside each other, then checks the database: every
 * acknowledged review stored once (retries replayed with their idempotency key included).
 *
 *   npm run bench:load                                  # 100,000 documents, 60 s per phase
 *   npm run bench:load -- --docs 10000 --seconds 20     # a quick look
 *   npm run bench:load -- --max-requests 5000           # bound the requests per phase
 *   npm run bench:load -- --provider local              # tag with the in-process local baseline instead
 *   npm run bench:load -- --skip tagging,exports,backup # leave parts of the load out, to see what costs what
 *   npm run bench:load -- --postgres postgres://USER@HOST:PORT/fs_bench
 *                                                       # the server on PostgreSQL: the seed is copied into a database of
 *                                                       # its own there (bench/pgTarget.ts); no backup phase (SQLite's)
 *
 * Targets: zero 5xx, zero lost or duplicated reviews, review (POST decision) p95 under 200 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { seededRandom } from '../api/metrics/rng.ts';
import { openDb } from '../db/client.ts';
import { startTestServer } from '../api/providers/testing/server.ts';
import { exporter, quantile, reviewer, RouteStats, timed, type Acks } from './load/driver.ts';
import { seedLoadDb } from './load/seed.ts';
import { copyToPg, createBenchPgDatabase, parsePostgresOption, type BenchPgDatabase } from './pgTarget.ts';

const REVIEWERS = 20;
const TAGGED_SOURCES = 10; // the tagging run writes suggestions for these sources' items; reviewers work elsewhere
const THINK_MS = 250;

function argValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

/** Starts `npm start` (api/start.ts) as its own process and resolves with its URL. */
function startServerProcess(dbPath: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/start.ts', '--db', dbPath, '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /Framescope is serving (http:\/\/\S+)/.exec(line);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before serving`)));
  });
}

/** Passage items outside the tagged sources, shuffled, dealt to the reviewers of two phases. */
function itemsForReviewers(dbPath: string): number[][][] {
  const sqlite = new Database(dbPath, { readonly: true });
  const ids = (sqlite.prepare(`SELECT id FROM items WHERE level = 'passage' AND source_id > ? ORDER BY random_key`).all(TAGGED_SOURCES) as { id: number }[]).map((r) => r.id);
  sqlite.close();
  const random = seededRandom(7);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  const half = Math.floor(ids.length / 2);
  const deal = (xs: number[]) => Array.from({ length: REVIEWERS }, (_, r) => xs.filter((_, k) => k % REVIEWERS === r));
  return [deal(ids.slice(0, half)), deal(ids.slice(half))];
}

async function phase(base: string, items: number[][], seconds: number, maxRequests: number, prefix: string, extra: (until: number, stats: RouteStats) => Promise<unknown>[] = () => []) {
  const stats = new RouteStats();
  const acks: Acks = new Map();
  const until = Date.now() + seconds * 1000;
  const requestsLeft = { n: maxRequests };
  const reviewers = items.map((itemIds, r) => reviewer({ base, name: `${prefix} reviewer ${r + 1}`, itemIds, stats, acks, until, thinkMs: THINK_MS, replayEvery: 10, requestsLeft }));
  const others = extra(until, stats);
  const results = await Promise.all([Promise.all(reviewers), ...others]);
  return { stats, acks, results: results.slice(1) };
}

/** Reviews the database (a SQLite file or a PostgreSQL URL) holds for acknowledged decisions: lost ones, and items decided twice by one reviewer. */
function audit(target: string, acks: Acks[]): { acknowledged: number; lost: number; duplicated: number } {
  const sqlite = target === pgUrl ? openDb(target, { migrate: false }).$client : new Database(target, { readonly: true });
  const find = sqlite.prepare('SELECT item_id AS "itemId" FROM reviews WHERE id = ?');
  let lost = 0;
  let acknowledged = 0;
  for (const a of acks) {
    for (const [itemId, reviewId] of a) {
      acknowledged++;
      const row = find.get(reviewId) as { itemId: number } | undefined;
      if (!row || row.itemId !== itemId) lost++;
    }
  }
  const duplicated = (
    sqlite
      .prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM reviews r JOIN users u ON u.id = r.reviewer_id WHERE u.name LIKE '% reviewer %' GROUP BY r.item_id, r.reviewer_id HAVING count(*) > 1) AS twice`)
      .get() as { n: number }
  ).n;
  sqlite.close();
  return { acknowledged, lost, duplicated };
}

/** The PostgreSQL database of this run, when `--postgres` gave a server (the audit reads it instead of the file). */
let pgUrl: string | null = null;

const ms = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(1));

function report(idle: RouteStats, loaded: RouteStats): void {
  const routes = [...new Set([...idle.times.keys(), ...loaded.times.keys()])].sort();
  const summary = (s: RouteStats, r: string) => {
    const xs = [...(s.times.get(r) ?? [])].sort((a, b) => a - b);
    return { n: xs.length, p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), p99: quantile(xs, 0.99) };
  };
  console.table(
    routes.map((r) => {
      const a = summary(idle, r);
      const b = summary(loaded, r);
      return {
        route: r,
        'idle n': a.n,
        'idle p50/p95/p99 ms': `${ms(a.p50)} / ${ms(a.p95)} / ${ms(a.p99)}`,
        'loaded n': b.n,
        'loaded p50/p95/p99 ms': `${ms(b.p50)} / ${ms(b.p95)} / ${ms(b.p99)}`,
        'p95 loaded/idle': a.n > 0 && b.n > 0 ? (b.p95 / a.p95).toFixed(2) : '–',
      };
    }),
  );
  const counts = (s: RouteStats) => Object.fromEntries(routes.map((r) => [r, [...(s.statuses.get(r) ?? new Map())].map(([k, v]) => `${k}×${v}`).join(' ')]));
  console.log('status counts, idle:', counts(idle));
  console.log('status counts, loaded:', counts(loaded));
}

async function main(): Promise<void> {
  const docs = Number(argValue('--docs', '100000'));
  const seconds = Number(argValue('--seconds', '60'));
  const maxRequests = Number(argValue('--max-requests', '20000'));
  const provider = argValue('--provider', 'openai');
  const skip = new Set(argValue('--skip', '').split(',').filter((x) => x !== ''));
  const pgServer = parsePostgresOption(process.argv.includes('--postgres') ? argValue('--postgres', '') : undefined);
  // `backup` is SQLite's online backup: on PostgreSQL that is pg_dump's or the server's job, so the phase leaves it out.
  if (pgServer) skip.add('backup');
  if (provider !== 'openai' && provider !== 'local') throw new Error('--provider must be openai (the scripted server) or local');
  if (!(docs >= 1000 && seconds > 0 && maxRequests > 0)) throw new Error('--docs must be at least 1000, --seconds and --max-requests positive');
  const dir = mkdtempSync(join(tmpdir(), 'framescope-bench-load-'));
  const dbPath = join(dir, 'load.db');
  let server: ChildProcess | null = null;
  // The tagging run asks the scripted OpenAI-compatible server (50 ms a request): it writes like a real model run.
  const model = await startTestServer({ latencyMs: 50 });
  let target: BenchPgDatabase | null = null;
  try {
    seedLoadDb(dbPath, docs);
    // The seed writes SQLite directly; on PostgreSQL the server runs on a copy (same ids, so the reviewers' items are read from the seed).
    const [idleItems, loadedItems] = itemsForReviewers(dbPath);
    if (pgServer) {
      target = await createBenchPgDatabase(pgServer, 'load');
      const copied = await copyToPg(dbPath, target.url);
      console.error(`copied ${copied.rows} rows to ${target.display} in ${copied.seconds.toFixed(1)} s`);
      pgUrl = target.url;
    }
    const started = await startServerProcess(pgUrl ?? dbPath, { OPENAI_BASE_URL: model.url, FRAMESCOPE_MODEL: 'test-model' });
    server = started.child;
    const base = started.url;
    console.log(`engine ${pgUrl ? 'postgres' : 'sqlite'}: server ${base} (pid ${server.pid}), ${docs.toLocaleString('en')} documents; ${REVIEWERS} reviewers, ${THINK_MS} ms between decisions, ${seconds} s per phase`);

    const idle = await phase(base, idleItems!, seconds, maxRequests, 'Idle');
    let runId = 0;
    let backup: { ms: number; bytes: number } | null = null;
    const loaded = await phase(base, loadedItems!, seconds, maxRequests, 'Loaded', (until, stats) => {
      if (skip.has('tagging')) runId = -1;
      const run = skip.has('tagging') ? Promise.resolve() : timed(stats, 'POST /api/tagging/runs', `${base}/api/tagging/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ provider, concurrency: 8, levels: ['passage', 'document'], selection: { sourceIds: Array.from({ length: TAGGED_SOURCES }, (_, i) => i + 1) } }),
      }).then((r) => (runId = (r.body as { id: number }).id));
      const exports = skip.has('exports') ? [] : [0, 1].map(() => exporter(base, stats, until, 'format=csv&level=document&status=all'));
      // A backup from a third process while the server writes, a third into the window (the driver keeps going meanwhile).
      const taken = new Promise<void>((resolve, reject) =>
        setTimeout(() => {
          if (skip.has('backup')) return resolve();
          const child = spawn(process.execPath, ['--import', 'tsx', 'api/cli.ts', 'backup', '--db', dbPath, join(dir, 'backup.db'), '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.once('exit', (code) => {
            if (code !== 0) return reject(new Error(`backup under load failed: ${stderr}`));
            backup = JSON.parse(stdout) as { ms: number; bytes: number };
            resolve();
          });
        }, (seconds * 1000) / 3),
      );
      return [run, ...exports, taken];
    });
    const progress = runId > 0 ? await timed(loaded.stats, 'GET /api/tagging/runs/:id', `${base}/api/tagging/runs/${runId}`) : null;
    if (runId > 0) await timed(loaded.stats, 'POST /api/tagging/runs/:id/cancel', `${base}/api/tagging/runs/${runId}/cancel`, { method: 'POST' });

    report(idle.stats, loaded.stats);
    const check = audit(pgUrl ?? dbPath, [idle.acks, loaded.acks]);
    const exportsDone = loaded.results.filter((r): r is { files: number; bytes: number; incomplete: number } => typeof r === 'object' && r !== null && 'files' in r);
    const run = progress ? (progress.body as { run: { itemsDone: number; itemsTotal: number } }).run : null;
    const decisions = [...(loaded.stats.times.get('POST /api/items/:id/reviews') ?? [])].sort((a, b) => a - b);
    const fiveXx = idle.stats.serverErrors() + loaded.stats.serverErrors();
    if (run) console.log(`tagging run ${runId}: ${run.itemsDone.toLocaleString('en')} of ${run.itemsTotal.toLocaleString('en')} items suggested during the loaded phase`);
    console.log(`exports: ${exportsDone.reduce((n, e) => n + e.files, 0)} whole files, ${(exportsDone.reduce((n, e) => n + e.bytes, 0) / 1e6).toFixed(0)} MB streamed, ${exportsDone.reduce((n, e) => n + e.incomplete, 0)} without their end marker`);
    if (backup) console.log(`backup under load: ${((backup as { ms: number }).ms / 1000).toFixed(1)} s for ${((backup as { bytes: number }).bytes / 1e6).toFixed(0)} MB, verified`);
    console.log(`reviews: ${check.acknowledged} acknowledged, ${check.lost} lost, ${check.duplicated} duplicated (every 10th decision was sent twice with its idempotency key)`);
    console.log(`5xx answers: ${fiveXx}; review p95 under load ${ms(quantile(decisions, 0.95))} ms (target < 200 ms)`);
    const failed = fiveXx > 0 || check.lost > 0 || check.duplicated > 0 || quantile(decisions, 0.95) >= 200;
    console.log(failed ? 'targets: MISSED' : 'targets: met');
  } finally {
    server?.kill('SIGTERM');
    if (server && server.exitCode === null) await new Promise((resolve) => server!.once('exit', resolve));
    await model.close();
    if (target && !process.argv.includes('--keep')) await target.drop();
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
