import { parseArgs } from 'node:util';
import { ensureWebBuild } from '../web/build.ts';
import { readOnlyReason, type Db } from '../db/client.ts';
import { describeTarget, isFileDatabase } from '../db/target.ts';
import { adminCanLogIn } from './auth/service.ts';
import { holdServerLock } from './backup/lock.ts';
import { loadConfig, type Config } from './config.ts';
import { openAppDb } from './db.ts';
import { serverDeps } from './jobs/setup.ts';
import { redactText, redactUrl, secretsOf } from './providers/redact.ts';
import { startServer } from './server.ts';

/**
 * What must hold before serving: beyond loopback somebody must be able to log in. Returns the
 * reason the database cannot be written (served read-only), or null.
 */
export function preflight(db: Db, config: Config): { readOnlyReason: string | null } {
  const readOnly = readOnlyReason(db);
  if (!config.loopbackOnly && !config.adminPassword && !adminCanLogIn(db)) {
    throw new Error(
      `HOST=${config.host} serves beyond loopback, where every page needs a login, but no admin has a password yet: ` +
        `set FRAMESCOPE_ADMIN_PASSWORD (at least 12 characters) to create the "admin" login, e.g. FRAMESCOPE_ADMIN_PASSWORD='a long secret' HOST=${config.host} npm start`,
    );
  }
  return { readOnlyReason: readOnly };
}

/** `npm start`: open and migrate the database, check it can be served, build the web UI if stale, serve. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { db: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
    allowPositionals: false,
  });
  const config = loadConfig(env, {
    ...(values.db ? { dbPath: values.db } : {}),
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values.host ? { host: values.host } : {}),
  });
  const db = openAppDb(config.dbPath);
  let ready: { readOnlyReason: string | null };
  try {
    ready = preflight(db, config);
  } catch (err) {
    db.$client.close();
    throw err;
  }
  if (ready.readOnlyReason) {
    console.error(`framescope: the database ${describeTarget(config.dbPath)} is read-only: ${ready.readOnlyReason}. Serving reads; every change answers 503 until it is writable.`);
  }
  const webRoot = await ensureWebBuild();
  const deps = serverDeps({ db, config, webRoot, readOnlyReason: ready.readOnlyReason });
  const { server, url } = await startServer(deps);
  let release: () => void;
  try {
    // The lock beside an SQLite file tells `restore` a server has it open; a server database is
    // shared by design (several app processes may serve it) and is not restored by file.
    release = isFileDatabase(config.dbPath) ? holdServerLock(config.dbPath, url, new Date()) : () => {};
  } catch (err) {
    server.close();
    await deps.jobs.stop();
    db.$client.close();
    throw err;
  }
  // A clean stop (Ctrl-C, `restore --stop-server`, a service manager) stops running jobs at their next
  // clean point (left resumable), finishes requests, checkpoints the WAL and drops the lock.
  const stop = () => {
    console.log('stopping: running jobs stop at their next clean point and can be resumed…');
    const exit = () => {
      db.$client.close();
      release();
      process.exit(0);
    };
    server.close();
    void deps.jobs.stop().then(exit, exit);
    setTimeout(() => {
      release();
      process.exit(0);
    }, 10_000).unref(); // 10 s for jobs, open requests and event streams
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Announced only once a stop is handled: whoever waits for this line may signal at once.
  console.log(`Framescope is serving ${url} (database ${describeTarget(config.dbPath)}, provider ${config.defaultProvider}${config.openai.baseURL ? ` at ${redactUrl(config.openai.baseURL)}` : ''})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`framescope: ${redactText(err instanceof Error ? err.message : String(err), secretsOf(process.env.OPENAI_BASE_URL, process.env.OPENAI_API_KEY))}`);
    process.exit(1);
  });
}
