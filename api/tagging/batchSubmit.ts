import type { Db } from '../../db/client.ts';
import type { TaggingBatch, TaggingRun } from '../../db/schema/index.ts';
import type { BatchConfig } from '../config.ts';
import { costUsd } from '../providers/prices.ts';
import type { BatchApi } from '../providers/types.ts';
import { joinBatch, sealBatch, updateBatch } from './batchStore.ts';
import { EXPECTED_OUTPUT_TOKENS, tokensOf } from './estimate.ts';
import type { RunPlan } from './request.ts';
import type { OutcomeSink } from './sink.ts';
import { classifyRequest } from './suggest.ts';
import { pendingReader, type Pending } from './worker.ts';
import type { Outcome, WriteTotals } from './writer.ts';

/** What the steps of a batch run work with. */
export interface BatchWork {
  db: Db;
  run: TaggingRun;
  plan: RunPlan;
  api: BatchApi;
  limits: BatchConfig;
  now: () => Date;
  sink: OutcomeSink;
  signal: AbortSignal;
  yield: () => Promise<void>;
  onWritten: (totals: WriteTotals) => void;
}

/** The custom_id of an item's sample in a batch file. */
export const customIdOf = (itemId: number, sampleIndex: number) => `i${itemId}-s${sampleIndex}`;

/** Items between yields while filling batches (rendering prompts is synchronous work). */
const YIELD_EVERY = 200;
/** Cache hits written per transaction. */
const FLUSH_AT = 500;

/** USD a batch is expected to cost at the batch price: its uploaded tokens and a typical answer per request. */
export function batchEstimateUsd(api: BatchApi, requests: number, bytes: number): number {
  return costUsd(api.price, tokensOf(bytes), requests * EXPECTED_OUTPUT_TOKENS) ?? 0;
}

/** The samples of an item still to ask (not stored for it or any item with the same text), and its outcome so far. */
function pendingSamples(item: Pending, copyOf: ReturnType<typeof pendingReader>['copyOf']) {
  const out: Outcome = { itemId: item.itemId, drafts: [], failure: null, attempts: 0, failedCost: 0, cachedAll: true };
  const needed: { sampleIndex: number; key: string }[] = [];
  item.keys.forEach((key, sampleIndex) => {
    const hits = item.stored.get(key) ?? [];
    if (hits.some((r) => r.itemId === item.itemId)) return;
    out.cachedAll = false;
    if (hits.length > 0) out.drafts.push({ draft: copyOf(hits[0]!.id), sampleIndex, cacheKey: key });
    else needed.push({ sampleIndex, key });
  });
  return { out, needed };
}

/** The requests of a batch's items: one line per text asked the same way (the first item with it asks; the others get its answer). */
export function batchLines(work: BatchWork, batchId: number): string[] {
  const { next, copyOf } = pendingReader(work.db, work.run, work.plan, { batchId });
  const lines: string[] = [];
  const asked = new Set<string>();
  for (let item = next(); item; item = next()) {
    for (const { sampleIndex, key } of pendingSamples(item, copyOf).needed) {
      if (asked.has(key)) continue;
      asked.add(key);
      lines.push(work.api.line(customIdOf(item.itemId, sampleIndex), classifyRequest(item.input)));
    }
  }
  return lines;
}

/** Uploads a batch's file (rebuilt from its items when none is given) and creates the provider's batch; each id is stored as soon as it is known. */
export async function sendBatch(work: BatchWork, batch: TaggingBatch, lines?: string[]): Promise<TaggingBatch> {
  let row = batch;
  if (row.status === 'preparing') {
    const jsonl = `${(lines ?? batchLines(work, row.id)).join('\n')}\n`;
    const fileId = await work.api.upload(jsonl, `framescope-run${work.run.id}-batch${row.id}.jsonl`, work.signal);
    row = updateBatch(work.db, row.id, { status: 'uploaded', inputFileId: fileId });
  }
  if (row.status === 'uploaded') {
    const metadata = { framescope_run: String(work.run.id), framescope_batch: String(row.id) };
    // A process killed while creating it may have created it: look before creating again.
    const info = (batch.status === 'uploaded' ? await work.api.find(metadata, work.signal) : null) ?? (await work.api.create(row.inputFileId!, metadata, work.signal));
    row = updateBatch(work.db, row.id, { status: 'submitted', providerBatchId: info.id, providerStatus: info.status, submittedAt: work.now().toISOString() });
  }
  return row;
}

