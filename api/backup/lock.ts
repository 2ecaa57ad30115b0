import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/** What a running server writes beside its database, so `restore` can tell it is there. */
export interface ServerLock {
  pid: number;
  url: string;
  startedAt: string;
}

/** The lock file of a database: `<db>.server.json`. */
export const lockPathFor = (dbPath: string) => `${dbPath}.server.json`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The server holding a database, or null. A lock left by a server that died (kill -9, power
 * loss) names a process that no longer exists and is ignored.
 */
export function serverHolding(dbPath: string): ServerLock | null {
  let lock: ServerLock;
  try {
    lock = JSON.parse(readFileSync(lockPathFor(dbPath), 'utf8')) as ServerLock;
  } catch {
    return null;
  }
  return Number.isInteger(lock.pid) && alive(lock.pid) ? lock : null;
}

/**
 * Records that this process serves `dbPath`; refuses when another live server already does
 * (two servers on one file could not both be stopped by a restore). Returns the release.
 */
export function holdServerLock(dbPath: string, url: string, now: Date): () => void {
  const other = serverHolding(dbPath);
  if (other && other.pid !== process.pid) throw new Error(`database ${dbPath} is already served by process ${other.pid} at ${other.url}; stop it first or use another --db`);
  const path = lockPathFor(dbPath);
  writeFileSync(path, `${JSON.stringify({ pid: process.pid, url, startedAt: now.toISOString() } satisfies ServerLock)}\n`);
  return () => {
    const current = serverHolding(dbPath);
    if (!current || current.pid === process.pid) rmSync(path, { force: true });
  };
}
