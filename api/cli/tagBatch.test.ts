import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../db/client.ts';
import { testDatabaseTarget } from '../../db/testing.ts';
import { createRun } from '../tagging/runs.ts';
import { testDeps, runCli } from '../testing.ts';
import { seedCorpus } from '../fixtures.ts';
import { startTestServer, type TestServer } from '../providers/testing/server.ts';

/** Every stored suggestion by passage text, without what differs between runs (ids, batch ids, request ids, costs). */
function suggestionsOf(db: Db) {
  return db.$client
    .prepare(
      `SELECT p.text, s.label, s.stance, s.themes, s.confidence, s.rationale, s.evidence, s.substantive, s.model, s.prompt_version AS "promptVersion", s.prompt_hash AS "promptHash", s.cache_key AS "cacheKey"
       FROM suggestions s JOIN items i ON i.id = s.item_id JOIN passages p ON p.id = i.passage_id ORDER BY p.text, s.sample_index`,
    )
    .all();
}

let dir = '';
let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('tag --batch', () => {
  it('survives a SIGKILL after its batches were submitted: resumed, it polls the same batches, submits nothing twice and stores what an online run stores', async () => {
    dir = mkdtempSync(join(tmpdir(), 'framescope-batch-'));
    server = await startTestServer();
    const passages = Array.from({ length: 120 }, (_, i) => ({ text: `Passage ${i} about the customs union and its members.` }));
    const dbPath = testDatabaseTarget(dir, 'batch');
    const db = openDb(dbPath);
    seedCorpus(db, [{ name: 'Outlet', documents: [{ title: 'One', passages }] }]);
    db.$client.close();
    const env = { OPENAI_BASE_URL: server.url, FRAMESCOPE_MODEL: 'test-model', FRAMESCOPE_BATCH_POLL_MS: '20', FRAMESCOPE_BATCH_MAX_REQUESTS: '50' };
    // The online run in this process: the same server, the same passages, another database.
    const deps = testDeps({ env: { OPENAI_BASE_URL: server.url, FRAMESCOPE_MODEL: 'test-model' } });
    seedCorpus(deps.db, [{ name: 'Outlet', documents: [{ title: 'One', passages }] }]);
    const { job } = createRun(deps, { levels: ['passage'] }, 'test');
    expect((await deps.jobs.settled(job.id)).state).toBe('completed');

    // Held: no batch finishes before the kill.
    server.batches.hold();
    const killed = await runCli(['tag', '--batch', '--level', 'passage', '--json', '--db', dbPath], env, (child) => {
      const poll = setInterval(() => {
        if (server!.batches.created.length === 3) {
          clearInterval(poll);
          child.kill('SIGKILL');
        }
      }, 5);
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(server.batches.created.map((b) => b.customIds.length)).toEqual([50, 50, 20]);
    server.batches.release();

    const resumed = await runCli(['tag', '--resume', '1', '--json', '--db', dbPath], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'completed', itemsTotal: 120, itemsDone: 120, itemsFailed: 0 });
    expect(server.batches.created.length, 'no batch submitted again').toBe(3);
    const customIds = server.batches.created.flatMap((b) => b.customIds);
    expect(new Set(customIds).size, 'no item in two batches').toBe(120);
    const check = openDb(dbPath);
    expect(suggestionsOf(check)).toEqual(suggestionsOf(deps.db));
    check.$client.close();
  }, 120_000);
});
