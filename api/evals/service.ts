import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Db } from '../../db/client.ts';
import { dialectFor, migrationsTableText } from '../../db/sqlDialect.ts';
import type { Config } from '../config.ts';
import { codebookHash, DEFAULT_CODEBOOK_FILE, loadCodebookFile } from '../codebooks/definition.ts';
import { getActiveCodebook } from '../codebooks/service.ts';
import { badRequest } from '../errors.ts';
import { createProvider, LOCAL_MODEL } from '../providers/index.ts';
import type { ProviderName } from '../providers/types.ts';
import type { CodebookRef } from '../tagging/suggest.ts';
import { loadGoldFile, loadGoldFromDb, type GoldSet } from './gold.ts';
import { reviewedTrainingExamples } from '../training/examples.ts';
import { humanBaseline } from './humans.ts';
import { readRecording } from './replay.ts';
import { renderMarkdown } from './report.ts';
import { DEFAULT_RESULTS_DIR, writeResult } from './results.ts';
import type { EvalResult } from './result.ts';
import { runEval, type EvalOptions } from './runner.ts';

/** The shared corpus the shipped gold set points into, relative to the working directory. */
export const DEFAULT_CORPUS_DIR = join('..', 'shared', 'corpus');
export const DEFAULT_GOLD_FILE = join('evals', 'gold', 'shared-corpus.v1.jsonl');

/** Parameters of one eval, as the CLI takes them. */
export interface EvaluateParams extends Pick<EvalOptions, 'repeats' | 'outletBias' | 'folds' | 'groupBy' | 'seed' | 'bootstrapIterations' | 'concurrency'> {
  /** With `db` gold: only the items evaluation-only imports labelled; the local baseline is trained on the rest of the database's decisions and scored once. */
  evaluationOnly?: boolean;
  provider: ProviderName;
  model?: string;
  /** Prompt version for both levels (`v1`), or prompt ids (`passage-v1,document-v1`). */
  prompt?: string;
  /** A gold JSONL file, or `db`. */
  gold: string;
  corpusDir?: string;
  /** A codebook JSON file; default: the database's active codebook with `db` gold, else the bundled default. */
  codebookFile?: string;
  record?: string;
  replay?: string;
  resultsDir?: string;
  name?: string;
  /** Skip writing evals/results (used by the regression gate). */
  write?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** A database as eval provenance names it: file name, path, and the latest migration applied to it. */
function databaseRef(db: Db, use: string): { name: string; path: string; migration: string | null; use: string } {
  const path = db.$client.name;
  const latest = db.$client.prepare(`SELECT hash FROM ${migrationsTableText(dialectFor(db))} ORDER BY created_at DESC LIMIT 1`).get() as { hash: string } | undefined;
  return { name: basename(path), path, migration: latest ? latest.hash.slice(0, 12) : null, use };
}

function promptVersions(prompt: string | undefined): { passage?: string; document?: string } | undefined {
  if (!prompt) return undefined;
  // A bare version applies to both levels; prompt ids pick one level each.
  if (/^v\d+$/.test(prompt)) return { passage: `passage-${prompt}`, document: `document-${prompt}` };
  const out: { passage?: string; document?: string } = {};
  for (const part of prompt.split(',').map((p) => p.trim())) {
    const match = /^(passage|document)-v\d+$/.exec(part);
    if (!match) throw badRequest(`--prompt takes a version (v1) or prompt ids (passage-v1,document-v1), got "${part}"`, 'invalid_prompt');
    out[match[1] as 'passage' | 'document'] = part;
  }
  return out;
}

/**
 * Runs one eval: resolves codebook, gold set and provider (or a recording to replay), scores,
 * and writes `<name>.json` and `<name>.md` to the results directory (and the raw answers to
 * `record` when asked). `db` is needed for `db` gold and the human baseline.
 */
export async function evaluate(params: EvaluateParams, deps: { config: Config; db?: Db; now?: () => Date }): Promise<{ result: EvalResult; paths: { json: string; markdown: string } | null }> {
  if (params.record && params.replay) throw badRequest('--record and --replay cannot be combined', 'invalid_options');
  let codebook: CodebookRef;
  if (params.codebookFile) {
    const def = loadCodebookFile(params.codebookFile);
    codebook = { definition: def, version: def.version, hash: codebookHash(def) };
  } else if (params.gold === 'db') {
    if (!deps.db) throw badRequest('--gold db needs a database', 'db_required');
    const row = getActiveCodebook(deps.db);
    codebook = { definition: row.definition, version: row.version, hash: row.hash };
  } else {
    const def = loadCodebookFile(DEFAULT_CODEBOOK_FILE);
    codebook = { definition: def, version: def.version, hash: codebookHash(def) };
  }
  if (params.evaluationOnly && params.gold !== 'db') throw badRequest('--evaluation-only scores the evaluation-only imports of a database: use it with --gold db', 'invalid_options');
  let gold: GoldSet;
  if (params.gold === 'db') {
    if (!deps.db) throw badRequest('--gold db needs a database', 'db_required');
    gold = loadGoldFromDb(deps.db, { evaluationOnly: params.evaluationOnly });
  } else {
    gold = loadGoldFile(params.gold, params.corpusDir ?? DEFAULT_CORPUS_DIR, codebook.definition);
  }
  const recording = params.replay ? readRecording(params.replay) : undefined;
  if (recording && recording.provider.name !== params.provider) throw badRequest(`--replay holds answers from provider ${recording.provider.name}, not ${params.provider}`, 'replay_mismatch');
  if (params.provider === 'local' && params.model && params.model !== LOCAL_MODEL) throw badRequest(`the local provider has one model, ${LOCAL_MODEL}, not ${params.model}`, 'unknown_model');
  const db = deps.db;
  const heldOut =
    params.evaluationOnly && params.provider === 'local' && db
      ? {
          examples: reviewedTrainingExamples(db, codebook.definition).examples,
          note: "trained once on this database's independent human decisions outside the evaluation-only imports (which it never trains on), scored once on the evaluation-only items",
        }
      : undefined;
  const uses = [params.gold === 'db' ? (params.evaluationOnly ? 'gold labels (evaluation-only imports)' : 'gold labels') : null, heldOut ? 'training set' : null, db ? 'human baseline' : null].filter((u): u is string => u !== null);
  const { result, recording: recorded } = await runEval({
    provider: { name: params.provider, create: () => createProvider(deps.config, { name: params.provider, model: params.model, codebook: codebook.definition }) },
    codebook,
    gold,
    promptVersion: promptVersions(params.prompt),
    repeats: params.repeats,
    outletBias: params.outletBias,
    folds: params.folds,
    groupBy: params.groupBy,
    heldOut,
    databases: db ? [databaseRef(db, uses.join(', '))] : [],
    seed: params.seed,
    bootstrapIterations: params.bootstrapIterations,
    concurrency: params.concurrency,
    replay: recording,
    record: Boolean(params.record),
    onProgress: params.onProgress,
    humanBaseline: db ? (predictions) => humanBaseline(db, predictions) : undefined,
    now: deps.now,
    name: params.name,
  });
  if (params.replay) result.provenance.replayedFrom = params.replay;
  if (params.record && recorded) writeFileSync(params.record, `${JSON.stringify(recorded)}\n`);
  const paths = params.write === false ? null : writeResult(params.resultsDir ?? DEFAULT_RESULTS_DIR, result, renderMarkdown(result));
  return { result, paths };
}
