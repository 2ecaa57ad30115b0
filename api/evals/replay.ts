import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { badRequest, zodIssueText } from '../errors.ts';
import { JsonValueSchema } from '../json.ts';
import type { ClassifyRequest, ClassifyResult, Provider } from '../providers/types.ts';
import { NONCE_PLACEHOLDER } from '../tagging/prompts.ts';

/**
 * Recorded model answers: every raw ClassifyResult the provider returned during an eval, keyed by
 * the exact prompt it answered. Replaying a recording feeds those answers back through the same
 * suggestion code (codebook checks, evidence verification), so a published result can be
 * reproduced without calling the model again.
 */
export interface Recording {
  format: 'framescope-eval-recording';
  version: 1;
  provider: { name: Provider['name']; model: string; displayName: string; params: Provider['params']; price: Provider['price'] };
  answers: { key: string; result: ClassifyResult }[];
}

const RecordingSchema = z.object({
  format: z.literal('framescope-eval-recording'),
  version: z.literal(1),
  provider: z.object({
    name: z.enum(['openai', 'local']),
    model: z.string(),
    displayName: z.string(),
    params: z.record(z.string(), JsonValueSchema),
    price: z.object({ inputPerMTok: z.number(), outputPerMTok: z.number() }).nullable(),
  }),
  answers: z.array(z.object({ key: z.string(), result: z.custom<ClassifyResult>((v) => typeof v === 'object' && v !== null && 'ok' in v) })),
});

/** The key of one request: the level and the rendered prompt, which fix what the model saw (the per-request marker nonce left out). */
export function requestKey(request: ClassifyRequest): string {
  const { system, user } = request.messages;
  const plain = (s: string) => (request.nonce ? s.split(request.nonce).join(NONCE_PLACEHOLDER) : s);
  return createHash('sha256').update(JSON.stringify([request.level, plain(system), plain(user)])).digest('hex');
}

/** Wraps a provider so every answer it gives is appended to `recording.answers`. */
export function recordingProvider(inner: Provider, recording: Recording): Provider {
  return {
    name: inner.name,
    model: inner.model,
    displayName: inner.displayName,
    params: inner.params,
    price: inner.price,
    async classify(request, options) {
      const result = await inner.classify(request, options);
      recording.answers.push({ key: requestKey(request), result });
      return result;
    },
  };
}

/** An empty recording for answers from `provider`. */
export function newRecording(provider: Pick<Provider, 'name' | 'model' | 'displayName' | 'params' | 'price'>): Recording {
  return { format: 'framescope-eval-recording', version: 1, provider: { name: provider.name, model: provider.model, displayName: provider.displayName, params: provider.params, price: provider.price }, answers: [] };
}

/** Reads and validates a recording file. */
export function readRecording(path: string): Recording {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw badRequest(`recording ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message}`, 'invalid_recording');
  }
  const parsed = RecordingSchema.safeParse(json);
  if (!parsed.success) {
    throw badRequest(`recording ${path}: ${zodIssueText(parsed.error, { root: 'file' })}`, 'invalid_recording');
  }
  return parsed.data as Recording;
}

/**
 * A provider that answers from a recording: the n-th request with a given key gets the n-th
 * recorded answer for that key. A request that was never recorded is an error, because a
 * replay that silently asked something else would not reproduce the result.
 */
export function replayProvider(recording: Recording): Provider {
  const queues = new Map<string, ClassifyResult[]>();
  for (const a of recording.answers) queues.set(a.key, [...(queues.get(a.key) ?? []), a.result]);
  return {
    ...recording.provider,
    async classify(request) {
      const next = queues.get(requestKey(request))?.shift();
      if (!next) throw badRequest('replay: the recording has no answer for one of the requests (different gold set, prompt, codebook or repeats?)', 'replay_mismatch');
      return next;
    },
  };
}