/**
 * Puts the run's pending items that are in no batch into new batches and submits them: items
 * whose answers are all stored (the cache) are written at once; the others' requests fill
 * batches up to the request and byte limits. Stops before a batch that would take the run
 * past its budget (`committedUsd`: spent plus what open batches are expected to cost).
 */
export async function submitPending(work: BatchWork, committedUsd: number): Promise<{ committedUsd: number; budgetHit: boolean }> {
  const { db, run, api, limits } = work;
  const { next, copyOf } = pendingReader(db, run, work.plan, { batchId: null });
  const budget = run.budgetUsd;
  let committed = committedUsd;
  let cached: Outcome[] = [];
  let filling = { itemIds: [] as number[], lines: [] as string[], bytes: 0, keys: new Set<string>() };
  /** Keys asked by batches sealed in this pass, and by which. */
  const sealedKeys = new Map<string, number>();

  const flushCached = async () => {
    if (cached.length === 0) return;
    const batch = cached;
    cached = [];
    work.onWritten(await work.sink.write(batch));
  };
  const seal = async (): Promise<boolean> => {
    if (filling.itemIds.length === 0) return true;
    const estimate = batchEstimateUsd(api, filling.lines.length, filling.bytes);
    if (budget !== null && committed + estimate > budget) return false;
    const row = sealBatch(db, run.id, filling.itemIds, filling.lines.length, filling.bytes, work.now());
    committed += estimate;
    for (const k of filling.keys) sealedKeys.set(k, row.id);
    const lines = filling.lines;
    filling = { itemIds: [], lines: [], bytes: 0, keys: new Set() };
    await sendBatch(work, row, lines);
    return true;
  };

  let seen = 0;
  for (let item = next(); item && !work.signal.aborted; item = next()) {
    if (++seen % YIELD_EVERY === 0) await work.yield();
    const { out, needed } = pendingSamples(item, copyOf);
    if (needed.length === 0) {
      cached.push(out);
      if (cached.length >= FLUSH_AT) await flushCached();
      continue;
    }
    const owners = new Set(needed.map((n) => sealedKeys.get(n.key)));
    const owner = owners.size === 1 ? [...owners][0] : undefined;
    if (owner !== undefined) {
      joinBatch(db, run.id, item.itemId, owner, work.now());
      continue;
    }
    const fresh = needed.filter((n) => !filling.keys.has(n.key));
    const lines = fresh.map((n) => api.line(customIdOf(item.itemId, n.sampleIndex), classifyRequest(item.input)));
    const bytes = lines.reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0);
    if (lines.length > limits.maxRequests || bytes > limits.maxBytes) {
      cached.push({ ...out, drafts: [], failure: { errorKind: 'bad_request', error: `its ${lines.length} requests (${bytes} bytes) exceed one batch's limits (${limits.maxRequests} requests, ${limits.maxBytes} bytes)` } });
      continue;
    }
    if (filling.lines.length + lines.length > limits.maxRequests || filling.bytes + bytes > limits.maxBytes) {
      if (!(await seal())) {
        await flushCached();
        return { committedUsd: committed, budgetHit: true };
      }
    }
    filling.itemIds.push(item.itemId);
    filling.lines.push(...lines);
    filling.bytes += bytes;
    for (const n of fresh) filling.keys.add(n.key);
  }
  const sealed = work.signal.aborted ? true : await seal();
  await flushCached();
  return { committedUsd: committed, budgetHit: !sealed };
}
