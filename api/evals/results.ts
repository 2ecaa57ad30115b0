import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { badRequest, notFound, zodIssueText } from '../errors.ts';
import { EvalResultSchema, IntervalSchema, type EvalResult } from './result.ts';

/** Where eval results live by default, relative to the working directory. */
export const DEFAULT_RESULTS_DIR = join('evals', 'results');

const NAME_RE = /^[A-Za-z0-9._-]+$/;

/** JSON for a result (or any report object): numbers undefined for the data (NaN) become null. */
export function resultJson(result: unknown): string {
  return `${JSON.stringify(result, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
}

/** Writes `<name>.json` and `<name>.md` into `dir`; returns their paths. */
export function writeResult(dir: string, result: EvalResult, markdown: string): { json: string; markdown: string } {
  if (!NAME_RE.test(result.name)) throw badRequest(`result name "${result.name}" may only use letters, digits, dot, dash and underscore`, 'invalid_name');
  mkdirSync(dir, { recursive: true });
  const json = join(dir, `${result.name}.json`);
  const md = join(dir, `${result.name}.md`);
  writeFileSync(json, resultJson(result));
  writeFileSync(md, markdown);
  return { json, markdown: md };
}

/** One line of the results list. */
export const EvalResultSummarySchema = z
  .object({
    name: z.string(),
    createdAt: z.string(),
    provider: z.string(),
    model: z.string(),
    promptVersion: z.string(),
    codebook: z.string(),
    /** The codebook's content hash: the Evals page shows the active codebook's results. */
    codebookHash: z.string(),
    /** File names of the databases the result came from (empty: only files). */
    databases: z.array(z.string()),
    gold: z.string(),
    protocol: z.string(),
    n: z.number().int(),
    accuracy: IntervalSchema,
    macroF1: IntervalSchema,
    kappa: IntervalSchema,
  })
  .meta({ id: 'EvalSummary' });
export type EvalResultSummary = z.infer<typeof EvalResultSummarySchema>;

/** The stored results, newest first. */
export const EvalResultListSchema = z.object({ results: z.array(EvalResultSummarySchema) }).meta({ id: 'EvalResultList' });

/** A stored result file, checked to be an eval result. */
export function readResultFile(path: string): EvalResult {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw badRequest(`eval result ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message}`, 'invalid_result');
  }
  if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== 'framescope-eval-result') {
    throw badRequest(`eval result ${path}: not a framescope eval result`, 'invalid_result');
  }
  const parsed = EvalResultSchema.safeParse(json);
  if (!parsed.success) throw badRequest(`eval result ${path}: ${zodIssueText(parsed.error, { root: 'file' })}`, 'invalid_result');
  return parsed.data;
}

/** The result called `name` in `dir`. */
export function readResult(dir: string, name: string): EvalResult {
  if (!NAME_RE.test(name)) throw badRequest(`result name "${name}" may only use letters, digits, dot, dash and underscore`, 'invalid_name');
  const path = join(dir, `${name}.json`);
  try {
    readFileSync(path);
  } catch {
    throw notFound(`eval result ${name} not found`);
  }
  return readResultFile(path);
}

/** Summaries of every result in `dir`, newest first; files that are not results are skipped. */
export function listResults(dir: string): EvalResultSummary[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  const out: EvalResultSummary[] = [];
  for (const file of files) {
    let r: EvalResult;
    try {
      r = readResultFile(join(dir, file));
    } catch {
      continue;
    }
    out.push({
      name: r.name,
      createdAt: r.createdAt,
      provider: r.provenance.provider,
      model: r.provenance.model,
      promptVersion: r.provenance.prompts.passage.version,
      codebook: `${r.provenance.codebook.name}@${r.provenance.codebook.version}`,
      codebookHash: r.provenance.codebook.hash,
      databases: r.provenance.sources.databases.map((d) => d.name),
      gold: r.provenance.gold.origin,
      protocol: r.provenance.protocol.kind === 'cross-validation' ? `cross-validation by ${r.provenance.protocol.groupedBy === 'source' ? 'outlet' : 'document (optimistic)'}` : r.provenance.protocol.kind,
      n: r.label.n,
      accuracy: r.label.accuracy,
      macroF1: r.label.macroF1,
      kappa: r.label.kappa,
    });
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name));
}
