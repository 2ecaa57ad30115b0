/**
 * bench:tagging — tagging runs through the real engine (a run's job: materialised run items,
 * gate, retries, batched writes) against the scripted OpenAI-compatible test server with a
 * fixed 200 ms latency, at concurrency 1, 8, 32 and 64, next to the ideal throughput
 * (concurrency / latency); the local baseline classifying alone (suggestForText, no database);
 * and a stored local run over 1,000,000 passages end to end (POST-equivalent createRun, item
 * selection, classification, every suggestion stored with item state and rollups, in the job's
 * worker thread), next to the bare classifier rate and against the 5,000 passages/s target.
 * Also times the estimate and the run's creation over the million passages (target < 1 s).
 *
 *   npm run bench:tagging                  # 10,000 passages per concurrency (c=1 on 200: 40 s), 1,000,000 stored
 *   npm run bench:tagging -- --scale 0.1   # a quick run: a tenth of every count
 *   npm run bench:tagging -- --local-only  # only the local rows: the bare classifier and the stored run
 *
 * Concurrency 1 at 200 ms needs 2,000 s for 10,000 passages, so it is measured on 200 × scale
 * passages and the table says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Db } from '../db/client.ts';
import { openAppDb } from '../api/db.ts';
import { getActiveCodebook } from '../api/codebooks/service.ts';
import { loadConfig } from '../api/config.ts';
import { bulkPassageText, seedBulkCorpus, seedCorpus } from '../api/fixtures.ts';
import { jobRunnerFor, serverDeps } from '../api/jobs/setup.ts';
import { defaultProviders } from '../api/providers/factory.ts';
import { trainLocalBaseline } from '../api/providers/local.ts';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createRun, estimateRun, getRun } from '../api/tagging/runs.ts';
import { suggestForText } from '../api/tagging/suggest.ts';
import { seededRandom } from '../api/metrics/rng.ts';

const argScale = process.argv.indexOf('--scale');
const SCALE = argScale > -1 ? Number(process.argv[argScale + 1]) : 1;
if (!(SCALE > 0 && SCALE <= 1)) throw new Error('--scale must be a number in (0, 1]');
const LOCAL_ONLY = process.argv.includes('--local-only');
const LATENCY_MS = 200;
const SERVER_PASSAGES = Math.round(10_000 * SCALE);
const C1_PASSAGES = Math.max(10, Math.round(200 * SCALE));
const LOCAL_PASSAGES = Math.round(100_000 * SCALE);
const STORED_PASSAGES = Math.round(1_000_000 * SCALE);
const PASSAGES_PER_DOCUMENT = 20;

const WORDS = (
  'government minister council treaty union market border energy pipeline trade customs policy election region capital economy sanctions ' +
  'security alliance summit agreement partner neighbour history memory sovereignty integration institution parliament president official ' +
  'analyst report study survey growth investment industry brotherly imperial pressure regime elites war army gas oil west multipolar'
).split(' ');

/** n distinct passages of about 40 words (two or three sentences). */
function passages(n: number, seed: number): string[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const sentences = Array.from({ length: 2 + Math.floor(r() * 2) }, () => {
      const words = Array.from({ length: 12 + Math.floor(r() * 10) }, () => WORDS[Math.floor(r() * WORDS.length)]!);
      return `${words.join(' ')}.`;
    });
    return `Passage ${seed}-${i}: ${sentences.join(' ')}`;
  });
}

function freshDb(dir: string, name: string, texts: string[]): Db {
  const db = openAppDb(join(dir, `${name}.db`));
  const perDoc = 50;
  const docs = [];
  for (let i = 0; i < texts.length; i += perDoc) docs.push({ title: `Doc ${i / perDoc}`, passages: texts.slice(i, i + perDoc).map((text) => ({ text })) });
  seedCorpus(db, [{ name: 'Bench outlet', documents: docs }]);
  return db;
}

