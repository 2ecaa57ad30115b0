import { createHash } from 'node:crypto';
import { and, desc, eq, like } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { localModels } from '../../db/schema/index.ts';
import type { CodebookDefinition } from '../codebooks/definition.ts';
import { badRequest } from '../errors.ts';
import { deserializeLocalModel, LOCAL_MODEL, trainingHashOf, trainLocalModel, type LocalBaselineModel, type TrainOptions, type TrainingExample } from '../providers/local.ts';
import type { CodebookRef } from '../tagging/suggest.ts';

/**
 * Trained local baselines as versioned artefacts in the database (db/schema/localModels.ts):
 * trained once, by a job, and reused by every process and request. A version names the
 * codebook and the training set it came from, so a retrained model is always another version
 * and suggestions say which one made them.
 */

/** What is known about a model without loading its weights. */
export const LocalModelInfoSchema = z
  .object({
    version: z.string(),
    /** Reviewed items it learned from (the codebook's own examples not counted). */
    trainingSize: z.number().int(),
    trainingHash: z.string(),
    /** Reviews after this one are new to the model. */
    lastReviewId: z.number().int(),
    /** False for the codebook-only model before anything stored it. */
    stored: z.boolean(),
    createdAt: z.string().nullable(),
    /** Set when a training just made it: the confidence's calibration on out-of-fold human decisions (null: fewer than 30). */
    calibration: z
      .object({ examples: z.number().int(), temperature: z.number(), eceBefore: z.number(), eceAfter: z.number(), accuracy: z.number() })
      .nullable()
      .optional(),
  })
  .meta({ id: 'LocalModel' });
export type LocalModelInfo = z.infer<typeof LocalModelInfoSchema>;

/** The version string of a model: family, training-set size, hash of codebook and training set. */
export function localModelVersion(codebookHash: string, trainingHash: string, trainingSize: number): string {
  const digest = createHash('sha256').update(`${codebookHash}:${trainingHash}`).digest('hex').slice(0, 8);
  return `${LOCAL_MODEL}.n${trainingSize}.${digest}`;
}

/** The model trained on the codebook's own examples only: what a codebook starts with. */
export function codebookOnlyModel(cb: CodebookRef): LocalModelInfo {
  const trainingHash = trainingHashOf([]);
  return { version: localModelVersion(cb.hash, trainingHash, 0), trainingSize: 0, trainingHash, lastReviewId: 0, stored: false, createdAt: null };
}

const infoColumns = {
  version: localModels.version,
  trainingSize: localModels.trainingSize,
  trainingHash: localModels.trainingHash,
  lastReviewId: localModels.lastReviewId,
  createdAt: localModels.createdAt,
};

/** The model a new run uses for this codebook: the newest stored one, else the codebook-only one. */
export function currentLocalModel(db: Db, cb: CodebookRef): LocalModelInfo {
  // Only a model of the current family: one trained for an earlier algorithm is retrained, not reused.
  const row = db
    .select(infoColumns)
    .from(localModels)
    .where(and(eq(localModels.codebookHash, cb.hash), like(localModels.version, `${LOCAL_MODEL}.%`)))
    .orderBy(desc(localModels.id))
    .limit(1)
    .get();
  return row ? { ...row, stored: true } : codebookOnlyModel(cb);
}

/** A stored version's metadata; the codebook-only version is known without being stored. */
export function localModelInfo(db: Db, cb: CodebookRef, version: string): LocalModelInfo {
  if (!version.startsWith(`${LOCAL_MODEL}.`)) throw badRequest(`${version} was trained by an earlier local baseline algorithm; the current one is ${LOCAL_MODEL} (retrain on the Jobs page or with tag --retrain)`, 'unknown_model');
  const row = db.select(infoColumns).from(localModels).where(and(eq(localModels.codebookHash, cb.hash), eq(localModels.version, version))).get();
  if (row) return { ...row, stored: true };
  const base = codebookOnlyModel(cb);
  if (version === base.version) return base;
  throw badRequest(`no local baseline ${version} is stored for codebook ${cb.definition.name} ${cb.version}`, 'unknown_model');
}

/**
 * Loaded models by version. Versions are content hashes of codebook and training set, so a
 * cached model can never be stale; two are kept (the current one and the one before a retrain).
 */
const loaded = new Map<string, LocalBaselineModel>();
const LOADED_MAX = 2;

function remember(version: string, model: LocalBaselineModel): LocalBaselineModel {
  loaded.delete(version);
  loaded.set(version, model);
  while (loaded.size > LOADED_MAX) loaded.delete(loaded.keys().next().value!);
  return model;
}

/**
 * The weights of a version: from memory, else from the stored artefact; the codebook-only
 * model (a few dozen examples, milliseconds) is trained and stored on first use. Call from a
 * job or the CLI, never while answering a request.
 */
export function loadLocalModel(db: Db, cb: CodebookRef & { id: number }, version: string): LocalBaselineModel {
  const hit = loaded.get(version);
  if (hit) return remember(version, hit);
  const row = db.select({ artifact: localModels.artifact }).from(localModels).where(eq(localModels.version, version)).get();
  if (row) return remember(version, deserializeLocalModel(cb.definition, row.artifact));
  const info = localModelInfo(db, cb, version);
  const model = trainLocalModel(cb.definition, []);
  storeLocalModel(db, cb, model, { trainingSize: 0, lastReviewId: info.lastReviewId, jobId: null });
  return remember(version, deserializeLocalModel(cb.definition, model.serialize()));
}

/** Stores a trained model under its version (once: the same training stores nothing new). */
export function storeLocalModel(
  db: Db,
  cb: CodebookRef & { id: number },
  model: LocalBaselineModel,
  meta: { trainingSize: number; lastReviewId: number; jobId: number | null },
): LocalModelInfo {
  const version = localModelVersion(cb.hash, model.trainingHash, meta.trainingSize);
  const artifact = model.serialize();
  db.insert(localModels)
    .values({
      version,
      codebookId: cb.id,
      codebookHash: cb.hash,
      trainingSize: meta.trainingSize,
      trainingHash: model.trainingHash,
      lastReviewId: meta.lastReviewId,
      artifact,
      artifactBytes: artifact.byteLength,
      jobId: meta.jobId,
    })
    .onConflictDoNothing()
    .run();
  return localModelInfo(db, cb, version);
}

/** Trains a model on explicit examples and stores it; returns its metadata and its weights as stored. */
export function trainAndStore(
  db: Db,
  cb: CodebookRef & { id: number; definition: CodebookDefinition },
  examples: TrainingExample[],
  meta: { lastReviewId: number; jobId: number | null },
  options: TrainOptions = {},
): LocalModelInfo {
  const model = trainLocalModel(cb.definition, examples, options);
  const info = storeLocalModel(db, cb, model, { trainingSize: examples.length, lastReviewId: meta.lastReviewId, jobId: meta.jobId });
  remember(info.version, deserializeLocalModel(cb.definition, model.serialize()));
  return { ...info, calibration: model.calibration };
}
