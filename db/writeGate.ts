import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import { isBusy } from './client.ts';

/** Slots of the shared array. */
const WANTING = 0; // server transactions waiting for the write lock or holding it
const COMMITS = 1; // commits of the gated writer threads
const RELEASES = 2; // server transactions finished (committed, rolled back or given up)
const SLOTS = 3;

/** ms a waiting server transaction sleeps at most before trying again: a lock holder that is not a gated writer (a CLI process, a job's heartbeat) sends no notification. */
const POLL_MS = 4;


/**
 * Fairness for SQLite's one write lock between the server's request thread and the writer
 * threads of background work (a tagging run's outcome writer), over a SharedArrayBuffer both
 * sides see. SQLite's own busy handler sleeps in growing steps (up to 100 ms) and wakes without
 * knowing the lock was freed, so a waiting review lost the lock again and again to the writer's
 * next batch. Here the server counts the transactions that want the lock; a writer checks the
 * count before each batch and waits (bounded) while it is not zero, and announces each commit,
 * which wakes the waiting server transactions at once. Neither side can starve the other: the
 * writer's wait is bounded per batch, and a server transaction gives up after its busy timeout
 * as SQLite would.
 */
export class WriteGate {
  readonly buffer: SharedArrayBuffer;
  private readonly slots: Int32Array;

  /** A new gate, or the view of one made in another thread (pass its `buffer`). */
  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT)) {
    this.buffer = buffer;
    this.slots = new Int32Array(buffer);
  }

  /**
   * Runs `fn` in a write transaction on `sqlite` (the server's connection), taking the write
   * lock without blocking the event loop: BEGIN IMMEDIATE is tried without SQLite's busy
   * handler, and while another connection holds the lock the wait is on a writer's commit
   * notification (Atomics.waitAsync, at most POLL_MS at a time). `fn` runs synchronously inside
   * the transaction (a `db.transaction` in it becomes a savepoint); its throw rolls back. Gives
   * up with SQLite's SQLITE_BUSY error after the connection's busy timeout.
   */
  async exclusive<T>(sqlite: Database.Database, fn: () => T): Promise<T> {
    const release = this.want();
    try {
      const timeoutMs = Number(sqlite.pragma('busy_timeout', { simple: true }));
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const seen = Atomics.load(this.slots, COMMITS);
        const busy = this.tryBegin(sqlite, timeoutMs);
        if (busy === null) break;
        const left = deadline - performance.now();
        if (left <= 0) throw busy;
        const wait = Atomics.waitAsync(this.slots, COMMITS, seen, Math.min(left, POLL_MS));
        if (wait.async) await wait.value;
      }
      try {
        const result = fn();
        sqlite.exec('COMMIT');
        return result;
      } catch (err) {
        if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
        throw err;
      }
    } finally {
      release();
    }
  }

  /** BEGIN IMMEDIATE without waiting: null when the lock is taken, the SQLITE_BUSY error when another connection holds it. */
  private tryBegin(sqlite: Database.Database, timeoutMs: number): Database.SqliteError | null {
    sqlite.pragma('busy_timeout = 0');
    try {
      sqlite.exec('BEGIN IMMEDIATE');
      return null;
    } catch (err) {
      if (isBusy(err)) return err;
      throw err;
    } finally {
      sqlite.pragma(`busy_timeout = ${timeoutMs}`);
    }
  }

  /**
   * Announces a server transaction that wants the write lock (writers yield to it) until the
   * returned release is called; `exclusive` does this around its wait and its transaction.
   */
  want(): () => void {
    Atomics.add(this.slots, WANTING, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      Atomics.sub(this.slots, WANTING, 1);
      Atomics.add(this.slots, RELEASES, 1);
      Atomics.notify(this.slots, RELEASES);
    };
  }

  /** Server transactions waiting for the write lock or holding it now. */
  waiting(): number {
    return Atomics.load(this.slots, WANTING);
  }

  /**
   * A writer thread's batch, written in turns with the server: before each transaction it
   * yields to waiting server transactions (at most `maxWaitMs` over the whole batch, so a
   * stream of reviews slows a batch by a bounded time and never stops it), and while any wait
   * it writes at most `sharedChunk` entries per transaction, so the lock is never held long
   * while reviewers queue for it; each commit is announced. `write` must be a whole transaction
   * over the entries it is given (each chunk stands alone if a later one fails).
   */
  writeInTurns<T>(batch: readonly T[], write: (chunk: T[]) => void, options: { maxWaitMs: number; sharedChunk: number }): void {
    let at = 0;
    let budgetMs = options.maxWaitMs;
    while (at < batch.length) {
      budgetMs -= this.yieldToWaiting(Math.max(0, budgetMs));
      const n = this.waiting() > 0 ? options.sharedChunk : batch.length - at;
      write(batch.slice(at, at + n));
      this.committed();
      at += n;
    }
  }

  /**
   * A writer thread's turn before it takes the lock: blocks (Atomics.wait, so never on a
   * server's main thread) while server transactions want the lock, for at most `maxMs`.
   * Returns the ms it waited.
   */
  yieldToWaiting(maxMs: number): number {
    const start = performance.now();
    for (;;) {
      const released = Atomics.load(this.slots, RELEASES);
      if (Atomics.load(this.slots, WANTING) === 0) break;
      const left = start + maxMs - performance.now();
      if (left <= 0) break;
      Atomics.wait(this.slots, RELEASES, released, left);
    }
    return performance.now() - start;
  }

  /** A writer thread committed: wakes the server transactions waiting for the lock. */
  committed(): void {
    Atomics.add(this.slots, COMMITS, 1);
    Atomics.notify(this.slots, COMMITS);
  }
}
