import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseTarget } from '../../db/testing.ts';
import { runCli } from '../cli.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fs-cli-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in this process, collecting what it writes to stdout and stderr and its exit code. */
async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(s), true)) as typeof process.stderr.write;
  process.exitCode = 0;
  try {
    await runCli(args);
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
  const code = process.exitCode;
  process.exitCode = 0;
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const zero = { files: 0, imported: 0, unchanged: 0, failed: 0, interrupted: 0, documents: 0, unchangedDocuments: 0, passages: 0, labels: 0, attachedLabels: 0, duplicates: 0, rejected: 0, warnings: 0 };

describe('import command', () => {
  it('imports the shared corpus folder with --json, then reports every file unchanged', async () => {
    const db = testDatabaseTarget(dir, 'corpus');
    const first = await cli('import', CORPUS, '--json', '--db', db);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).totals).toEqual({ ...zero, files: 5, imported: 5, documents: 5, passages: 135 });
    const again = await cli('import', CORPUS, '--json', '--db', db);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).totals).toEqual({ ...zero, files: 5, unchanged: 5, unchangedDocuments: 5 });
  });

  it('exits non-zero with a one-line reason when a file fails, still printing the JSON report', async () => {
    const db = testDatabaseTarget(dir, 'bad');
    const good = join(dir, 'good.txt');
    const bad = join(dir, 'bad.csv');
    writeFileSync(good, 'A good article.');
    writeFileSync(bad, 'title,outlet\nA,B\n');
    const r = await cli('import', good, bad, '--json', '--source', 'Flag Source', '--db', db);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`framescope: import failed: ${bad}: no text column in the CSV header (looked for text, content, body, article, article_text, full_text, fulltext, maintext; columns: title, outlet); use --map text=<column>\n`);
    expect(JSON.parse(r.stdout).files.map((f: { status: string }) => f.status)).toEqual(['imported', 'failed']);
  });

  it('refuses an unknown --map field before touching the database', async () => {
    const r = await cli('import', join(dir, 'good.txt'), '--map', 'body=content', '--db', testDatabaseTarget(dir, 'map'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('framescope: --map field "body" is unknown (use text, title, author, source, published, url, language, country, notes, id, label, stance, themes)\n');
  });

  it('takes --db and --json before the command name as well as after, printing only JSON on stdout', async () => {
    const db = testDatabaseTarget(dir, 'global');
    const file = join(dir, 'global.txt');
    writeFileSync(file, 'An article imported with global options first.');
    const r = await cli('--db', db, '--json', 'import', file, '--source', 'Front');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).totals.documents).toBe(1);
    const stats = await cli('--json', 'stats', `--db=${db}`);
    expect(JSON.parse(stats.stdout)).toMatchObject({ sources: 1, documents: 1 });
    const after = await cli('stats', '--db', db, '--json');
    expect(JSON.parse(after.stdout)).toEqual(JSON.parse(stats.stdout));
  });

  it('imports a CSV with bad rows, lists them in --json, writes them to --rejects and exits 0; --strict imports none and exits 1', async () => {
    const db = testDatabaseTarget(dir, 'rows');
    const csv = join(dir, 'rows.csv');
    const rejects = join(dir, 'rows.rejects.csv');
    writeFileSync(csv, 'text,outlet,date\nFirst.,Wire,2024-05-01\n,Wire,2024-05-02\nThird.,Wire,5/3/2024\n');
    const strict = await cli('import', csv, '--strict', '--json', '--db', db);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe(`framescope: import failed: ${csv}: 1 of 3 rows rejected, so --strict imports none of the file; first: line 3 (text): no text\n`);
    expect(JSON.parse(strict.stdout).totals).toMatchObject({ documents: 0, rejected: 1, failed: 1 });
    const r = await cli('import', csv, '--json', '--rejects', rejects, '--date-order', 'dmy', '--db', db);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.files[0]).toMatchObject({ status: 'imported', documents: 2, rejected: 1, rejects: [{ line: 3, column: 'text', reason: 'no text' }], rejectsFile: rejects });
    expect(r.stderr).toBe('framescope: 1 rows rejected (listed in the report)\n');
    expect(readFileSync(rejects, 'utf8')).toBe('text,outlet,date\n,Wire,2024-05-02\n');
  });

  it('refuses a --date-order it does not know before touching the database', async () => {
    const r = await cli('import', join(dir, 'rows.csv'), '--date-order', 'ydm', '--db', testDatabaseTarget(dir, 'order'));
    expect([r.code, r.stderr]).toEqual([1, 'framescope: --date-order must be mdy, dmy, ymd (got "ydm")\n']);
  });
});
