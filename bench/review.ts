/**
 * Review benchmark: time from a decision's keypress to the next item being shown, in Debian
 * Chromium, over 200 decisions in a queue of 100,000 passages (median and p95), next to a
 * plain baseline doing the same decision without the review UI: the bare API round trip a
 * non-prefetching client waits for (POST the decision, then GET the next item's view), timed
 * from the same page with fetch.
 *
 *   npm run bench:review                  # 100,000 items, 200 decisions
 *   npm run bench:review -- --scale 0.1   # 10,000 items, a quick run
 *
 * "Shown" is the first animation frame after the item view's DOM names the next item.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SingleBar } from 'cli-progress';
import { chromium } from 'playwright-core';
import { getActiveCodebook } from '../api/codebooks/service.ts';
import { loadConfig } from '../api/config.ts';
import { seededRandom } from '../api/metrics/rng.ts';
import { serverDeps } from '../api/jobs/setup.ts';
import { startServer } from '../api/server.ts';
import { openAppDb } from '../api/db.ts';
import { CHROMIUM } from '../web/e2e/browser.ts';
import { ensureWebBuild } from '../web/build.ts';

const FULL_ITEMS = 100_000;
const DECISIONS = 200;
const PASSAGES_PER_DOCUMENT = 25;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Sources, documents, passages, passage items and one suggestion per item, by direct SQL. */
export function seed(path: string, count: number): void {
  const db = openAppDb(path);
  const codebook = getActiveCodebook(db);
  const labels = codebook.definition.labels.map((l) => l.id);
  const sqlite = db.$client;
  sqlite.pragma('synchronous = OFF'); // a throwaway file: speed over durability
  const random = seededRandom(4);
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  const insSource = sqlite.prepare('INSERT INTO sources (name) VALUES (?)');
  const insDoc = sqlite.prepare('INSERT INTO documents (source_id, title, published, published_precision, published_start, text, content_hash, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insPassage = sqlite.prepare('INSERT INTO passages (document_id, seq, start, "end", text) VALUES (?, ?, ?, ?, ?)');
  const insItem = sqlite.prepare('INSERT INTO items (level, document_id, passage_id, source_id, seq, text_hash, random_key) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insSuggestion = sqlite.prepare(`INSERT INTO suggestions (item_id, codebook_id, label, stance, themes, confidence, rationale, evidence, provider, model,
    prompt_version, prompt_hash, codebook_version, codebook_hash, params, cache_key) VALUES (?, ?, ?, ?, '[]', ?, 'bench', '[]', 'local', 'bench', 'v1', 'bench', ?, ?, '{}', ?)`);
  const setItem = sqlite.prepare(
    "UPDATE items SET suggestion_count = 1, latest_suggestion_id = ?, suggested_label = ?, suggested_stance = ?, suggested_confidence = ?, suggestion_agreement = 1, final_origin = 'model', version = 1 WHERE id = ?",
  );
  const bar = new SingleBar({ format: 'seeding   [{bar}] {value}/{total} items' });
  bar.start(count, 0);
  sqlite.transaction(() => {
    const sources = [1, 2, 3, 4, 5].map((n) => Number(insSource.run(`Bench outlet ${n}`).lastInsertRowid));
    for (let made = 0, d = 0; made < count; d++) {
      const n = Math.min(PASSAGES_PER_DOCUMENT, count - made);
      const texts = Array.from({ length: n }, (_, k) => `Document ${d}, passage ${k}: officials met again and discussed the common market, the border and energy prices.`);
      const text = texts.join('\n\n');
      const sourceId = sources[d % sources.length]!;
      const docId = Number(insDoc.run(sourceId, `Bench document ${d}`, '2025-01-01', 'day', '2025-01-01', text, sha(text), 'en').lastInsertRowid);
      let offset = 0;
      texts.forEach((t, seq) => {
        const passageId = Number(insPassage.run(docId, seq, offset, offset + t.length, t).lastInsertRowid);
        offset += t.length + 2;
        const itemId = Number(insItem.run('passage', docId, passageId, sourceId, seq, sha(t), random()).lastInsertRowid);
        const label = labels[Math.floor(random() * labels.length)]!;
        const stance = Math.floor(random() * 5) - 2;
        const confidence = Math.round(random() * 1000) / 1000;
        const suggestionId = Number(insSuggestion.run(itemId, codebook.id, label, stance, confidence, codebook.version, codebook.hash, `bench-${itemId}`).lastInsertRowid);
        setItem.run(suggestionId, label, stance, confidence, itemId);
      });
      made += n;
      bar.update(made);
    }
  })();
  bar.stop();
  sqlite.close();
}

function quantile(sorted: number[], p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

async function main(): Promise<void> {
  const scale = Number(argValue('--scale') ?? '1');
  if (!(scale > 0 && scale <= 10)) throw new Error(`--scale must be in (0, 10], got ${argValue('--scale')}`);
  const count = Math.max(DECISIONS * 3, Math.round(FULL_ITEMS * scale));
  const dir = mkdtempSync(join(tmpdir(), 'framescope-bench-review-'));
  const dbPath = join(dir, 'bench.db');
  seed(dbPath, count);
  const webRoot = await ensureWebBuild((m) => console.log(m));
  const db = openAppDb(dbPath);
  const deps = serverDeps({ db, config: loadConfig({}, { dbPath, port: 0, host: '127.0.0.1' }), webRoot });
  const { server, url } = await startServer(deps);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${url}/review?status=unreviewed&order=confidence`);
    await page.waitForSelector('input[aria-label="Reviewer name"]:focus');
    await page.keyboard.type('Bench reviewer');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="queue-total"]:not(:text("Loading…"))');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="review-item"]');
    await page.evaluate(() => {
      const w = window as unknown as { __t0: number | null; __last: string | null; __samples: number[] };
      w.__t0 = null;
      w.__samples = [];
      w.__last = document.querySelector('[data-testid="review-item"]')?.getAttribute('data-item-id') ?? null;
      window.addEventListener('keydown', () => (w.__t0 = performance.now()), { capture: true });
      new MutationObserver(() => {
        const id = document.querySelector('[data-testid="review-item"]')?.getAttribute('data-item-id') ?? null;
        if (id === null || id === w.__last || w.__t0 === null) return;
        w.__last = id;
        const t0 = w.__t0;
        w.__t0 = null;
        requestAnimationFrame(() => w.__samples.push(performance.now() - t0));
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-item-id'] });
    });
    // Warm-up (JIT, first prefetches) is not measured.
    await page.waitForTimeout(500);
    const bar = new SingleBar({ format: 'deciding  [{bar}] {value}/{total} decisions' });
    bar.start(DECISIONS, 0);
    for (let n = 1; n <= DECISIONS; n++) {
      await page.keyboard.press('a');
      await page.waitForFunction((k) => (window as unknown as { __samples: number[] }).__samples.length >= k, n).catch(async (err: Error) => {
        const shownNow = await page.evaluate(() => document.querySelector('main')?.textContent?.slice(0, 300));
        throw new Error(`decision ${n}: the next item never showed (${err.message}); page: ${shownNow}`);
      });
      bar.update(n);
    }
    bar.stop();
    const ui = (await page.evaluate(() => (window as unknown as { __samples: number[] }).__samples)).sort((a, b) => a - b);
    const saved = db.$client.prepare("SELECT count(*) AS n FROM reviews WHERE action = 'accept'").get() as { n: number };

    // Baseline: the same decision through the bare API from the same page, waiting for the save and the next item.
    const ids = (await (await fetch(`${url}/api/review/queue?status=unreviewed&order=random&limit=${DECISIONS + 1}`)).json()) as { entries: { itemId: number }[] };
    const baseline = (
      await page.evaluate(async (itemIds) => {
        const out: number[] = [];
        for (let i = 0; i + 1 < itemIds.length; i++) {
          const view = (await (await fetch(`/api/items/${itemIds[i]}`)).json()) as { item: { version: number }; suggestions: { id: number }[] };
          const t0 = performance.now();
          const res = await fetch(`/api/items/${itemIds[i]}/reviews`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ action: 'accept', basedOnVersion: view.item.version, suggestionId: view.suggestions[0]!.id, queueOrder: 'random' }),
          });
          if (res.status !== 201) throw new Error(`baseline decision failed: ${res.status}`);
          await (await fetch(`/api/items/${itemIds[i + 1]}`)).json();
          out.push(performance.now() - t0);
        }
        return out;
      }, ids.entries.map((e) => e.itemId))
    ).sort((a, b) => a - b);

    const queueTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await (await fetch(`${url}/api/review/queue?status=unreviewed&order=${i % 2 ? 'random' : 'confidence'}&limit=50`)).json();
      queueTimes.push(performance.now() - t0);
    }
    queueTimes.sort((a, b) => a - b);

    const row = (name: string, xs: number[]) => ({ name, median: quantile(xs, 0.5), p95: quantile(xs, 0.95) });
    const rows = [row('keypress → next item shown (review UI)', ui), row('baseline: POST decision + GET next item (bare API)', baseline)];
    console.log(`\nreview bench: ${count.toLocaleString('en')} items in the queue, ${ui.length} decisions in Chromium (${saved.n} saved), ${baseline.length} baseline decisions`);
    console.table(rows.map((r) => ({ measure: r.name, 'median ms': r.median.toFixed(1), 'p95 ms': r.p95.toFixed(1) })));
    console.log(`ratio UI / baseline: median ${(rows[0]!.median / rows[1]!.median).toFixed(2)}, p95 ${(rows[0]!.p95 / rows[1]!.p95).toFixed(2)}  (target: UI median < 50 ms)`);
    console.log(`queue page (50 items, filter unreviewed, SQL over ${count.toLocaleString('en')} items): median ${quantile(queueTimes, 0.5).toFixed(1)} ms, p95 ${quantile(queueTimes, 0.95).toFixed(1)} ms`);
    if (saved.n !== ui.length) throw new Error(`only ${saved.n} of ${ui.length} decisions were saved`);
  } finally {
    await browser.close();
    server.close();
    await deps.jobs.stop();
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
