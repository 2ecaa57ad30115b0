import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../testing.ts';
import { runImport } from './import.ts';
import { collectFiles, entryPathProblem } from './manifest.ts';
import { diskSource } from './sources.ts';

const root = mkdtempSync(join(tmpdir(), 'fs-manifest-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A corpus folder inside `root`, with a secret file next to it (outside the folder). */
function corpus(entries: string[], name: string) {
  const dir = join(root, name, 'corpus');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, name, 'secret.txt'), 'Secret text that must never be imported.');
  writeFileSync(join(dir, 'good.txt'), 'A good article inside the folder.');
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(entries.map((file) => ({ file, source: 'Inside' }))));
  return dir;
}

describe('manifest entries stay inside their folder', () => {
  it('refuses .., absolute and backslash paths from their text alone', () => {
    expect(['../secret.txt', 'a/../../secret.txt', '/etc/passwd', 'C:\\secret.txt', 'a\\..\\b.txt', 'sub/../good.txt'].map(entryPathProblem)).toEqual([
      `"../secret.txt" is not a path inside the folder (entries name files relative to the manifest's folder, without ..)`,
      `"a/../../secret.txt" is not a path inside the folder (entries name files relative to the manifest's folder, without ..)`,
      `"/etc/passwd" is not a path inside the folder (entries name files relative to the manifest's folder, without ..)`,
      `"C:\\secret.txt" is not a path inside the folder (entries name files relative to the manifest's folder, without ..)`,
      `"a\\..\\b.txt" is not a path inside the folder (entries name files relative to the manifest's folder, without ..)`,
      `"sub/../good.txt" is not a path inside the folder (entries name files relative to the manifest's folder, without ..)`,
    ]);
    expect(entryPathProblem('sub/article.txt')).toBeNull();
  });

  it('imports the good entries and refuses the escaping ones alike whether their target exists or not', async () => {
    const dir = corpus(['good.txt', '../secret.txt', '../no-such-file.txt', '/etc/hostname', '/no/such/file'], 'escape');
    const { files, failures } = collectFiles([dir]);
    expect(files.map((f) => f.path)).toEqual([join(dir, 'good.txt')]);
    const reasons = failures.map((f) => f.error.replace(/"[^"]*"/, '"X"'));
    expect(new Set(reasons).size).toBe(1);
    expect(reasons[0]).toBe(`manifest.json: "X" is not a path inside the folder (entries name files relative to the manifest's folder, without ..)`);
    const db = createTestDb();
    const report = await runImport(db, files.map(diskSource), { origin: 'cli' });
    expect(report.totals).toMatchObject({ documents: 1 });
  });

  it('refuses a link that leads out of the folder, and a folder link, in the same words whether the target exists or not', () => {
    const dir = corpus(['good.txt', 'link.txt', 'dangling.txt', 'linked-dir/secret.txt'], 'links');
    symlinkSync(join(dir, '..', 'secret.txt'), join(dir, 'link.txt'));
    symlinkSync(join(dir, '..', 'missing.txt'), join(dir, 'dangling.txt'));
    symlinkSync(join(dir, '..'), join(dir, 'linked-dir'));
    const { files, failures } = collectFiles([dir]);
    expect(files.map((f) => f.path)).toEqual([join(dir, 'good.txt')]);
    const shown = relative(process.cwd(), dir);
    expect(failures.map((f) => f.error)).toEqual(
      ['link.txt', 'dangling.txt', 'linked-dir/secret.txt'].map((f) => `manifest.json: "${f}" does not resolve to a file inside ${shown} (links out of the folder are not followed)`),
    );
  });

  it('fails a missing entry alone, naming it', () => {
    const dir = corpus(['good.txt', 'gone.txt'], 'missing');
    const { files, failures } = collectFiles([dir]);
    expect(files).toHaveLength(1);
    expect(failures[0]!.error).toMatch(/^manifest\.json names gone\.txt, which does not exist in /);
  });
});
