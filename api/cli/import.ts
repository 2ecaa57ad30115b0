import { readFileSync, statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { importFiles, totalsOf, type FileReport, type ImportInput, type ImportReport } from '../ingest/import.ts';
import { collectFiles } from '../ingest/manifest.ts';
import { IngestError } from '../ingest/normalize.ts';
import { parseColumnMap, type DocumentMeta } from '../ingest/readers.ts';
import { CliError, openForCommand, printJson, withDbOption, type DbOptions } from './common.ts';

interface ImportCliOptions extends DbOptions {
  source?: string;
  title?: string;
  author?: string;
  published?: string;
  url?: string;
  language?: string;
  country?: string;
  map?: string;
  importName?: string;
  json?: boolean;
}

/** Progress is drawn only for runs with more files than this. */
const PROGRESS_MIN_FILES = 3;

/** `import <paths...>`: text, Markdown, HTML, CSV and JSONL files or folders (with manifest.json). */
export function registerImport(program: Command): void {
  withDbOption(
    program
      .command('import')
      .description('import documents from .txt/.md/.html/.csv/.jsonl files or folders (a folder manifest.json lists its documents)')
      .argument('<paths...>', 'files or folders')
      .option('--source <name>', 'source (outlet) of every document')
      .option('--title <title>', 'document title')
      .option('--author <name>', 'document author')
      .option('--published <date>', 'publication date: YYYY, YYYY-MM or YYYY-MM-DD')
      .option('--url <url>', 'document URL')
      .option('--language <code>', 'language code, e.g. en')
      .option('--country <country>', 'country of a newly created source')
      .option('--map <field=column,...>', 'CSV/JSONL columns, e.g. text=content,title=headline,source=outlet,published=date,url=link')
      .option('--import-name <name>', 'name labels in the files are recorded under (reviewer import:<name>; default: the file name)')
      .option('--json', 'print one JSON report object on stdout'),
  ).action((paths: string[], opts: ImportCliOptions) => {
    let map;
    try {
      map = parseColumnMap(opts.map);
    } catch (e) {
      throw new CliError(e instanceof IngestError ? e.message : String(e));
    }
    const meta: DocumentMeta = {
      title: opts.title,
      author: opts.author,
      source: opts.source,
      published: opts.published,
      url: opts.url,
      language: opts.language,
      country: opts.country,
    };
    const { db } = openForCommand(opts);
    const { files, failures } = collectFiles(paths);
    const inputs: ImportInput[] = files.map((f) => ({ file: f.file, size: statSync(f.path).size, read: () => readFileSync(f.path), manifest: f.manifest }));

    const bar =
      inputs.length > PROGRESS_MIN_FILES
        ? new cliProgress.SingleBar({ stream: process.stderr, format: 'import [{bar}] {value}/{total} files | {documents} documents', hideCursor: true }, cliProgress.Presets.shades_classic)
        : null;
    let documents = 0;
    bar?.start(inputs.length, 0, { documents });
    let fileReport: ImportReport;
    try {
      fileReport = importFiles(db, inputs, { origin: 'cli', meta, map, importName: opts.importName, actor: 'cli' }, (r) => {
        documents += r.documents;
        bar?.increment(1, { documents });
      });
    } finally {
      bar?.stop();
      db.$client.close();
    }
    const failed: FileReport[] = failures.map((f) => ({ file: f.file, status: 'failed', documents: 0, unchanged: 0, passages: 0, labels: 0, error: `${f.file}: ${f.error}` }));
    const all = [...failed, ...fileReport.files];
    const report: ImportReport = { files: all, totals: totalsOf(all) };
    if (opts.json) printJson(report);
    else {
      for (const f of all) {
        process.stdout.write(
          f.status === 'failed' ? `failed     ${f.error}\n` : `${f.status.padEnd(10)} ${f.file}: ${f.documents} new, ${f.unchanged} unchanged, ${f.passages} passages, ${f.labels} labels\n`,
        );
      }
      const t = report.totals;
      process.stdout.write(`${t.files} files: ${t.documents} documents imported, ${t.unchangedDocuments} unchanged, ${t.passages} passages, ${t.labels} labels, ${t.failed} failed\n`);
    }
    if (report.totals.failed > 0) {
      const first = all.find((f) => f.status === 'failed')!;
      throw new CliError(report.totals.failed === 1 ? `import failed: ${first.error}` : `import: ${report.totals.failed} files failed; first: ${first.error}`);
    }
    if (report.totals.files === 0) throw new CliError('import: no importable files found (.txt, .md, .html, .csv, .jsonl)');
  });
}
