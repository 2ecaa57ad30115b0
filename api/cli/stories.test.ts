import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseTarget } from '../../db/testing.ts';
import { runCli } from '../cli.ts';
import { openAppDb } from '../db.ts';
import { seedCorpus } from '../fixtures.ts';
import { storyCorpus } from '../stories/testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'fs-cli-stories-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in this process, capturing what it prints. */
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

describe('stories group and list', () => {
  it('groups the corpus as a job and lists the stories; a threshold out of range is refused with one line', async () => {
    const db = testDatabaseTarget(dir, 'stories');
    const seeded = openAppDb(db);
    seedCorpus(seeded, storyCorpus());
    seeded.$client.close();

    const grouped = await cli('stories', 'group', '--db', db, '--window-days', '3', '--json');
    expect(grouped.code, grouped.stderr).toBe(0);
    expect(JSON.parse(grouped.stdout)).toMatchObject({ documents: 9, stories: 3, created: 3 });
    const listed = await cli('stories', 'list', '--db', db, '--json');
    expect((JSON.parse(listed.stdout) as { stories: { title: string; sourceCount: number }[] }).stories.map((s) => [s.title, s.sourceCount])).toEqual([
      ['Kessin river bursts its banks, hundreds evacuated from Lunden', 2],
      ['Drelland central bank raises its main rate to 4.5 percent', 2],
      ['Dockworkers walk out at Valmora port over night-shift pay', 3],
    ]);
    const refused = await cli('stories', 'group', '--db', db, '--threshold', '2');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('framescope: threshold: Too big: expected number to be <=0.99\n');
    const noProvider = await cli('stories', 'group', '--db', db, '--llm-check');
    expect(noProvider.code).toBe(2);
    expect(noProvider.stderr).toBe('framescope: the story check needs a provider: OPENAI_API_KEY or OPENAI_BASE_URL, or a provider profile\n');
  });
});
