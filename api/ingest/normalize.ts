import { createHash } from 'node:crypto';

/** Largest file the import accepts: 32 MiB. Larger corpora are split into several files. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** A problem with one input file; the message is one line and the file writes nothing. */
export class IngestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IngestError';
  }
}

/** The one-line reason a file over MAX_FILE_BYTES is refused. */
export function tooLargeMessage(size: number): string {
  return `file is ${formatBytes(size)}, over the ${formatBytes(MAX_FILE_BYTES)} limit (split it into smaller files)`;
}

/** sha256 of a string's UTF-8 bytes, hex. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Byte offset of the first invalid UTF-8 sequence, or -1 when the bytes are valid UTF-8. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Turns a file's bytes into text: rejects oversized, empty, binary and non-UTF-8 input with
 * a one-line reason, drops a UTF-8 byte-order mark and normalises line endings (CRLF and lone
 * CR) to \n. Nothing else about the text is changed.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length > MAX_FILE_BYTES) throw new IngestError(tooLargeMessage(bytes.length));
  if (bytes.length === 0) throw new IngestError('file is empty');
  const nul = bytes.indexOf(0);
  if (nul !== -1) throw new IngestError(`binary file, not text (NUL byte at offset ${nul})`);
  const bad = invalidUtf8Offset(bytes);
  if (bad !== -1) throw new IngestError(`not valid UTF-8 (invalid byte 0x${bytes[bad]!.toString(16).padStart(2, '0')} at byte offset ${bad}); save the file as UTF-8`);
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return normalizeLineEndings(text);
}

/** CRLF and lone CR become \n: the only change made to a document's text. */
export function normalizeLineEndings(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** "32 MiB", "1.5 KiB", "12 bytes". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** A published date as given, its precision, and the first day it can mean. */
export interface PublishedDate {
  published: string;
  precision: 'day' | 'month' | 'year';
  start: string;
}

/** Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (or a full ISO timestamp, kept to the day); throws on anything else. */
export function parsePublished(value: string): PublishedDate {
  const v = value.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(v);
  if (m) {
    const day = `${m[1]}-${m[2]}-${m[3]}`;
    const d = new Date(`${day}T00:00:00Z`);
    if (!Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day) return { published: day, precision: 'day', start: day };
  }
  m = /^(\d{4})-(\d{2})$/.exec(v);
  if (m && +m[2]! >= 1 && +m[2]! <= 12) return { published: v, precision: 'month', start: `${v}-01` };
  if (/^\d{4}$/.test(v)) return { published: v, precision: 'year', start: `${v}-01-01` };
  throw new IngestError(`published "${value}" is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)`);
}
