import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import ExcelJS from 'exceljs';
import type { RowFormat } from './rows/types.ts';

/**
 * Writes the rejected rows of a row file to `--rejects FILE` in the input's own format, so they
 * can be fixed and imported again: CSV/TSV rows as they were written under the file's header,
 * JSONL lines, a JSON array of the rejected elements, or an .xlsx sheet with the header row.
 * A FILE ending in `.gz` is gzipped. The rows go to `FILE.partial`, renamed to FILE only when
 * the whole input has been read, so a cut-off run never leaves a FILE that looks complete.
 */
export class RejectsWriter {
  private readonly partial: string;
  private out: Writable | null = null;
  private file: WriteStream | null = null;
  private workbook: ExcelJS.stream.xlsx.WorkbookWriter | null = null;
  private sheet: ExcelJS.Worksheet | null = null;
  private count = 0;

  constructor(
    readonly path: string,
    private readonly format: RowFormat,
  ) {
    this.partial = `${path}.partial`;
  }

  private open(header: { raw: string | unknown[] } | null): void {
    if (this.out || this.sheet) return;
    this.file = createWriteStream(this.partial);
    if (this.format === 'xlsx') {
      this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: this.file, useSharedStrings: false, useStyles: false });
      this.sheet = this.workbook.addWorksheet('rejected');
      if (header && Array.isArray(header.raw)) this.sheet.addRow(header.raw).commit();
      return;
    }
    if (this.path.toLowerCase().endsWith('.gz')) {
      const gz = createGzip();
      gz.pipe(this.file);
      this.out = gz;
    } else this.out = this.file;
    if (this.format === 'json') this.out.write('[\n');
    if (header && typeof header.raw === 'string') this.out.write(header.raw.endsWith('\n') ? header.raw : `${header.raw}\n`);
  }

  /** Appends one rejected row as it was written (`header`: the input's header, for CSV, TSV and XLSX). */
  async write(raw: string | unknown[], header: { raw: string | unknown[] } | null): Promise<void> {
    this.open(header);
    if (this.sheet) {
      this.sheet.addRow(Array.isArray(raw) ? raw : [raw]).commit();
    } else {
      const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
      const piece = this.format === 'json' ? `${this.count > 0 ? ',\n' : ''}${text}` : text.endsWith('\n') ? text : `${text}\n`;
      if (!this.out!.write(piece)) await once(this.out!, 'drain');
    }
    this.count++;
  }

  /** Closes the file and renames it into place (an empty input still gets a FILE, with the header only). */
  async finish(header: { raw: string | unknown[] } | null): Promise<{ path: string; rows: number }> {
    this.open(header);
    if (this.workbook) {
      this.sheet!.commit();
      await this.workbook.commit();
    } else {
      if (this.format === 'json') this.out!.write(this.count > 0 ? '\n]\n' : ']\n');
      this.out!.end();
    }
    if (!this.file!.closed) await once(this.file!, 'close');
    renameSync(this.partial, this.path);
    return { path: this.path, rows: this.count };
  }

  /** Removes the partial file (the import failed before reading the whole input). */
  abandon(): void {
    this.out?.destroy();
    this.file?.destroy();
    rmSync(this.partial, { force: true });
  }
}
