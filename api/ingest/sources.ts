import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { FoundFile } from './manifest.ts';
import type { ImportSource } from './options.ts';
import type { DocumentMeta } from './readers.ts';

/** A file on disk as an import source (streamed from disk each time it is opened). */
export function diskSource(found: FoundFile): ImportSource {
  return { file: found.file, size: statSync(found.path).size, open: () => createReadStream(found.path, { highWaterMark: 256 * 1024 }), manifest: found.manifest };
}

/** Bytes already in memory (an upload, a test) as an import source. */
export function bytesSource(file: string, bytes: Uint8Array | string, manifest: DocumentMeta | null = null): ImportSource {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Chunks of 64 KiB, as a file stream would give them, so readers meet the same boundaries.
  const chunks = () => {
    const out: Buffer[] = [];
    for (let i = 0; i < buf.length; i += 65_536) out.push(buf.subarray(i, i + 65_536));
    return out;
  };
  return { file, size: buf.length, open: () => Readable.from(chunks(), { objectMode: false }), manifest };
}
