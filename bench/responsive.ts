/**
 * bench:responsive — does a large tagging run leave the server answering? A server (as
 * `npm start` runs it, in its own process) over 100,000 generated passages; this process reads
 * GET /api/health, GET /api/stats and GET /api/review/queue in rounds (one round every 50 ms,
 * the three at once, like a second reviewer's browser), first on the idle server, then while a
 * local tagging run over every passage works, and prints p50/p95/max latency of each read in
 * both phases with their ratio; and how long POST /api/tagging/runs took to answer.
 *
 *   npm run bench:responsive                  # 100,000 passages
 *   npm run bench:responsive -- --scale 0.2   # 20,000
 *
 * Targets: p95 of every read under 200 ms during the run; the POST answered in under 1 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openAppDb } from '../api/db.ts';
import { bulkPassageText, seedBulkCorpus } from '../api/fixtures.ts';
import { spawnServer } from '../api/testing.ts';

const argScale = process.argv.indexOf('--scale');
const SCALE = argScale > -1 ? Number(process.argv[argScale + 1]) : 1;
if (!(SCALE > 0 && SCALE <= 1)) throw new Error('--scale must be a number in (0, 1]');
const PASSAGES = Math.round(100_000 * SCALE);
const PER_DOCUMENT = 20;
const IDLE_ROUNDS = 100;
const ROUND_EVERY_MS = 50;
const READS = { health: '/api/health', stats: '/api/stats', queue: '/api/review/queue?status=unreviewed&limit=50' } as const;
type Read = keyof typeof READS;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

async function timed(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return performance.now() - t0;
}

/** Rounds of the three reads until `stop` says so; latencies in ms per read. */
async function rounds(base: string, stop: (round: number) => Promise<boolean>): Promise<Record<Read, number[]>> {
  const out: Record<Read, number[]> = { health: [], stats: [], queue: [] };
  for (let round = 0; !(await stop(round)); round++) {
    const started = performance.now();
    const times = await Promise.all((Object.keys(READS) as Read[]).map((k) => timed(`${base}${READS[k]}`)));
    (Object.keys(READS) as Read[]).forEach((k, i) => out[k].push(times[i]!));
    await new Promise((r) => setTimeout(r, Math.max(0, ROUND_EVERY_MS - (performance.now() - started))));
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'framescope-bench-responsive-'));
const dbPath = join(dir, 'bench.db');
const db = openAppDb(dbPath);
process.stderr.write(`generating ${PASSAGES.toLocaleString('en')} passages…\n`);
seedBulkCorpus(db, { sources: 50, documents: Math.ceil(PASSAGES / PER_DOCUMENT), passagesPerDocument: PER_DOCUMENT, passageText: bulkPassageText });
db.$client.close();
const server = await spawnServer(dbPath);
try {
  const base = server.url;
  // Warm-up: the first requests compile routes and fill caches.
  await rounds(base, async (r) => r >= 10);
  process.stderr.write('idle server…\n');
  const idle = await rounds(base, async (r) => r >= IDLE_ROUNDS);

  process.stderr.write('starting the run…\n');
  const t0 = performance.now();
  const res = await fetch(`${base}/api/tagging/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ provider: 'local', levels: ['passage'] }) });
  const postMs = performance.now() - t0;
  if (res.status !== 201) throw new Error(`POST /api/tagging/runs: ${res.status} ${await res.text()}`);
  const run = (await res.json()) as { id: number };
  let status = 'pending';
  let lastCheck = 0;
  const busy = await rounds(base, async () => {
    if (performance.now() - lastCheck > 500) {
      lastCheck = performance.now();
      status = ((await (await fetch(`${base}/api/tagging/runs/${run.id}`)).json()) as { run: { status: string } }).run.status;
    }
    return status !== 'pending' && status !== 'running';
  });
  const runSeconds = (performance.now() - t0) / 1000;
  if (status !== 'completed') throw new Error(`the run ended ${status}`);

  const fmt = (x: number) => x.toFixed(1);
  const rows = (Object.keys(READS) as Read[]).map((k) => [
    `GET ${READS[k].split('?')[0]}`,
    String(busy[k].length),
    fmt(quantile(idle[k], 0.5)),
    fmt(quantile(idle[k], 0.95)),
    fmt(Math.max(...idle[k])),
    fmt(quantile(busy[k], 0.5)),
    fmt(quantile(busy[k], 0.95)),
    fmt(Math.max(...busy[k])),
    (quantile(busy[k], 0.95) / quantile(idle[k], 0.95)).toFixed(2),
    quantile(busy[k], 0.95) < 200 ? 'yes' : 'NO',
  ]);
  const table = [['read', 'n (run)', 'idle p50', 'idle p95', 'idle max', 'run p50', 'run p95', 'run max', 'p95 run/idle', 'p95 < 200 ms'], ...rows];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  process.stdout.write(`bench:responsive — ${PASSAGES.toLocaleString('en')} passages, local run in the server's job thread; latencies in ms, one round of the three reads every ${ROUND_EVERY_MS} ms\n`);
  for (const r of table) process.stdout.write(`${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}\n`);
  process.stdout.write(`POST /api/tagging/runs answered in ${postMs.toFixed(0)} ms (target < 1,000 ms); the run took ${runSeconds.toFixed(1)} s (${(PASSAGES / runSeconds).toFixed(0)} passages/s)\n`);
  process.stdout.write(`scale ${SCALE}; node ${process.version}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores\n`);
} finally {
  await server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
