import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseTarget } from '../../db/testing.ts';
import { runCli } from '../cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'fs-cli-codebook-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

const TEAM = {
  name: 'media-bias',
  version: '2',
  labels: [
    { id: 'left', name: 'Left', definition: 'Leans left.' },
    { id: 'center', name: 'Center', definition: 'Balanced.' },
    { id: 'right', name: 'Right', definition: 'Leans right.' },
  ],
  stance: { target: 'the government', min: -1, max: 1 },
  themes: [{ id: 'economy', name: 'Economy' }],
};

describe('codebook command', () => {
  it('lists, adds, shows and activates codebooks; a labelled CSV for the added codebook imports once it is active', async () => {
    const db = testDatabaseTarget(dir, 'cb');
    const file = join(dir, 'team.json');
    writeFileSync(file, JSON.stringify(TEAM));
    const csv = join(dir, 'coded.csv');
    writeFileSync(csv, 'id,text,outlet,label\nT-1,Budget talks resume in the capital.,Daily A,center\n');

    const before = await cli('codebook', 'list', '--json', '--db', db);
    expect(JSON.parse(before.stdout).codebooks.map((c: { name: string; active: boolean }) => [c.name, c.active])).toEqual([['post-soviet-integration', true]]);

    const added = await cli('--db', db, 'codebook', 'add', file, '--json');
    expect(added.code).toBe(0);
    const id = JSON.parse(added.stdout).id as number;
    expect(JSON.parse(added.stdout)).toMatchObject({ name: 'media-bias', version: '2', active: false, labels: ['left', 'center', 'right'] });

    const refused = await cli('import', csv, '--json', '--db', db);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).files[0].rejects[0].reason).toContain(`activate it with "framescope codebook activate ${id}"`);

    const activated = await cli('codebook', 'activate', 'media-bias@2', '--db', db);
    expect([activated.code, activated.stderr]).toEqual([0, `codebook ${id} media-bias@2 is now active\n`]);
    const imported = await cli('import', csv, '--json', '--db', db);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout).totals).toMatchObject({ documents: 1, labels: 1, rejected: 0 });

    const shown = await cli('codebook', 'show', '--db', db);
    expect(shown.stdout.split('\n').slice(0, 6)).toEqual([`media-bias 2 (id ${id}, active)`, '', 'Labels:', '  left: Left: Leans left.', '  center: Center: Balanced.', '  right: Right: Leans right.']);
    const listed = await cli('codebook', 'list', '--db', db);
    expect(listed.stdout).toBe(`    1  post-soviet-integration@1  3 labels, 15 themes\n* ${String(id).padStart(3)}  media-bias@2  3 labels, 1 themes\n`);
  });

  it('refuses an invalid codebook file and an unknown reference with one line', async () => {
    const db = testDatabaseTarget(dir, 'bad');
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...TEAM, labels: [TEAM.labels[0]] }));
    const bad = await cli('codebook', 'add', file, '--db', db);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^framescope: .*labels.*\n$/);
    const unknown = await cli('codebook', 'activate', 'nope@9', '--db', db);
    expect([unknown.code, unknown.stderr]).toEqual([1, 'framescope: codebook: no stored codebook "nope@9" (stored: 1 post-soviet-integration@1); give an id, name@version or a name\n']);
  });
});
