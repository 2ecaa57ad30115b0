import { closeSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { JobKindSpec } from '../jobs/types.ts';
import type { ExportRequest } from './request.ts';

/** What an export job wrote, as its result says. */
export const ExportFileSchema = z
  .object({
    fileName: z.string(),
    contentType: z.string(),
    rows: z.number().int(),
    /** bytes */
    bytes: z.number().int(),
    emptyReason: z.string().nullable(),
  })
  .meta({ id: 'ExportJobFile' });
export type ExportFile = z.infer<typeof ExportFileSchema>;

/** The folder of one export job's file. */
export function exportJobDir(filesDir: string, jobId: number): string {
  return join(filesDir, 'exports', `job-${jobId}`);
}

/** ms of writing after which the job lets its heartbeat and cancel checks run. */
const YIELD_EVERY_MS = 50;

/**
 * Writes an export (any format, or a bundle) to a file in the jobs folder, for download once
 * it is complete. Written as `<name>.partial` and renamed at the end, so an unfinished file
 * never looks finished; a job killed or cancelled midway leaves nothing behind.
 */
export const exportJob: JobKindSpec<ExportRequest> = {
  kind: 'export',
  resumable: false,
  describe: (r) => `${r.bundle ? 'bundle' : r.format} export of ${r.level}s (${r.status})`,
  result: ExportFileSchema,
  async run(ctx) {
    // Loaded here, not with the job registry: the file encoders are only needed by this kind.
    const { prepareExport } = await import('./service.ts');
    const dir = exportJobDir(ctx.deps.filesDir, ctx.job.id);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const job = prepareExport(ctx.deps.db, ctx.params, ctx.deps.now);
    const target = join(dir, job.fileName);
    const partial = `${target}.partial`;
    ctx.progress({ phase: 'writing', unit: 'rows', done: 0, total: job.plan.total, message: job.fileName });
    const fd = openSync(partial, 'w');
    const chunks = job.chunks((rows) => ctx.progress({ done: rows }));
    let lastYield = performance.now();
    try {
      for (const chunk of chunks) {
        if (ctx.signal.aborted) {
          chunks.return(undefined);
          closeSync(fd);
          rmSync(dir, { recursive: true, force: true });
          return { state: 'cancelled' };
        }
        writeSync(fd, chunk);
        if (performance.now() - lastYield >= YIELD_EVERY_MS) {
          lastYield = performance.now();
          await ctx.yield();
        }
      }
      closeSync(fd);
    } catch (err) {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    renameSync(partial, target);
    const file: ExportFile = { fileName: job.fileName, contentType: job.contentType, rows: job.plan.total, bytes: statSync(target).size, emptyReason: job.plan.emptyReason };
    ctx.progress({ done: job.plan.total });
    return { state: 'completed', result: file };
  },
  onStopped({ filesDir }, job) {
    rmSync(exportJobDir(filesDir, job.id), { recursive: true, force: true });
  },
};
