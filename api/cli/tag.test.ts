import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testDatabaseTarget } from '../../db/testing.ts';
import { openDb } from '../../db/client.ts';
import { openAppDb } from '../db.ts';
import { seedCorpus } from '../fixtures.ts';
import { createProfile } from '../providers/profiles/service.ts';
import { runCli } from '../testing.ts';
import { startTestServer, type TestServer } from '../providers/testing/server.ts';

const corpus = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');

let dir = '';
let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the tag command', () => {
  it('gives every non-excluded passage and every document of the shared corpus a local-baseline suggestion with verified evidence when no key is set', async () => {
    dir = mkdtempSync(join(tmpdir(), 'framescope-tag-'));
    const dbPath = testDatabaseTarget(dir);
    expect((await runCli(['import', corpus, '--db', dbPath, '--json'])).code).toBe(0);
    const res = await runCli(['tag', '--json', '--db', dbPath]);
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout) as { status: string; provider: string; model: string; itemsTotal: number; itemsDone: number; itemsFailed: number };
    const db = openDb(dbPath);
    const expected = db.$client.prepare('SELECT (SELECT count(*) FROM passages WHERE excluded = FALSE) + (SELECT count(*) FROM documents) AS n').get() as { n: number };
    expect(summary).toMatchObject({ status: 'completed', provider: 'local', itemsTotal: expected.n, itemsDone: expected.n, itemsFailed: 0 });
    expect(summary.model, 'the stored model version: family, training-set size, hash').toMatch(/^local-baseline-v2\.n0\.[0-9a-f]{8}$/);
    const missing = db.$client
      .prepare(`SELECT count(*) AS n FROM items i WHERE i.excluded = FALSE AND NOT EXISTS (SELECT 1 FROM suggestions s WHERE s.item_id = i.id AND s.provider = 'local')`)
      .get() as { n: number };
    expect(missing.n).toBe(0);
    const rows = db.$client.prepare('SELECT s.label, s.stance, s.themes, s.confidence, s.evidence, i.level, coalesce(p.text, d.text) AS text FROM suggestions s JOIN items i ON i.id = s.item_id JOIN documents d ON d.id = i.document_id LEFT JOIN passages p ON p.id = i.passage_id').all() as {
      label: string;
      stance: number;
      themes: string;
      confidence: number;
      evidence: string;
      text: string;
    }[];
    for (const r of rows) {
      expect(['integrationist', 'critical', 'analytical']).toContain(r.label);
      expect(r.stance).toBeGreaterThanOrEqual(-2);
      expect(r.stance).toBeLessThanOrEqual(2);
      expect(Array.isArray(JSON.parse(r.themes))).toBe(true);
      expect(r.confidence).toBeGreaterThan(0);
      const evidence = JSON.parse(r.evidence) as { quote: string; verified: boolean; start: number; end: number }[];
      expect(evidence.length).toBeGreaterThan(0);
      for (const e of evidence) expect(r.text.slice(e.start, e.end), 'evidence offsets point at the quote').toBe(e.quote);
    }
    db.$client.close();
  }, 90_000);

  it('loses nothing and tags nothing twice when killed with SIGKILL mid-run and resumed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'framescope-tag-'));
    const dbPath = testDatabaseTarget(dir);
    const db = openDb(dbPath);
    const passages = Array.from({ length: 30 }, (_, i) => ({ text: `Passage ${i} about the customs union and its members.` }));
    seedCorpus(db, [{ name: 'Outlet', documents: [{ title: 'One', passages }] }]);
    server = await startTestServer({ latencyMs: 300 });
    const env = { OPENAI_BASE_URL: server.url, FRAMESCOPE_MODEL: 'test-model' };

    const killed = await runCli(['tag', '--level', 'passage', '--concurrency', '3', '--db', dbPath, '--json'], env, (child) => {
      const timer = setInterval(() => {
        const row = db.$client.prepare('SELECT items_done AS n FROM tagging_runs WHERE id = 1').get() as { n: number } | undefined;
        if (row && row.n >= 3) {
          clearInterval(timer);
          child.kill('SIGKILL');
        }
      }, 20);
    });
    expect(killed.signal).toBe('SIGKILL');
    const before = db.$client.prepare("SELECT status, items_done AS done FROM tagging_runs WHERE id = 1").get() as { status: string; done: number };
    expect(before.status).toBe('running');
    expect(before.done).toBeLessThan(30);
    const writtenAtKill = (db.$client.prepare('SELECT count(*) AS n FROM suggestions').get() as { n: number }).n;
    const askedAtKill = server.requests.length;

    const resumed = await runCli(['tag', '--resume', '1', '--db', dbPath, '--json'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'completed', itemsTotal: 30, itemsDone: 30, itemsFailed: 0 });
    const perItem = db.$client.prepare('SELECT i.id, count(s.id) AS n FROM items i LEFT JOIN suggestions s ON s.item_id = i.id WHERE i.level = ? GROUP BY i.id').all('passage') as { n: number }[];
    expect(perItem.map((r) => r.n)).toEqual(Array(30).fill(1));
    // The resume asks exactly the items with nothing stored at the kill ...
    expect(server.requests.length - askedAtKill).toBe(30 - writtenAtKill);
    // ... so the only items asked twice are the ones asked and not yet written when the process died:
    // those in flight (at most the concurrency, 3) and those answered but still waiting for the
    // writer, which writes every 100 ms (at 300 ms latency, at most another concurrency's worth).
    expect(askedAtKill - writtenAtKill).toBeLessThanOrEqual(2 * 3);
    db.$client.close();
  }, 90_000);

  it('tags with a provider profile named by --profile, sending its key from the key file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'framescope-tag-'));
    const dbPath = testDatabaseTarget(dir);
    server = await startTestServer({ apiKey: 'sk-profile-cli-key-5150' });
    const db = openAppDb(dbPath);
    seedCorpus(db, [{ name: 'Outlet', documents: [{ title: 'T', passages: [{ text: 'The customs union grew.' }, { text: 'Talks resumed in Minsk.' }] }] }]);
    createProfile(db, { name: 'lab server', preset: 'vllm', baseUrl: server.url, defaultModel: 'test-model', apiKey: 'sk-profile-cli-key-5150' }, 'test', new Date());
    db.$client.close();
    const res = await runCli(['tag', '--profile', 'lab server', '--level', 'passage', '--json', '--db', dbPath]);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ status: 'completed', provider: 'openai', model: 'test-model', itemsDone: 2, itemsFailed: 0 });
    expect(res.stderr).toContain('via profile "lab server"');
    expect(res.stderr).not.toContain('sk-profile-cli-key-5150');
    expect(server.authorizations).toEqual(['Bearer sk-profile-cli-key-5150', 'Bearer sk-profile-cli-key-5150']);
    const unknown = await runCli(['tag', '--profile', 'nope', '--db', dbPath]);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([2, 'framescope: no provider profile "nope" (there are: lab server)']);
  }, 60_000);
});
