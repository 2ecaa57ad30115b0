import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { badRequest, zodIssueText } from '../errors.ts';
import { DEFAULT_OPENAI_MODEL } from '../providers/index.ts';
import { classifyError, isUnsupportedSchema, openAIClient } from '../providers/openai.ts';
import { getProfile, profileProviderOptions } from '../providers/profiles/service.ts';
import { newNonce, PROMPTS_DIR, singleLine } from '../tagging/prompts.ts';
import type { CheckAnswer } from './grouping.ts';

/** The prompt the borderline check sends (prompts/templates/story-check-v1.txt). */
export const STORY_CHECK_PROMPT = 'story-check-v1';

const AnswerSchema = z.object({ same: z.boolean(), reason: z.string() });

/** One article as the check shows it. */
export interface CheckedArticle {
  source: string;
  title: string;
  /** YYYY-MM-DD or null. */
  date: string | null;
  lead: string;
}

/** Characters of each article's opening the check sends at most. */
const MAX_LEAD_CHARS = 2_000;

/** Where the check asks: a stored provider profile, or the environment's OpenAI-compatible server. */
export interface CheckProvider {
  profileId?: number;
  model?: string;
}

/** The prompt for one pair: both articles inside one pair of data markers whose code is fresh for the request. */
export function renderCheckPrompt(a: CheckedArticle, b: CheckedArticle, nonce = newNonce()): { system: string; user: string } {
  const template = readFileSync(join(PROMPTS_DIR, `${STORY_CHECK_PROMPT}.txt`), 'utf8');
  const match = /^=== system ===\n([\s\S]*?)\n=== user ===\n([\s\S]*)$/.exec(template)!;
  const values: Record<string, string> = { nonce };
  for (const [side, x] of [['A', a], ['B', b]] as const) {
    values[`source${side}`] = singleLine(x.source) || '[unknown]';
    values[`title${side}`] = singleLine(x.title) || '[none]';
    values[`date${side}`] = x.date ?? '[undated]';
    values[`text${side}`] = x.lead.slice(0, MAX_LEAD_CHARS);
  }
  // One pass, so a placeholder-looking string inside an article is never expanded.
  const fill = (s: string) => s.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
  return { system: fill(match[1]!.trimEnd()), user: fill(match[2]!.trimEnd()) };
}

/** Reads a completion's content: an answer, or why it is not one. */
function readAnswer(message: { content?: string | null; refusal?: string | null } | undefined, finish: string | undefined): CheckAnswer {
  if (message?.refusal) return { kind: 'failed', reason: `refusal: ${singleLine(message.refusal, 200)}` };
  if (finish === 'length' || finish === 'content_filter') return { kind: 'failed', reason: `finish_reason ${finish}` };
  let raw: unknown;
  try {
    raw = JSON.parse(message?.content ?? '');
  } catch {
    return { kind: 'failed', reason: 'malformed answer: not JSON' };
  }
  const parsed = AnswerSchema.safeParse(raw);
  if (!parsed.success) return { kind: 'failed', reason: `malformed answer: ${zodIssueText(parsed.error, { root: 'answer' })}` };
  return { kind: parsed.data.same ? 'yes' : 'no', reason: singleLine(parsed.data.reason, 200) };
}

/**
 * The borderline check through the configured OpenAI-compatible provider (a profile, or the
 * environment's): "same event? yes/no" with both articles as untrusted data. Any failure (an
 * SDK error by class, a refusal, a cut or malformed answer) is a `failed` answer with its reason,
 * so the grouping keeps its own decision and says why.
 */
export function storyChecker(db: Db, config: Config, provider: CheckProvider): (a: CheckedArticle, b: CheckedArticle) => Promise<CheckAnswer> {
  const options = provider.profileId !== undefined ? profileProviderOptions(db, getProfile(db, provider.profileId), provider.model) : { apiKey: config.openai.apiKey, baseURL: config.openai.baseURL, model: provider.model ?? config.openai.model };
  if (provider.profileId === undefined && !config.openai.apiKey && !config.openai.baseURL) {
    throw badRequest('the story check needs a provider: OPENAI_API_KEY or OPENAI_BASE_URL, or a provider profile', 'provider_not_configured');
  }
  const model = options.model ?? DEFAULT_OPENAI_MODEL;
  const client: OpenAI = openAIClient({ ...options, timeoutMs: 60_000 });
  let format: 'json_schema' | 'json_object' = 'json_schema';
  return async (a, b) => {
    const prompt = renderCheckPrompt(a, b);
    const ask = () =>
      client.chat.completions.create({
        model,
        temperature: 0,
        max_tokens: 200,
        response_format: format === 'json_schema' ? zodResponseFormat(AnswerSchema, 'same_event') : { type: 'json_object' },
        messages: [
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user },
        ],
      });
    try {
      let completion;
      try {
        completion = await ask();
      } catch (err) {
        if (format === 'json_object' || !isUnsupportedSchema(err)) throw err;
        format = 'json_object';
        completion = await ask();
      }
      const choice = completion.choices[0];
      return readAnswer(choice?.message, choice?.finish_reason);
    } catch (err) {
      return { kind: 'failed', reason: classifyError(err).error };
    }
  };
}
