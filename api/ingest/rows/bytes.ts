import { isUtf8 } from 'node:buffer';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { invalidUtf8Offset } from '../normalize.ts';

/** Longest row the row readers accept: 16 MiB of input. A longer one is rejected, not loaded. */
export const MAX_ROW_BYTES = 16 * 1024 * 1024;

/** Bytes read from the file itself (compressed bytes for .gz): what progress and ETA count. */
export interface ByteCounter {
  read: number;
}

/**
 * The file's bytes as a stream, gunzipped when its name ends in `.gz`; `counter.read` follows
 * the bytes taken from the file. A truncated or corrupt gzip stream errors the stream (the file
 * then fails as a whole: nothing after the damage can be trusted).
 */
export function openBytes(open: () => Readable, fileName: string, counter: ByteCounter): Readable {
  const raw = open();
  raw.on('data', (chunk: Buffer) => {
    counter.read += chunk.length;
  });
  if (!fileName.toLowerCase().endsWith('.gz')) return raw;
  const gunzip = createGunzip();
  raw.on('error', (e) => gunzip.destroy(e));
  // A reader that stops early (a preview) destroys what it reads; the file must close with it.
  gunzip.on('close', () => raw.destroy());
  return raw.pipe(gunzip);
}

/**
 * CRLF and lone CR become LF, byte by byte (both are single bytes in UTF-8 and never inside a
 * multi-byte sequence), so line numbers and text match the rest of the import.
 */
export class NewlineNormalizer extends Transform {
  private pendingCr = false;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (!chunk.includes(0x0d) && !this.pendingCr) {
      done(null, chunk);
      return;
    }
    const out = Buffer.allocUnsafe(chunk.length + 1);
    let n = 0;
    let i = 0;
    if (this.pendingCr) {
      out[n++] = 0x0a;
      if (chunk[0] === 0x0a) i = 1;
      this.pendingCr = false;
    }
    for (; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b !== 0x0d) {
        out[n++] = b;
        continue;
      }
      if (i === chunk.length - 1) {
        this.pendingCr = true;
        break;
      }
      out[n++] = 0x0a;
      if (chunk[i + 1] === 0x0a) i++;
    }
    done(null, out.subarray(0, n));
  }

  override _flush(done: TransformCallback): void {
    done(null, this.pendingCr ? Buffer.from([0x0a]) : null);
  }
}

/**
 * Passes bytes through and records where they are not valid UTF-8 (offsets in this stream),
 * so the reader can reject exactly the rows that hold them. A sequence cut by a chunk boundary
 * is checked whole with the next chunk.
 */
export class Utf8Checker extends Transform {
  /** Offsets of invalid sequences, ascending (at most `MAX_RECORDED`). */
  readonly invalid: number[] = [];
  private offset = 0;
  private carry: Buffer = Buffer.alloc(0);
  private static readonly MAX_RECORDED = 100_000;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const bytes = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = incompleteTail(bytes);
    const whole = bytes.subarray(0, bytes.length - cut);
    const base = this.offset - this.carry.length;
    if (!isUtf8(whole)) this.record(whole, base);
    this.carry = Buffer.from(bytes.subarray(bytes.length - cut));
    this.offset += chunk.length;
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.carry.length) this.record(this.carry, this.offset - this.carry.length);
    done();
  }

  private record(bytes: Buffer, base: number): void {
    let from = 0;
    while (from < bytes.length && this.invalid.length < Utf8Checker.MAX_RECORDED) {
      const bad = invalidUtf8Offset(bytes.subarray(from));
      if (bad === -1) return;
      this.invalid.push(base + from + bad);
      from += bad + 1;
    }
  }

  /** The first invalid byte in [start, end), or null. */
  invalidIn(start: number, end: number): { offset: number } | null {
    let lo = 0;
    let hi = this.invalid.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.invalid[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    const at = this.invalid[lo];
    return at !== undefined && at < end ? { offset: at } : null;
  }
}

/** Length of a UTF-8 sequence started but not finished at the end of `bytes` (0-3). */
function incompleteTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** One line of a line-oriented file: its bytes (without the newline), or null when it was over the limit. */
export interface Line {
  /** 1-based. */
  number: number;
  bytes: Buffer | null;
  /** Length in bytes of the line that was too long. */
  length: number;
}

/**
 * Splits a byte stream (newlines already LF) into lines, holding at most one line in memory;
 * a line longer than `maxBytes` is skipped to its end and reported with `bytes: null`.
 */
export async function* splitLines(stream: AsyncIterable<Buffer>, maxBytes = MAX_ROW_BYTES): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let held = 0;
  let overLimit = false;
  let number = 1;
  for await (const chunk of stream) {
    let from = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, from)) {
      const piece = chunk.subarray(from, nl);
      const length = held + piece.length;
      if (overLimit || length > maxBytes) yield { number, bytes: null, length };
      else yield { number, bytes: parts.length ? Buffer.concat([...parts, piece]) : piece, length };
      parts = [];
      held = 0;
      overLimit = false;
      number++;
      from = nl + 1;
    }
    const rest = chunk.subarray(from);
    held += rest.length;
    if (held > maxBytes) {
      overLimit = true;
      parts = [];
    } else if (rest.length) parts.push(Buffer.from(rest));
  }
  if (held > 0) yield overLimit ? { number, bytes: null, length: held } : { number, bytes: Buffer.concat(parts), length: held };
}
