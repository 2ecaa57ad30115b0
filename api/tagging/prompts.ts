import { createHash, randomBytes } from 'node:crypto';
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
export const DEFAULT_PROMPT_VERSIONS: Readonly<Record<Level, string>> = { passage: 'passage-v2', document: 'document-v2' };

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

/** A rendered prompt and the nonce its data markers carry. */
export interface RenderedPrompt extends PromptMessages {
  nonce: string;
}

/** Longest outlet or title the prompt carries, in characters; longer ones are cut with an ellipsis. */
export const MAX_FIELD_CHARS = 300;

// ANSI/VT escape sequences (CSI, OSC) go whole; invisible characters that reorder or hide text
// (bidi marks, overrides and isolates, zero-width characters, the BOM) go; anything that breaks
// a line (C0 and C1 controls, newlines included, DEL, Unicode line and paragraph separators)
// becomes a space.
const ESCAPE_SEQUENCES = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * A metadata field as one plain line: control sequences and invisible or direction-changing
 * characters removed, line breaks turned into spaces, runs of spaces collapsed, at most
 * MAX_FIELD_CHARS long. A title can then never open a line of its own in the prompt (a fake
 * `=== system ===` or a fake marker), and what it says is what it shows.
 */
export function singleLine(value: string, maxChars = MAX_FIELD_CHARS): string {
  const flat = value.replace(ESCAPE_SEQUENCES, '').replace(INVISIBLE, '').replace(LINE_BREAKING, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= maxChars ? flat : `${chars.slice(0, maxChars - 1).join('')}…`;
}

/** A fresh nonce for one request's data markers: 128 random bits, so no text can guess and close its block. */
export const newNonce = () => randomBytes(16).toString('hex');

/** What stands for the nonce where a prompt is compared across requests (replay keys). */
export const NONCE_PLACEHOLDER = '{{nonce}}';

/** The values a template's placeholders are filled with, outlet masking applied. */
function fieldValues(ctx: PromptContext): { source: string; title: string } {
  const source = ctx.sourceName ? singleLine(ctx.sourceName) : '';
  // A title can name the outlet too; masking keeps it out as well.
  const rawTitle = ctx.documentTitle ?? '';
  const title = ctx.maskOutlet && ctx.sourceName ? rawTitle.split(ctx.sourceName).join('[withheld]') : rawTitle;
  return { source: ctx.maskOutlet ? '[withheld]' : source || '[unknown]', title: singleLine(title) || '[none]' };
}

/**
 * Fills a template. The data markers carry `nonce` (a fresh random one unless given), so text
 * inside the data cannot close its own block; the outlet and title are single lines inside it.
 */
export function renderPrompt(p: PromptTemplate, ctx: PromptContext, nonce: string = newNonce()): RenderedPrompt {
  const match = /^=== system ===\n([\s\S]*?)\n=== user ===\n([\s\S]*)$/.exec(p.template);
  if (!match) throw badRequest(`prompt ${p.id} needs a "=== system ===" and a "=== user ===" section`, 'invalid_prompt');
  const cb = ctx.codebook;
  const values: Record<string, string> = {
    codebook: renderCodebook(cb),
    labelIds: cb.labels.map((l) => JSON.stringify(l.id)).join(', '),
    themeIds: cb.themes.map((t) => JSON.stringify(t.id)).join(', '),
    stanceMin: String(cb.stance.min),
    stanceMax: String(cb.stance.max),
    stanceTarget: cb.stance.target,
    ...fieldValues(ctx),
    nonce,
    text: ctx.text,
  };
  // One pass, so a placeholder-looking string inside the text is never expanded.
  const fill = (s: string) => s.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
  return { system: fill(match[1]!.trimEnd()), user: fill(match[2]!.trimEnd()), nonce };
}

/**
 * sha256 of what a rendered prompt is made of besides the codebook and the nonce: the template
 * and the outlet, title (as sent: masked and flattened) and text. With the codebook's hash (which
 * a cache key adds) this fixes the prompt exactly, so two items share it exactly when the model
 * would be sent the same prompt; hashing the parts spares rendering the prompt for every item.
 */
export function promptFingerprint(p: PromptTemplate, ctx: PromptContext): string {
  const { source, title } = fieldValues(ctx);
  return createHash('sha256').update(JSON.stringify([p.hash, source, title, ctx.text])).digest('hex');
}
