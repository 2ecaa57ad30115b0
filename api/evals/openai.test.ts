import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { startTestServer, type TestServer } from '../providers/testing/server.ts';
import { DEFAULT_CODEBOOK_FILE, loadCodebookFile } from '../codebooks/definition.ts';
import { loadGoldFile } from './gold.ts';
import { evaluate } from './service.ts';

const GOLD = join('evals', 'gold', 'shared-corpus.v1.jsonl');
const CORPUS = join('..', 'shared', 'corpus');

describe('eval runner against the scripted OpenAI-compatible test server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      // Refuse the Dugin article's first passage and the whole Dugin document (its text starts the same way);
      // answer outside the codebook for one Xusheng passage. Masked and unmasked asks both hit the script.
      script: (ctx) => (ctx.text.startsWith('When it became clear') ? { kind: 'refusal' } : ctx.text === 'So Kazakhstan is in a panic.' ? { kind: 'schema_break' } : { kind: 'answer' }),
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('scores every gold item over HTTP through the tagging path and counts failures, tokens and latency', async () => {
    const config = loadConfig({ OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'test-key' });
    const dir = mkdtempSync(join(tmpdir(), 'framescope-evals-openai-'));
    const { result, paths } = await evaluate({ provider: 'openai', model: 'scripted-test-model', gold: GOLD, corpusDir: CORPUS, resultsDir: dir, name: 'openai-test', outletBias: true, bootstrapIterations: 200 }, { config });
    expect(paths).toEqual({ json: join(dir, 'openai-test.json'), markdown: join(dir, 'openai-test.md') });
    expect(result.provenance).toMatchObject({ provider: 'openai', model: 'scripted-test-model', protocol: { kind: 'none' } });
    // 140 masked asks plus 103 unmasked ones for the outlet comparison.
    expect(result.reliability.asked).toBe(243);
    expect(result.reliability.failuresByKind).toEqual({ refusal: 4, invalid_output: 2 });
    expect(result.reliability.schemaValid).toBe(237);
    // Every gold text reached the server (the duplicated headline and byline are the same text).
    const goldTexts = new Set(loadGoldFile(GOLD, CORPUS, loadCodebookFile(DEFAULT_CODEBOOK_FILE)).items.map((i) => i.text));
    expect(goldTexts.size).toBe(138);
    expect(new Set(server.requests.map((r) => r.text))).toEqual(goldTexts);
    expect(result.items.find((i) => i.id === 'dugin-eurasian-macro-state.txt#0')).toMatchObject({ predicted: null, error: 'refusal' });
    expect(result.items.find((i) => i.id === 'xusheng-post-soviet-union.txt#50')).toMatchObject({ predicted: null, error: 'invalid_output' });
    expect(result.label.confusion.unanswered.reduce((s, x) => s + x, 0)).toBe(3);
    expect(result.cost.tokensIn).toBeGreaterThan(0);
    expect(result.cost.tokensOut).toBeGreaterThan(0);
    expect(result.evidence.quotes).toBeGreaterThan(0);
    expect(result.calibration.n).toBe(100);
    expect(result.outletBias!.n).toBe(100);
  }, 60_000);
});
