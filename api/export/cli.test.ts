import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { seedLabelled } from './testing.ts';

const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'api/cli.ts', 'export', ...args], { encoding: 'utf8' });

// Each case starts the real CLI (tsx compiles it on start), so allow more than the default 30 s on a busy machine.
const SLOW = 90_000; // 90 s

describe('the export command', () => {
  let dir: string;
  let dbPath: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'framescope-export-cli-'));
    dbPath = join(dir, 'framescope.db');
    const db = openDb(dbPath);
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
    expect(readFileSync(out, 'utf8').split('\r\n').filter((l) => l.startsWith('1,'))).toHaveLength(2);
  }, SLOW);

  it('writes to stdout without --out, and refuses a bad filter with one line, writing nothing', () => {
    const run = cli('--db', dbPath, '--format', 'jsonl', '--level', 'document', '--status', 'reviewed');
    expect(run.status).toBe(0);
    expect(run.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { final_label: string }).final_label)).toEqual(['critical']);

    const out = join(dir, 'bad.csv');
    const bad = cli('--db', dbPath, '--labels', 'nope', '--out', out);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('framescope: labels: "nope" is not a label of the codebook (integrationist, critical, analytical)\n');
    expect(existsSync(out)).toBe(false);
  }, SLOW);
});
