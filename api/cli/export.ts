import { createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { parseExportQuery } from '../export/request.ts';
import { prepareExport } from '../export/service.ts';
import { CliError, openForCommand, withDbOption, type DbOptions } from './common.ts';

interface ExportOptions extends DbOptions {
  format: string;
  level: string;
  status: string;
  out?: string;
  bundle?: boolean;
  bom?: boolean;
  sources?: string;
  from?: string;
  to?: string;
  labels?: string;
  themes?: string;
  codebook?: string;
  provider?: string;
  model?: string;
  promptVersion?: string;
  includeExcluded?: boolean;
}

/** Writes a chunk, waiting for the stream to drain when its buffer is full (backpressure). */
function write(stream: Writable, chunk: Uint8Array): Promise<void> | null {
  if (stream.write(chunk)) return null;
  return new Promise((resolveDrain, reject) => {
    const onError = (err: Error) => reject(err);
    stream.once('error', onError);
    stream.once('drain', () => {
      stream.off('error', onError);
      resolveDrain();
    });
  });
}

function finish(stream: Writable): Promise<void> {
  return new Promise((resolveEnd, reject) => {
    stream.once('error', reject);
    stream.end(() => resolveEnd());
  });
}

/** `export`: a labelled dataset to a file (with a progress bar on stderr) or to stdout. */
export function registerExport(program: Command): void {
  withDbOption(
    program
      .command('export')
      .description('export labelled items with provenance as CSV, JSONL or Parquet (or a zip bundle with codebook and dataset card)')
      .option('--format <format>', 'csv, jsonl or parquet', 'csv')
      .option('--level <level>', 'passage or document', 'passage')
      .option('--status <status>', 'reviewed (human decisions only), final (human decision, else model suggestion) or all', 'final')
      .option('--out <file>', 'write to this file (default: stdout)')
      .option('--bundle', 'zip bundle: data file, codebook(s) and a dataset card README')
      .option('--bom', 'CSV: start with a UTF-8 byte order mark (for spreadsheets)')
      .option('--sources <names>', 'comma-separated source names or ids')
      .option('--from <date>', 'published on or after (YYYY, YYYY-MM or YYYY-MM-DD)')
      .option('--to <date>', 'published on or before (YYYY, YYYY-MM or YYYY-MM-DD)')
      .option('--labels <labels>', 'comma-separated final labels')
      .option('--themes <themes>', 'comma-separated theme ids (items with any of them)')
      .option('--codebook <codebook>', 'codebook id, version or name@version')
      .option('--provider <provider>', 'items with a suggestion from this provider')
      .option('--model <model>', 'items with a suggestion from this model')
      .option('--prompt-version <version>', 'items with a suggestion made with this prompt version')
      .option('--include-excluded', 'include excluded passages, with their exclusion reason'),
  ).action(async (opts: ExportOptions) => {
    const flag = (v: boolean | undefined) => (v ? '1' : '0');
    const request = parseExportQuery({
      format: opts.format,
      level: opts.level,
      status: opts.status,
      sources: opts.sources,
      from: opts.from,
      to: opts.to,
      labels: opts.labels,
      themes: opts.themes,
      codebook: opts.codebook,
      provider: opts.provider,
      model: opts.model,
      promptVersion: opts.promptVersion,
      includeExcluded: flag(opts.includeExcluded),
      bundle: flag(opts.bundle),
      bom: flag(opts.bom),
    });
    const out = opts.out ? resolve(opts.out) : null;
    if (out) {
      if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()) throw new CliError(`--out: folder ${dirname(out)} does not exist`);
      if (existsSync(out) && statSync(out).isDirectory()) throw new CliError(`--out: ${out} is a folder`);
    }
    const { db } = openForCommand(opts);
    try {
      const job = prepareExport(db, request);
      const { total, emptyReason } = job.plan;
      if (emptyReason) process.stderr.write(`framescope: export is empty: ${emptyReason}\n`);
      if (!out) {
        for (const chunk of job.chunks()) await write(process.stdout, chunk);
        return;
      }
      // Written beside the target and renamed at the end, so a failed export leaves no half file.
      // One left by a killed run (kill -9 cannot be caught) is removed first; it never reads as whole anyway (no end marker).
      const partial = `${out}.partial`;
      if (existsSync(partial)) {
        rmSync(partial, { force: true });
        process.stderr.write(`framescope: removed ${partial}, left by an export that did not finish\n`);
      }
      const stream = createWriteStream(partial);
      const interrupted = () => {
        stream.destroy();
        rmSync(partial, { force: true });
        process.exit(130);
      };
      process.once('SIGINT', interrupted);
      process.once('SIGTERM', interrupted);
      const bar = new SingleBar({ stream: process.stderr, format: 'export {bar} {value}/{total} rows | {eta_formatted} left', hideCursor: true });
      bar.start(total, 0);
      try {
        for (const chunk of job.chunks((rows) => bar.update(rows))) await write(stream, chunk);
        await finish(stream);
        renameSync(partial, out);
      } catch (err) {
        stream.destroy();
        rmSync(partial, { force: true });
        throw err;
      } finally {
        process.off('SIGINT', interrupted);
        process.off('SIGTERM', interrupted);
        bar.stop();
      }
      process.stderr.write(`exported ${total} ${request.level}${total === 1 ? '' : 's'} to ${out}\n`);
    } finally {
      db.$client.close();
    }
  });
}
