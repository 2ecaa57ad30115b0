import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
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

describe('import command', () => {
  it('imports the shared corpus folder with --json, then reports every file unchanged', async () => {
    const db = join(dir, 'corpus.db');
    const first = await cli('import', CORPUS, '--json', '--db', db);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).totals).toEqual({ files: 5, imported: 5, unchanged: 0, failed: 0, documents: 5, unchangedDocuments: 0, passages: 135, labels: 0 });
    const again = await cli('import', CORPUS, '--json', '--db', db);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).totals).toEqual({ files: 5, imported: 0, unchanged: 5, failed: 0, documents: 0, unchangedDocuments: 5, passages: 0, labels: 0 });
  });

  it('exits non-zero with a one-line reason when a file fails, still printing the JSON report', async () => {
    const db = join(dir, 'bad.db');
    const good = join(dir, 'good.txt');
    const bad = join(dir, 'bad.csv');
    writeFileSync(good, 'A good article.');
    writeFileSync(bad, 'text,title\nrow one,A\nrow two\n');
    const r = await cli('import', good, bad, '--json', '--source', 'Flag Source', '--db', db);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`framescope: import failed: ${bad}: row 2 has 1 fields but the header has 2\n`);
    expect(JSON.parse(r.stdout).files.map((f: { status: string }) => f.status)).toEqual(['imported', 'failed']);
  });

  it('refuses an unknown --map field before touching the database', async () => {
    const r = await cli('import', join(dir, 'good.txt'), '--map', 'body=content', '--db', join(dir, 'map.db'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('framescope: --map field "body" is unknown (use text, title, author, source, published, url, language, country, notes, label, stance, themes)\n');
  });
});
