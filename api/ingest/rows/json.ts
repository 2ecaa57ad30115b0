import { formatBytes, IngestError, singleLine } from '../normalize.ts';
import { MAX_ROW_BYTES, splitLines, type Line } from './bytes.ts';
import type { RawRow } from './types.ts';

/** Deepest nesting of arrays and objects a JSON row may have; deeper rows are rejected before parsing. */
export const MAX_JSON_DEPTH = 64;

/** Deepest nesting of `[` and `{` outside strings in JSON text (one linear pass, no recursion). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** One JSON value of a row file read into a row: an object, or a rejected row saying why not. */
export function jsonRow(text: string, line: number, what: string): RawRow {
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    return { line, values: null, raw: text, error: { column: null, reason: `${what} nests arrays or objects ${depth} levels deep (at most ${MAX_JSON_DEPTH})` } };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // V8 quotes the offending text in its message, line breaks and all: keep the reason one line.
    return { line, values: null, raw: text, error: { column: null, reason: `${what} is not valid JSON (${singleLine((e as Error).message)})` } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { line, values: null, raw: text, error: { column: null, reason: `${what} is not a JSON object` } };
  }
  return { line, values: value as Record<string, unknown>, raw: text, error: null };
}

function tooLong(line: number, length: number, what: string): RawRow {
  return { line, values: null, raw: '', error: { column: null, reason: `${what} is ${formatBytes(length)}, over the ${formatBytes(MAX_ROW_BYTES)} limit per row` } };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeLine(l: Line): RawRow | string {
  try {
    return utf8.decode(l.bytes!);
  } catch {
    return { line: l.number, values: null, raw: l.bytes!.toString('utf8'), error: { column: null, reason: 'line is not valid UTF-8 (save the file as UTF-8)' } };
  }
}

/** JSONL: one JSON object per line; blank lines are skipped; a UTF-8 byte-order mark is dropped. */
export async function* readJsonlRows(bytes: AsyncIterable<Buffer>): AsyncGenerator<RawRow> {
  for await (const l of splitLines(bytes)) {
    if (l.bytes === null) {
      yield tooLong(l.number, l.length, `line ${l.number}`);
      continue;
    }
    let text = decodeLine(l);
    if (typeof text !== 'string') {
      yield text;
      continue;
    }
    if (l.number === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (!/\S/.test(text)) continue;
    yield jsonRow(text, l.number, `line ${l.number}`);
  }
}

/** Why a JSON file is not the array of objects the import reads. */
export class JsonArrayError extends IngestError {}

/**
 * A JSON file holding one array of objects, read element by element: a linear scan of the
 * bytes finds where each top-level element ends (outside strings; every structural character
 * is ASCII, so multi-byte UTF-8 never confuses it), so only one element is in memory at a
 * time; each is then decoded and parsed as a row. Damage to the array itself (no `[`, text
 * after `]`, a cut-off file) throws JsonArrayError: the file fails there.
 */
export async function* readJsonArrayRows(bytes: AsyncIterable<Buffer>): AsyncGenerator<RawRow> {
  let state = 'before' as 'before' | 'between' | 'element' | 'after';
  let parts: Buffer[] = [];
  let held = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  let elementLine = 1;
  let offset = 0;
  const keep = (piece: Buffer) => {
    held += piece.length;
    if (held <= MAX_ROW_BYTES) parts.push(Buffer.from(piece));
    else parts = [];
  };
  const finish = (): RawRow => {
    const what = `element at line ${elementLine}`;
    const size = held;
    const body = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    parts = [];
    held = 0;
    if (size > MAX_ROW_BYTES) return tooLong(elementLine, size, what);
    const text = decodeLine({ number: elementLine, bytes: body, length: size });
    return typeof text === 'string' ? jsonRow(text, elementLine, what) : text;
  };
  for await (const chunk of bytes) {
    let from = 0;
    let i = 0;
    // A byte-order mark opens the file: skip it.
    if (offset === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    offset += chunk.length;
    for (; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === 0x0a) line++;
      if (state === 'element') {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) inString = false;
          continue;
        }
        if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) depth--;
        if (depth < 0 || (depth === 0 && c === 0x2c)) {
          keep(chunk.subarray(from, i));
          yield finish();
          state = depth < 0 ? 'after' : 'between';
          depth = 0;
        }
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) continue;
      if (state === 'before') {
        if (c !== 0x5b) throw new JsonArrayError('a .json file must hold one array of objects ([{...}, {...}]); for one object per line use .jsonl');
        state = 'between';
      } else if (state === 'between') {
        if (c === 0x5d) {
          state = 'after';
          continue;
        }
        state = 'element';
        elementLine = line;
        from = i;
        i--;
      } else {
        throw new JsonArrayError(`unexpected text after the closing ] of the array (line ${line})`);
      }
    }
    if (state === 'element') keep(chunk.subarray(from));
  }
  if (state === 'before') throw new JsonArrayError('the file holds no JSON array');
  if (state !== 'after') throw new JsonArrayError('the JSON array is not closed (the file may be cut off)');
}
