import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { promptVersions } from '../../db/schema/index.ts';
import type { CodebookDefinition } from '../codebooks/definition.ts';
import { badRequest, conflict } from '../errors.ts';
import type { PromptMessages } from '../providers/types.ts';

/**
 * Prompt templates live in prompts/templates/<level>-v<N>.txt as human-readable text with a
 * `=== system ===` and a `=== user ===` section. A version is immutable once used: the first
 * run that uses it stores its text and hash in prompt_versions, and a later edit of the same
 * file is refused until it is saved as a new version.
 */

export const PROMPTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'prompts', 'templates');

export type Level = 'passage' | 'document';

/** A prompt template version as found on disk. */
export const PromptTemplateSchema = z
  .object({
    /** e.g. `passage-v1`: stored on every suggestion as its prompt version. */
    id: z.string(),
    level: z.enum(['passage', 'document']),
    version: z.string(),
    template: z.string(),
    /** sha256 of the template text, hex. */
    hash: z.string(),
  })
  .meta({ id: 'PromptVersion' });
export type PromptTemplate = z.infer<typeof PromptTemplateSchema>;

/** The prompt version each level uses unless told otherwise. */
export const DEFAULT_PROMPT_VERSIONS: Readonly<Record<Level, string>> = { passage: 'passage-v1', document: 'document-v1' };

const FILE_RE = /^(passage|document)-(v\d+)\.txt$/;

const templateCache = new Map<string, { mtimeMs: number; templates: PromptTemplate[] }>();

/** Every prompt template on disk, oldest version first (re-read only when the folder changes). */
export function listPromptTemplates(dir = PROMPTS_DIR): PromptTemplate[] {
  const mtimeMs = statSync(dir).mtimeMs;
  const cached = templateCache.get(dir);
  if (cached && cached.mtimeMs === mtimeMs) return cached.templates;
  const templates = readPromptTemplates(dir);
  templateCache.set(dir, { mtimeMs, templates });
  return templates;
}

function readPromptTemplates(dir: string): PromptTemplate[] {
  return readdirSync(dir)
    .map((f) => FILE_RE.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => {
      const template = readFileSync(join(dir, m[0]), 'utf8');
      return { id: `${m[1]}-${m[2]}`, level: m[1] as Level, version: m[2]!, template, hash: createHash('sha256').update(template).digest('hex') };
    })
    .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

/** A prompt template by id (`passage-v1`), checked against the level it is meant for. */
export function getPromptTemplate(id: string, level: Level, dir = PROMPTS_DIR): PromptTemplate {
  const found = listPromptTemplates(dir).find((p) => p.id === id);
  if (!found) throw badRequest(`unknown prompt version ${id}; known: ${listPromptTemplates(dir).map((p) => p.id).join(', ')}`, 'unknown_prompt');
  if (found.level !== level) throw badRequest(`prompt ${id} is for ${found.level}s, not ${level}s`, 'wrong_prompt_level');
  return found;
}

/**
 * Records that a prompt version is in use. The same id with different text is refused: a
 * changed prompt must become a new version so stored suggestions stay traceable.
 */
export function registerPromptVersion(tx: DbOrTx, p: PromptTemplate): void {
  const stored = tx.select().from(promptVersions).where(and(eq(promptVersions.name, p.level), eq(promptVersions.version, p.version))).get();
  if (!stored) {
    tx.insert(promptVersions).values({ name: p.level, version: p.version, level: p.level, hash: p.hash, template: p.template }).run();
    return;
  }
  if (stored.hash !== p.hash) {
    throw conflict(`prompt ${p.id} was changed after it was used; save the change as a new version (e.g. ${p.level}-v${Number(p.version.slice(1)) + 1}.txt)`, 'prompt_version_changed');
  }
}

const renderedCodebooks = new WeakMap<CodebookDefinition, string>();

/** The codebook as the prompt shows it: labels with definitions and examples, the stance scale, themes, worked examples. */
export function renderCodebook(cb: CodebookDefinition): string {
  const known = renderedCodebooks.get(cb);
  if (known !== undefined) return known;
  const rendered = renderCodebookText(cb);
  renderedCodebooks.set(cb, rendered);
  return rendered;
}

function renderCodebookText(cb: CodebookDefinition): string {
  const lines: string[] = [`CODEBOOK ${cb.name} v${cb.version}`];
  if (cb.description) lines.push(cb.description);
  lines.push('', 'Framing labels (choose exactly one):');
  for (const l of cb.labels) {
    lines.push(`- ${l.id} (${l.name}): ${l.definition}`);
    for (const e of l.examples) lines.push(`    example: "${e}"`);
  }
  lines.push('', `Stance toward ${cb.stance.target}: an integer from ${cb.stance.min} to ${cb.stance.max}.`);
  for (let v = cb.stance.min; v <= cb.stance.max; v++) {
    const name = cb.stance.labels[String(v)];
    if (name) lines.push(`  ${v}: ${name}`);
  }
  lines.push('', 'Themes (any number, including none):');
  for (const t of cb.themes) lines.push(`- ${t.id} (${t.name})${t.definition ? `: ${t.definition}` : ''}`);
  if (cb.examples && cb.examples.length > 0) {
    lines.push('', 'Worked examples:');
    for (const e of cb.examples) lines.push(`- "${e.text}" => label ${e.label}, stance ${e.stance}, themes [${e.themes.join(', ')}]`);
  }
  return lines.join('\n');
}

/** What a prompt is filled with. */
export interface PromptContext {
  codebook: CodebookDefinition;
  text: string;
  sourceName?: string | null;
  documentTitle?: string | null;
  /** Keep the outlet's name out of the prompt (outlet cues bias model labels). */
  maskOutlet: boolean;
}

/** Fills a template. The data delimiter carries a nonce derived from the text, so the text cannot close its own block. */
export function renderPrompt(p: PromptTemplate, ctx: PromptContext): PromptMessages {
  const match = /^=== system ===\n([\s\S]*?)\n=== user ===\n([\s\S]*)$/.exec(p.template);
  if (!match) throw badRequest(`prompt ${p.id} needs a "=== system ===" and a "=== user ===" section`, 'invalid_prompt');
  const cb = ctx.codebook;
  const nonce = createHash('sha256').update(ctx.text).digest('hex').slice(0, 12);
  const masked = ctx.maskOutlet ? '[withheld]' : (ctx.sourceName ?? '[unknown]');
  const values: Record<string, string> = {
    codebook: renderCodebook(cb),
    labelIds: cb.labels.map((l) => JSON.stringify(l.id)).join(', '),
    themeIds: cb.themes.map((t) => JSON.stringify(t.id)).join(', '),
    stanceMin: String(cb.stance.min),
    stanceMax: String(cb.stance.max),
    stanceTarget: cb.stance.target,
    source: masked,
    // A title can name the outlet too; masking keeps it out as well.
    title: ctx.maskOutlet && ctx.sourceName && ctx.documentTitle ? ctx.documentTitle.split(ctx.sourceName).join('[withheld]') : (ctx.documentTitle ?? '[none]'),
    nonce,
    text: ctx.text,
  };
  // One pass, so a placeholder-looking string inside the text is never expanded.
  const fill = (s: string) => s.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
  return { system: fill(match[1]!.trimEnd()), user: fill(match[2]!.trimEnd()) };
}
