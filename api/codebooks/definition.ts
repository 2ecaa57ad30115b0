import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { badRequest, zodIssueText } from '../errors.ts';
import { stripJsonNul } from '../json.ts';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lowercase letters, digits and hyphens');

/** A codebook file: framing labels with definitions and examples, a stance scale with its target, themes. */
export const CodebookDefinitionSchema = z
  .object({
    name: slug,
    version: z.string().min(1),
    description: z.string().optional(),
    labels: z
      .array(z.object({ id: slug, name: z.string().min(1), definition: z.string().min(1), examples: z.array(z.string()).default([]) }))
      .min(2),
    stance: z.object({
      target: z.string().min(1),
      min: z.number().int(),
      max: z.number().int(),
      labels: z.record(z.string(), z.string()).default({}),
    }),
    themes: z.array(z.object({ id: slug, name: z.string().min(1), definition: z.string().default('') })),
    /**
     * Optional fully annotated examples (label, stance, themes): shown to models as worked
     * examples and used to train the local baseline's stance and theme models. Optional so
     * codebooks without them keep their hash.
     */
    examples: z
      .array(z.object({ text: z.string().min(1), label: slug, stance: z.number().int(), themes: z.array(slug).default([]) }))
      .optional(),
  })
  .refine((d) => d.stance.min < d.stance.max, { message: 'stance.min must be below stance.max', path: ['stance'] })
  .refine((d) => new Set(d.labels.map((l) => l.id)).size === d.labels.length, { message: 'label ids must be unique', path: ['labels'] })
  .refine((d) => new Set(d.themes.map((t) => t.id)).size === d.themes.length, { message: 'theme ids must be unique', path: ['themes'] })
  .refine(
    (d) => (d.examples ?? []).every((e) => d.labels.some((l) => l.id === e.label) && e.themes.every((t) => d.themes.some((th) => th.id === t)) && e.stance >= d.stance.min && e.stance <= d.stance.max),
    { message: 'every example must use a label, themes and a stance from this codebook', path: ['examples'] },
  );

export type CodebookDefinition = z.infer<typeof CodebookDefinitionSchema>;

/** The bundled default codebook, seeded into every new database. */
export const DEFAULT_CODEBOOK_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'prompts', 'codebooks', 'post-soviet-integration.v1.json');

/** Canonical JSON (sorted keys) so the hash does not depend on formatting. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of the canonical JSON: the same definition always has the same hash. */
export function codebookHash(def: CodebookDefinition): string {
  return createHash('sha256').update(canonical(def)).digest('hex');
}

/** Parses and validates a codebook from JSON text, naming the first problem. */
export function parseCodebook(text: string, origin = 'codebook'): CodebookDefinition {
  let raw: unknown;
  try {
    raw = JSON.parse(stripJsonNul(text));
  } catch (err) {
    throw badRequest(`${origin}: not valid JSON (${(err as Error).message})`, 'invalid_codebook');
  }
  const parsed = CodebookDefinitionSchema.safeParse(raw);
  if (!parsed.success) throw badRequest(`${origin}: ${zodIssueText(parsed.error, { root: 'codebook' })}`, 'invalid_codebook');
  return parsed.data;
}

/** Reads and validates a codebook file. */
export function loadCodebookFile(path: string): CodebookDefinition {
  return parseCodebook(readFileSync(path, 'utf8'), path);
}
