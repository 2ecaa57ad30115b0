import { createHash } from 'node:crypto';

/** Largest single-document file (text, Markdown, HTML) the import accepts: 32 MiB. Row files have no size limit: they are streamed. */
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
  return `file is ${formatBytes(size)}, over the ${formatBytes(MAX_FILE_BYTES)} limit for one document (row files such as .csv and .jsonl have no limit)`;
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

/** Text with NUL characters (U+0000) removed, and how many there were: SQLite, spreadsheets and most tools mishandle them. */
export function stripNul(text: string): { text: string; removed: number } {
  if (!text.includes('\u0000')) return { text, removed: 0 };
  const out = text.replaceAll('\u0000', '');
  return { text: out, removed: text.length - out.length };
}

/**
 * A message quoting imported values (a reject's or warning's reason, its column) with each NUL
 * character shown as ␀ (U+2400): the report says the value held one, and the message can be
 * stored (PostgreSQL text cannot hold U+0000, nor can jsonb, where job results are kept).
 */
export function visibleNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\u2400') : text;
}

/**
 * A single-line field (title, author, source, url, id ...): every control character (NUL,
 * newlines, tabs, escape sequences) becomes a space, runs of white space collapse, ends trimmed.
 */
export function singleLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}
