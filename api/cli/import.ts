import { readFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { parseColumnMap } from '../ingest/columns.ts';
import { DATE_ORDERS, type DateOrder } from '../ingest/dates.ts';
import { failedReport, runImport, totalsOf, type FileReport, type ImportProgress, type ImportReport } from '../ingest/import.ts';
import { collectFiles } from '../ingest/manifest.ts';
import { decodeText, formatBytes, IngestError } from '../ingest/normalize.ts';
import { SUPPORTED_EXTENSIONS, type DocumentMeta } from '../ingest/readers.ts';
import { diskSource } from '../ingest/sources.ts';
import { importSourcesCsv, MAX_SOURCES_CSV_BYTES, type SourcesImportReport } from '../sources/importCsv.ts';
import { AppError } from '../errors.ts';
import { CliError, openForCommand, printJson, withDbOption, type DbOptions } from './common.ts';

interface ImportCliOptions extends DbOptions {
  source?: string;
  sources?: string;
  title?: string;
  author?: string;
  published?: string;
  url?: string;
  language?: string;
  country?: string;
  map?: string;
  importName?: string;
  gold?: boolean;
  evaluationOnly?: boolean;
  strict?: boolean;
  rejects?: string;
  dateOrder?: string;
  restart?: boolean;
  json?: boolean;
}

/** The terminal bar: rows, bytes, rate and ETA of the file being read. */
function progressBar(enabled: boolean) {
  if (!enabled) return { update: (_p: ImportProgress) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'import {name} [{bar}] {percentage}% | {rows} rows | {done}/{size} | {rate} rows/s | ETA {etaText}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let file: string | null = null;
  return {
    update(p: ImportProgress) {
      const payload = {
        name: `${p.files > 1 ? `${p.fileIndex + 1}/${p.files} ` : ''}${p.file}`,
        rows: p.rows.toLocaleString('en-US'),
        done: formatBytes(p.bytes),
        size: p.totalBytes === null ? '?' : formatBytes(p.totalBytes),
        rate: Math.round(p.rowsPerSecond).toLocaleString('en-US'),
        etaText: p.etaSeconds === null ? '-' : `${Math.round(p.etaSeconds)}s`,
      };
      const total = p.totalBytes ?? Math.max(p.bytes, 1);
      if (file !== p.file) {
        if (file !== null) bar.stop();
        bar.start(total, p.bytes, payload);
        file = p.file;
      } else bar.update(Math.min(p.bytes, total), payload);
    },
    stop: () => bar.stop(),
  };
}

function printText(report: ImportReport): void {
  for (const f of report.files) {
    if (f.status === 'failed') {
      process.stdout.write(`failed      ${f.error}\n`);
      continue;
    }
    const extra = [f.attachedLabels ? `${f.attachedLabels} labels on stored documents` : '', f.duplicates ? `${f.duplicates} linked as copies` : '', f.rejected ? `${f.rejected} rows rejected` : '', f.warningCount ? `${f.warningCount} warnings` : '']
      .filter(Boolean)
      .join(', ');
    process.stdout.write(`${f.status.padEnd(11)} ${f.file}: ${f.documents} new, ${f.unchanged} unchanged, ${f.passages} passages, ${f.labels} labels${extra ? `, ${extra}` : ''}\n`);
    for (const r of f.rejects.slice(0, 20)) process.stdout.write(`  rejected  line ${r.line}${r.column ? ` (${r.column})` : ''}: ${r.reason}\n`);
    if (f.rejected > 20) process.stdout.write(`  ... and ${f.rejected - 20} more rejected rows${f.rejectsFile ? ` (all in ${f.rejectsFile})` : ' (--rejects FILE writes them out)'}\n`);
    for (const w of f.warnings.slice(0, 20)) process.stdout.write(`  warning   ${w.line === null ? '' : `line ${w.line}${w.column ? ` (${w.column})` : ''}: `}${w.reason}\n`);
    if (f.warningCount > 20) process.stdout.write(`  ... and ${f.warningCount - 20} more warnings\n`);
  }
  const t = report.totals;
  process.stdout.write(
    `${t.files} files: ${t.documents} documents imported, ${t.unchangedDocuments} unchanged, ${t.passages} passages, ${t.labels} labels, ${t.attachedLabels} labels on stored documents, ${t.rejected} rows rejected, ${t.failed} failed\n`,
  );
}

/** `import --sources FILE`: creates and updates sources and their groupings from a CSV. */
function importSources(opts: ImportCliOptions): void {
  let text: string;
  try {
    const bytes = readFileSync(opts.sources!);
    if (bytes.length > MAX_SOURCES_CSV_BYTES) throw new CliError(`--sources: ${opts.sources} is over ${formatBytes(MAX_SOURCES_CSV_BYTES)}`);
    text = decodeText(bytes);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`--sources: ${e instanceof IngestError ? e.message : (e as Error).message}`);
  }
  const { db } = openForCommand(opts);
  let report: SourcesImportReport;
  try {
    report = importSourcesCsv(db, text, 'cli', new Date());
  } catch (e) {
    throw new CliError(e instanceof AppError ? e.message : String(e));
  } finally {
    db.$client.close();
  }
  if (opts.json) printJson({ sources: report });
  else {
    const groupings = report.groupings.length > 0 ? `, groupings ${report.groupings.join(', ')}` : '';
    process.stdout.write(`sources ${opts.sources}: ${report.created} created, ${report.updated} updated, ${report.rejected.length} rows rejected${groupings}\n`);
    for (const r of report.rejected) process.stdout.write(`  rejected  line ${r.line}: ${r.reason}\n`);
  }
}

/** `import <paths...>`: single-document files, row files (streamed, any size) or folders (with manifest.json). */
export function registerImport(program: Command): void {
  withDbOption(
    program
      .command('import')
      .description(`import documents from files or folders: ${SUPPORTED_EXTENSIONS}; a folder manifest.json lists its documents`)
      .argument('[paths...]', 'files or folders')
      .option('--source <name>', 'source (outlet) of every document')
      .option('--sources <file>', 'a CSV of sources to create or update first: name, url, country, language, notes, and any other column as a named grouping (e.g. alignment)')
      .option('--title <title>', 'document title')
      .option('--author <name>', 'document author')
      .option('--published <date>', 'publication date (2024-10-15, 2024-10, 2024, 15 October 2024, 10/15/2024 ...)')
      .option('--url <url>', 'document URL')
      .option('--language <code>', 'language code, e.g. en')
      .option('--country <country>', 'country of a newly created source')
      .option('--map <field=column,...>', 'row-file columns, e.g. text=content,title=headline,source=outlet,published=date,url=link,id=article_id')
      .option('--import-name <name>', 'name labels in the files are recorded under (reviewer import:<name>; default: the file name)')
      .option('--gold', "the files' labels are a gold standard coded by people: count them as independent human decisions (default: recorded, exported, never counted)")
      .option('--evaluation-only', "the files' labels are a held-out evaluation set: gold for evals (eval --gold db --evaluation-only), never trained on")
      .option('--strict', 'all or nothing per row file: one bad row and none of the file is imported')
      .option('--rejects <file>', 'write rejected rows to FILE in the input\'s format (one row file per run; .gz compresses)')
      .option('--date-order <order>', 'how to read numeric dates that read both ways: mdy, dmy or ymd (default: decided by the file)')
      .option('--restart', 'roll back an interrupted import of the same file instead of resuming it')
      .option('--json', 'print one JSON report object on stdout'),
  ).action(async (paths: string[], opts: ImportCliOptions) => {
    let map;
    try {
      map = parseColumnMap(opts.map);
    } catch (e) {
      throw new CliError(e instanceof IngestError ? e.message : String(e));
    }
    if (opts.dateOrder !== undefined && !DATE_ORDERS.includes(opts.dateOrder as DateOrder)) throw new CliError(`--date-order must be ${DATE_ORDERS.join(', ')} (got "${opts.dateOrder}")`);
    if (opts.sources !== undefined) importSources(opts);
    if (paths.length === 0) {
      if (opts.sources !== undefined) return;
      throw new CliError('import: give files or folders to import, or --sources FILE');
    }
    const meta: DocumentMeta = { title: opts.title, author: opts.author, source: opts.source, published: opts.published, url: opts.url, language: opts.language, country: opts.country };
    const { db } = openForCommand(opts);
    const { files, failures } = collectFiles(paths);
    const bar = progressBar(process.stderr.isTTY === true && !opts.json);
    const controller = new AbortController();
    const onSigint = () => {
      process.stderr.write('\nstopping at the next batch: what was read stays committed, and running the same command again resumes\n');
      controller.abort();
    };
    process.once('SIGINT', onSigint);
    let fileReport: ImportReport;
    try {
      fileReport = await runImport(
        db,
        files.map(diskSource),
        { origin: 'cli', meta, map, importName: opts.importName, gold: opts.gold ?? false, evaluationOnly: opts.evaluationOnly ?? false, actor: 'cli', strict: opts.strict, rejects: opts.rejects, dateOrder: opts.dateOrder as DateOrder | undefined },
        { onProgress: bar.update, signal: controller.signal, resume: !opts.restart },
      );
    } catch (e) {
      throw new CliError(e instanceof IngestError ? e.message : String(e));
    } finally {
      process.removeListener('SIGINT', onSigint);
      bar.stop();
      db.$client.close();
    }
    const failed: FileReport[] = failures.map((f) => failedReport(f.file, `${f.file}: ${f.error}`));
    const all = [...failed, ...fileReport.files];
    const report: ImportReport = { files: all, totals: totalsOf(all) };
    if (opts.json) printJson(report);
    else printText(report);
    const t = report.totals;
    if (t.failed > 0) {
      const first = all.find((f) => f.status === 'failed')!;
      throw new CliError(t.failed === 1 ? `import failed: ${first.error}` : `import: ${t.failed} files failed; first: ${first.error}`);
    }
    if (t.interrupted > 0) throw new CliError('import interrupted: run the same command again to resume', 130);
    if (t.files === 0) throw new CliError(`import: no importable files found (${SUPPORTED_EXTENSIONS})`);
    if (t.rejected > 0 && opts.json) process.stderr.write(`framescope: ${t.rejected} rows rejected (listed in the report)\n`);
  });
}
