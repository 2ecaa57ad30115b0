import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { formatBytes, IngestError } from '../normalize.ts';
import { MAX_ROW_BYTES, NewlineNormalizer, Utf8Checker } from './bytes.ts';
import type { RawRow, RowReader } from './types.ts';

/** Why a CSV file cannot be read at all (no header); single rows fail alone. */
export class CsvFileError extends IngestError {}

/**
 * A CSV (`,`) or TSV (tab) file read record by record at flat memory. The first record is the
 * header; each later record becomes a row keyed by it. A record with a different number of
 * fields, or holding bytes that are not UTF-8, is rejected alone with its line number. Quotes
 * inside unquoted fields are kept as text (scraped data has them). Line endings are LF by now.
 */
export function readDelimitedRows(bytes: Readable, delimiter: ',' | '\t'): RowReader {
  const check = new Utf8Checker();
  const parser = bytes.pipe(new NewlineNormalizer()).pipe(check).pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
      raw: true,
      max_record_size: MAX_ROW_BYTES,
    }),
  );
  bytes.on('error', (e) => parser.destroy(e));
  parser.on('close', () => bytes.destroy());
  const reader: RowReader = { rows: records(), header: null };
  const label = delimiter === ',' ? 'CSV' : 'TSV';

  async function* records(): AsyncGenerator<RawRow> {
    let header: string[] | null = null;
    let endLine = 0;
    let endByte = 0;
    try {
      for await (const r of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number; bytes: number } }>) {
        const line = endLine + 1;
        const span = [endByte, r.info.bytes] as const;
        endLine = r.info.lines;
        endByte = r.info.bytes;
        const bad = check.invalidIn(span[0], span[1]);
        if (header === null) {
          if (bad) throw new CsvFileError(`the ${label} header (line ${line}) is not valid UTF-8; save the file as UTF-8`);
          header = r.record.map((h) => h.trim());
          reader.header = { names: header, raw: r.raw };
          continue;
        }
        const raw = r.raw;
        if (bad) {
          yield { line, values: null, raw, error: { column: null, reason: 'row is not valid UTF-8 (save the file as UTF-8)' } };
          continue;
        }
        if (r.record.length !== header.length) {
          yield { line, values: null, raw, error: { column: null, reason: `row has ${r.record.length} fields but the header has ${header.length}` } };
          continue;
        }
        const values: Record<string, unknown> = {};
        header.forEach((h, i) => (values[h] = r.record[i]));
        yield { line, values, raw, error: null };
      }
    } catch (e) {
      if (e instanceof CsvFileError) throw e;
      const code = (e as { code?: string }).code;
      if (code === 'CSV_MAX_RECORD_SIZE') throw new CsvFileError(`a ${label} record after line ${endLine} is over the ${formatBytes(MAX_ROW_BYTES)} limit per row (an unclosed quote?)`);
      if (typeof code === 'string' && code.startsWith('CSV_')) throw new CsvFileError(`${label} could not be read after line ${endLine}: ${(e as Error).message.split('\n')[0]}`);
      throw e;
    }
    if (header === null) throw new CsvFileError(`no documents (the ${label} file is empty)`);
  }
  return reader;
}
