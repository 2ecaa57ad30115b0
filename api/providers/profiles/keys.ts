import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { localFilesStem, reopenTarget } from '../../../db/target.ts';

/**
 * Where provider keys live: a 0600 JSON file beside the database (`data/framescope.secrets.json`
 * beside `data/framescope.db`), never in it, so no backup (VACUUM INTO copies only the
 * database), restore or export can carry a key. Entries are found by a profile's `keyRef`.
 */
export interface KeyStore {
  /** The file, or null for an in-memory database (keys then live as long as its connection). */
  readonly path: string | null;
  get(keyRef: string): string | undefined;
  set(keyRef: string, key: string): void;
  delete(keyRef: string): void;
}

const KeyFileSchema = z.object({ version: z.literal(1), keys: z.record(z.string(), z.string()) });

/** `<dir>/<name>.secrets.json` for `<dir>/<name>.db`; `data/<database>.secrets.json` for a PostgreSQL database (db/target.ts). */
export function keyFileFor(dbPath: string): string {
  return `${localFilesStem(dbPath)}.secrets.json`;
}

/** A new random key reference for a profile. */
export const newKeyRef = () => randomUUID();

function readKeyFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const parsed = KeyFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`the key file ${path} is not a Framescope key file`);
  return parsed.data.keys;
}

/** Writes the whole file under a temporary name created 0600, then renames it over the old one. */
function writeKeyFile(path: string, keys: Record<string, string>): void {
  const tmp = `${path}.${process.pid}.tmp`;
  mkdirSync(dirname(path), { recursive: true }); // a PostgreSQL database's folder is not made by opening it
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify({ version: 1, keys }, null, 2));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** A key file's store; every call reads the file, so a key saved by the server is seen by its job threads and the CLI at once. */
export function fileKeyStore(path: string): KeyStore {
  return {
    path,
    get: (ref) => readKeyFile(path)[ref],
    set(ref, key) {
      writeKeyFile(path, { ...readKeyFile(path), [ref]: key });
    },
    delete(ref) {
      const keys = readKeyFile(path);
      if (!(ref in keys)) return;
      delete keys[ref];
      writeKeyFile(path, keys);
    },
  };
}

// An in-memory database has no file to put a key beside: its keys stay with its connection.
const memoryStores = new WeakMap<Database.Database, KeyStore>();

/** The key store of a database: its key file, or a store tied to an in-memory connection. */
export function keyStoreFor(db: Db): KeyStore {
  const client = db.$client;
  if (!client.memory) return fileKeyStore(keyFileFor(reopenTarget(db)));
  let store = memoryStores.get(client);
  if (!store) {
    const keys = new Map<string, string>();
    store = { path: null, get: (r) => keys.get(r), set: (r, k) => void keys.set(r, k), delete: (r) => void keys.delete(r) };
    memoryStores.set(client, store);
  }
  return store;
}
