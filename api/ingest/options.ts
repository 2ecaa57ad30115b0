import type { Readable } from 'node:stream';
import type { ColumnMap } from './columns.ts';
import type { DateOrder } from './dates.ts';
import type { DocumentMeta } from './readers.ts';

/** One file handed to the import. */
export interface ImportSource {
  /** Name shown in the report (a path for the CLI, the file name for uploads); with the file's size and first MiB it identifies an import to resume. */
  file: string;
  /**
   * Opens the file's bytes as a stream. Called more than once for a row file (the resume
   * fingerprint, the date-order scan, the --strict check pass), so it must start over each time.
   */
  open: () => Readable;
  /** Size in bytes when known before reading (files on disk, uploads): checked before a single-document file is read, and the total for progress. */
  size?: number;
  /** Metadata from the folder's manifest.json entry for this file. */
  manifest?: DocumentMeta | null;
}

/** How an import run is described and what it applies to every file. */
export interface ImportOptions {
  origin: 'cli' | 'upload' | 'demo';
  /** Metadata from flags or the upload form: overrides the manifest, the file and its rows. */
  meta?: DocumentMeta;
  /** Column mapping for row files (`--map`). */
  map?: ColumnMap;
  /** Name labels are recorded under (`import:<name>`); default: the file's base name. */
  importName?: string;
  /**
   * The files' labels are a gold standard coded by people elsewhere (`--gold`): they count as
   * independent human decisions (api/items/provenance.ts). Default false: recorded and exported
   * with origin `import`, never counted as independent.
   */
  gold?: boolean;
  /**
   * The files' labels are a held-out evaluation set (`--evaluation-only`): gold as above, so
   * evals can score against them (`eval --gold db --evaluation-only`), but the local model never
   * trains on them (api/training/examples.ts).
   */
  evaluationOnly?: boolean;
  /** Who is recorded in the audit log. */
  actor?: string;
  /** All or nothing per row file: one rejected row and none of the file is stored (`--strict`). */
  strict?: boolean;
  /** How numeric dates that read both ways are read (`--date-order`); default: decided from the file. */
  dateOrder?: DateOrder;
  /** Where rejected rows go, in the input's format (`--rejects FILE`; one row file per run). */
  rejects?: string;
  /** The clock (import timestamps). */
  now?: () => Date;
}

/** Live progress of an import (the terminal bar, the UI, a job's status). */
export interface ImportProgress {
  file: string;
  /** 0-based index of the file and how many there are. */
  fileIndex: number;
  files: number;
  /** Data rows read from this file so far (including rows committed before a resume). */
  rows: number;
  /** Bytes of this file read so far and its size, when known. */
  bytes: number;
  totalBytes: number | null;
  documents: number;
  rejected: number;
  /** Rows per second and seconds left for this file (null until there is a rate and a size). */
  rowsPerSecond: number;
  etaSeconds: number | null;
}

/** What a caller may steer: live progress, cancellation, and what becomes of an unfinished import. */
/** Progress is reported at least this often while a file is read (ms). */
export const PROGRESS_INTERVAL_MS = 250;

export interface ImportHooks {
  /** Called at every committed batch and at least every PROGRESS_INTERVAL_MS while reading. */
  onProgress?: (p: ImportProgress) => void;
  /** Aborting stops at the next batch: what was read is committed, the import is left `interrupted` and can be resumed. */
  signal?: AbortSignal;
  /**
   * true (default): an unfinished import of the same file (same name, size, first MiB and
   * options) continues from its checkpoint; false: it is rolled back first and the file is
   * imported afresh.
   */
  resume?: boolean;
}

