import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppDb } from '../db.ts';
import { readCsv, readJsonl, seedLabelled } from './testing.ts';

const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'api/cli.ts', 'export', ...args], { encoding: 'utf8' });

// Each case starts the real CLI (tsx compiles it on start), so allow more than the default 30 s on a busy machine.
const SLOW = 90_000; // 90 s

describe('the export command', () => {
  let dir: string;
  let dbPath: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'framescope-export-cli-'));
    dbPath = join(dir, 'framescope.db');
    const db = openAppDb(dbPath);
    seedLabelled(db);
    db.$client.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the file named by --out and reports the row count on stderr', () => {
    const out = join(dir, 'reviewed.csv');
    const run = cli('--db', dbPath, '--format', 'csv', '--level', 'passage', '--status', 'reviewed', '--out', out);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`exported 2 passages to ${out}`);
    expect(readCsv(readFileSync(out)).rows.map((r) => r.final_label)).toEqual(['integrationist', 'analytical']);
    expect(existsSync(`${out}.partial`)).toBe(false);
  }, SLOW);

  it('removes a .partial left by a killed export before writing, and that half file never reads as complete', () => {
    const out = join(dir, 'final.csv');
    const whole = cli('--db', dbPath, '--format', 'csv', '--status', 'all', '--out', out);
    expect(whole.status).toBe(0);
    const bytes = readFileSync(out);
    // What kill -9 halfway through leaves: the first part of the file, under the .partial name.
    writeFileSync(`${out}.partial`, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(() => readCsv(readFileSync(`${out}.partial`))).toThrow();
    rmSync(out);
    const again = cli('--db', dbPath, '--format', 'csv', '--status', 'all', '--out', out);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain(`framescope: removed ${out}.partial, left by an export that did not finish`);
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect(readFileSync(out)).toEqual(bytes);
  }, SLOW);

  it('writes to stdout without --out, and refuses a bad filter with one line, writing nothing', () => {
    const run = cli('--db', dbPath, '--format', 'jsonl', '--level', 'document', '--status', 'reviewed');
    expect(run.status).toBe(0);
    expect(readJsonl(Buffer.from(run.stdout)).map((r) => r.final_label)).toEqual(['critical']);

    const out = join(dir, 'bad.csv');
    const bad = cli('--db', dbPath, '--labels', 'nope', '--out', out);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('framescope: labels: "nope" is not a label of the codebook (integrationist, critical, analytical)\n');
    expect(existsSync(out)).toBe(false);
  }, SLOW);
});