const rows: { what: string; items: number; seconds: number; perSec: number; baseline: string; baselinePerSec: number }[] = [];
let bareClassifierPerSec = 0;
let estimateMs = 0;
let createMs = 0;
const dir = mkdtempSync(join(tmpdir(), 'framescope-bench-tagging-'));
// The test server runs in its own process so its work does not share the engine's event loop.
const serverProcess = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'api', 'providers', 'testing', 'server.ts'), '0', String(LATENCY_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
const serverUrl = await new Promise<string>((resolve, reject) => {
  createInterface({ input: serverProcess.stdout! }).once('line', (line) => resolve(line.slice(line.indexOf('http'))));
  serverProcess.once('exit', (code) => reject(new Error(`test server exited with ${code}`)));
});
const openaiConfig = loadConfig({ OPENAI_BASE_URL: serverUrl, FRAMESCOPE_MODEL: 'test-model' }, { dbPath: ':memory:' });
try {
  for (const concurrency of LOCAL_ONLY ? [] : [1, 8, 32, 64]) {
    const n = concurrency === 1 ? C1_PASSAGES : SERVER_PASSAGES;
    const db = freshDb(dir, `server-c${concurrency}`, passages(n, concurrency));
    const base = { db, config: openaiConfig, now: () => new Date(), providers: defaultProviders };
    const deps = { ...base, jobs: jobRunnerFor(base, { background: false }) };
    process.stderr.write(`server c=${concurrency}: ${n} passages…\n`);
    const t0 = performance.now();
    const { run, job } = createRun(deps, { levels: ['passage'], concurrency, maxAttempts: 3 }, 'bench', { claimBy: deps.jobs.owner });
    await deps.jobs.runClaimed(job);
    const done = getRun(db, run.id);
    const seconds = (performance.now() - t0) / 1000;
    if (done.itemsDone !== n) throw new Error(`run ${run.id}: ${done.itemsDone} of ${n} done (${done.status})`);
    rows.push({ what: `test server, 200 ms, concurrency ${concurrency}${concurrency === 1 ? ` (${n} passages)` : ''}`, items: n, seconds, perSec: n / seconds, baseline: 'ideal concurrency / latency', baselinePerSec: concurrency / (LATENCY_MS / 1000) });
    db.$client.close();
  }

  // What this machine allows at all: a plain fetch loop posting a prompt-sized body to the
  // same server at concurrency 32, with no SDK, prompt, validation or database.
  if (!LOCAL_ONLY) {
    const n = Math.round(2_000 * Math.max(SCALE, 0.25));
    const body = JSON.stringify({ model: 'test-model', messages: [{ role: 'system', content: 'x'.repeat(9_000) }, { role: 'user', content: '<<<PASSAGE 0a\nA passage.\nPASSAGE 0a>>>' }] });
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next++ < n) await (await fetch(`${serverUrl}/chat/completions`, { method: 'POST', body, headers: { 'content-type': 'application/json' } })).json();
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    rows.push({ what: 'plain fetch loop, 200 ms, concurrency 32 (no SDK, no DB)', items: n, seconds, perSec: n / seconds, baseline: 'ideal concurrency / latency', baselinePerSec: 32 / (LATENCY_MS / 1000) });
  }

  // The local baseline alone: train once, classify every passage through suggestForText (prompt, evidence check, provenance).
  {
    const db = openAppDb(':memory:');
    const cb = getActiveCodebook(db);
    const ref = { definition: cb.definition, version: cb.version, hash: cb.hash };
    const provider = trainLocalBaseline(cb.definition, []);
    const texts = passages(LOCAL_PASSAGES, 7);
    process.stderr.write(`local baseline: ${texts.length} passages…\n`);
    const t0 = performance.now();
    for (const text of texts) {
      const r = await suggestForText(provider, { codebook: ref, level: 'passage', text, maskOutlet: false });
      if (!r.ok) throw new Error(r.error);
    }
    const seconds = (performance.now() - t0) / 1000;
    bareClassifierPerSec = texts.length / seconds;
    rows.push({ what: 'local baseline, suggestForText (no database)', items: texts.length, seconds, perSec: bareClassifierPerSec, baseline: 'target 2,000 passages/s', baselinePerSec: 2_000 });
  }

  // A stored local run over a million passages, end to end: recorded as the server records it,
  // selected, classified and stored by its job in a worker thread with its own connection.
  {
    process.stderr.write(`stored local run: generating ${STORED_PASSAGES} passages…\n`);
    const dbPath = join(dir, 'stored-run.db');
    const db = openAppDb(dbPath);
    seedBulkCorpus(db, { sources: 50, documents: Math.ceil(STORED_PASSAGES / PASSAGES_PER_DOCUMENT), passagesPerDocument: PASSAGES_PER_DOCUMENT, passageText: bulkPassageText });
    const deps = serverDeps({ db, config: loadConfig({}, { dbPath }) });
    const request = { provider: 'local' as const, levels: ['passage' as const], concurrency: 4 };
    const e0 = performance.now();
    const estimate = estimateRun(deps, request);
    estimateMs = performance.now() - e0;
    process.stderr.write(`stored local run: ${estimate.items} passages (estimate ${estimateMs.toFixed(0)} ms)…\n`);
    const t0 = performance.now();
    const { run, job } = createRun(deps, request, 'bench');
    createMs = performance.now() - t0;
    const done = await deps.jobs.settled(job.id);
    const seconds = (performance.now() - t0) / 1000;
    const final = getRun(db, run.id);
    if (done.state !== 'completed' || final.itemsDone !== STORED_PASSAGES) throw new Error(`stored run: ${final.itemsDone} of ${STORED_PASSAGES} done (${done.state}: ${done.error})`);
    rows.push({ what: 'local baseline, stored run (job thread, end to end)', items: STORED_PASSAGES, seconds, perSec: STORED_PASSAGES / seconds, baseline: 'bare classifier (row above)', baselinePerSec: bareClassifierPerSec });
    rows.push({ what: 'local baseline, stored run (job thread, end to end)', items: STORED_PASSAGES, seconds, perSec: STORED_PASSAGES / seconds, baseline: 'target 5,000 passages/s', baselinePerSec: 5_000 });
    await deps.jobs.stop();
    db.$client.close();
  }
} finally {
  serverProcess.kill();
  rmSync(dir, { recursive: true, force: true });
}

const table = [
  ['measure', 'passages', 'seconds', 'passages/s', 'baseline', 'baseline/s', 'ratio'],
  ...rows.map((r) => [r.what, String(r.items), r.seconds.toFixed(1), r.perSec.toFixed(1), r.baseline, r.baselinePerSec.toFixed(1), (r.perSec / r.baselinePerSec).toFixed(2)]),
];
const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
for (const row of table) process.stdout.write(`${row.map((cell, i) => (i === 0 || i === 4 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}\n`);
process.stdout.write(`estimate over ${STORED_PASSAGES} passages: ${estimateMs.toFixed(0)} ms; recording the run (createRun, what POST /api/tagging/runs does): ${createMs.toFixed(0)} ms (target < 1,000 ms each)\n`);
process.stdout.write(`scale ${SCALE}; node ${process.version}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores\n`);
