import type { Db } from '../../../db/client.ts';
import type { ConnectionTest } from '../../../db/schema/index.ts';
import { getActiveCodebook } from '../../codebooks/service.ts';
import { suggestForText, type SuggestInput } from '../../tagging/suggest.ts';
import { classifyError, createOpenAIProvider, openAIClient } from '../openai.ts';
import { redactText, secretsOf } from '../redact.ts';
import { getProfile, profileProviderOptions, saveConnectionTest } from './service.ts';

/** One short, neutral passage: enough to see whether the server answers in the codebook's shape. */
const PROBE_TEXT = 'The summit ended without an agreement, officials said, and talks will resume next month.';
/** Model ids kept from the server's list. */
const MODELS_KEPT = 100;
/** ms per request of a test */
const TEST_TIMEOUT_MS = 20_000;

/**
 * "Test connection": lists the server's models (GET /v1/models), sends one tiny labelled probe
 * with the active codebook, first with JSON-schema structured output and, if the server refuses
 * or ignores it, in JSON mode; remembers what worked, the latency and the first error on the
 * profile (runs with it then go straight to the mode that works). Network waits only: nothing
 * here holds the CPU.
 */
export async function testConnection(db: Db, profileId: number, now: () => Date, timeoutMs = TEST_TIMEOUT_MS): Promise<ConnectionTest> {
  const profile = getProfile(db, profileId);
  const options = profileProviderOptions(db, profile);
  const secrets = secretsOf(options.baseURL, options.apiKey);
  const clean = (text: string) => redactText(text, secrets);
  const errors: string[] = [];

  let models: string[] | null = null;
  try {
    models = [];
    for await (const m of openAIClient({ ...options, timeoutMs }).models.list()) {
      models.push(m.id);
      if (models.length >= MODELS_KEPT) break;
    }
  } catch (err) {
    models = null;
    errors.push(`listing models failed: ${clean(classifyError(err).error)}`);
  }

  const cb = getActiveCodebook(db);
  const input: SuggestInput = { codebook: { definition: cb.definition, version: cb.version, hash: cb.hash }, level: 'passage', text: PROBE_TEXT, maskOutlet: false };
  let structuredOutput: ConnectionTest['structuredOutput'] = 'none';
  let latencyMs: number | null = null;
  let probeLabel: string | null = null;
  for (const mode of ['json_schema', 'json_object'] as const) {
    const provider = createOpenAIProvider({ ...options, responseFormat: mode, timeoutMs });
    const result = await suggestForText(provider, input, { maxAttempts: 1, timeoutMs });
    if (result.ok) {
      structuredOutput = mode;
      latencyMs = result.suggestion.latencyMs;
      probeLabel = result.suggestion.label;
      break;
    }
    errors.push(`probe with ${mode === 'json_schema' ? 'JSON-schema output' : 'JSON mode'} failed: ${result.errorKind}: ${clean(result.error)}`);
    // Only a refused or unusable answer format is worth trying the other way; no route, key or network is not.
    if (result.errorKind !== 'bad_request' && result.errorKind !== 'invalid_output') break;
  }

  const test: ConnectionTest = {
    testedAt: now().toISOString(),
    ok: structuredOutput !== 'none',
    models,
    latencyMs,
    structuredOutput,
    model: options.model,
    probeLabel,
    error: structuredOutput === 'none' || models === null ? errors.join('; ') : null,
  };
  saveConnectionTest(db, profileId, test);
  return test;
}
