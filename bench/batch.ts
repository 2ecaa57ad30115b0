/**
 * bench:batch — a batch run of 10,000 passages against the scripted test server's Batch API,
 * through the real CLI (`tag --batch`) in a child process that is killed with SIGKILL after
 * half of its batches were submitted and then resumed (`tag --resume`); next to an online run
 * of the same passages (`tag`, concurrency 8) on a copy of the database. Checks that the
 * resumed run submitted no item twice and stored, item by item, the suggestions the online run
 * stored, and prints the wall time, requests and cost of both. The test server answers at once
 * (no model latency, no 24 h window): the times are the engine's own work, not the provider's.
 *
 *   npm run bench:batch                  # 10,000 passages, batches of 2,500 requests
 *   npm run bench:batch -- --scale 0.1   # a tenth
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openAppDb } from '../api/db.ts';
import { seedCorpus } from '../api/fixtures.ts';
import { runCli } from '../api/testing.ts';
import { startTestServer } from '../api/providers/testing/server.ts';

const argScale = process.argv.indexOf('--scale');
const SCALE = argScale > -1 ? Number(process.argv[argScale + 1]) : 1;
if (!(SCALE > 0 && SCALE <= 1)) throw new Error('--scale must be a number in (0, 1]');
const PASSAGES = Math.round(10_000 * SCALE);
const PER_BATCH = Math.round(2_500 * SCALE);
const BATCHES = Math.ceil(PASSAGES / PER_BATCH);


function seeded(path: string) {
  const db = openAppDb(path);
  const docs = [];
  for (let d = 0; d < PASSAGES / 50; d++) {
    docs.push({ title: `Doc ${d}`, passages: Array.from({ length: 50 }, (_, i) => ({ text: `Passage ${d}-${i}: the council met to discuss the customs union, energy prices and the border with its neighbours.` })) });
  }
  seedCorpus(db, [{ name: 'Bench outlet', documents: docs }]);
  db.$client.close();
}

function suggestionsOf(path: string): string[] {
  const db = openAppDb(path);
  const rows = db.$client
    .prepare(
      `SELECT p.text, s.label, s.stance, s.themes, s.confidence, s.rationale, s.evidence, s.substantive, s.model, s.prompt_hash, s.cache_key
       FROM suggestions s JOIN items i ON i.id = s.item_id JOIN passages p ON p.id = i.passage_id ORDER BY p.text, s.sample_index`,
    )
    .raw()
    .all() as unknown[][];
  db.$client.close();
  return rows.map((r) => JSON.stringify(r));
}

const dir = mkdtempSync(join(tmpdir(), 'framescope-bench-batch-'));
const server = await startTestServer();
const env = { OPENAI_BASE_URL: server.url, FRAMESCOPE_MODEL: 'test-model', FRAMESCOPE_BATCH_POLL_MS: '200', FRAMESCOPE_BATCH_MAX_REQUESTS: String(PER_BATCH) };
const load = loadavg()[0]!.toFixed(1);
try {
  const paths = { online: join(dir, 'online.db'), batch: join(dir, 'batch.db') };
  seeded(paths.online);
  seeded(paths.batch);

  process.stderr.write(`online run: ${PASSAGES} passages…\n`);
  let t0 = performance.now();
  const online = await runCli(['tag', '--level', 'passage', '--concurrency', '8', '--json', '--db', paths.online], env);
  const onlineS = (performance.now() - t0) / 1000;
  if (online.code !== 0) throw new Error(`online run failed: ${online.stderr}`);
  const onlineRun = JSON.parse(online.stdout) as { costUsd: number; itemsDone: number };
  const chatBefore = server.requests.length;

  process.stderr.write(`batch run: ${PASSAGES} passages in ${BATCHES} batches, killed after ${Math.ceil(BATCHES / 2)} were submitted…\n`);
  server.batches.hold();
  t0 = performance.now();
  const killed = await runCli(['tag', '--batch', '--level', 'passage', '--json', '--db', paths.batch], env, (child) => {
    const poll = setInterval(() => {
      if (server.batches.created.length >= Math.ceil(BATCHES / 2)) {
        clearInterval(poll);
        child.kill('SIGKILL');
      }
    }, 2);
  });
  const firstS = (performance.now() - t0) / 1000;
  if (killed.signal !== 'SIGKILL') throw new Error(`the batch run was not killed: ${killed.code} ${killed.stderr}`);
  const atKill = server.batches.created.length;
  server.batches.release();
  t0 = performance.now();
  const resumed = await runCli(['tag', '--resume', '1', '--json', '--db', paths.batch], env);
  const resumeS = (performance.now() - t0) / 1000;
  if (resumed.code !== 0) throw new Error(`the resumed batch run failed: ${resumed.stderr}`);
  const batchRun = JSON.parse(resumed.stdout) as { status: string; costUsd: number; itemsDone: number };

  const customIds = server.batches.created.flatMap((b) => b.customIds);
  const duplicates = customIds.length - new Set(customIds).size;
  const a = suggestionsOf(paths.online);
  const b = suggestionsOf(paths.batch);
  const differing = a.filter((row, i) => row !== b[i]).length + Math.abs(a.length - b.length);

  const table = [
    ['figure', 'batch run (kill -9 + resume)', 'online run, concurrency 8', 'ratio'],
    ['passages tagged', String(batchRun.itemsDone), String(onlineRun.itemsDone), (batchRun.itemsDone / onlineRun.itemsDone).toFixed(2)],
    ['wall time, s', `${(firstS + resumeS).toFixed(1)} (${firstS.toFixed(1)} to the kill + ${resumeS.toFixed(1)} resumed)`, onlineS.toFixed(1), ((firstS + resumeS) / onlineS).toFixed(2)],
    ['cost, USD (test-model price)', batchRun.costUsd.toFixed(4), onlineRun.costUsd.toFixed(4), (batchRun.costUsd / onlineRun.costUsd).toFixed(3)],
    ['batches created (at the kill)', `${server.batches.created.length} (${atKill})`, '-', '-'],
    ['requests submitted', String(customIds.length), String(chatBefore), (customIds.length / chatBefore).toFixed(2)],
    ['requests submitted twice', String(duplicates), '-', '-'],
    ['suggestions differing from the online run', `${differing} of ${a.length}`, '-', '-'],
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  process.stdout.write(`bench:batch — ${PASSAGES} passages, batches of ${PER_BATCH}; ${cpus().length} cores, load average ${load} at the start\n`);
  for (const r of table) process.stdout.write(`${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')}\n`);
  if (batchRun.status !== 'completed' || duplicates > 0 || differing > 0 || server.batches.created.length !== BATCHES) process.exitCode = 1;
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
