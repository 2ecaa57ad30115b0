import { parseArgs } from 'node:util';
import { ensureWebBuild } from '../web/build.ts';
import { openDb } from '../db/client.ts';
import { loadConfig } from './config.ts';
import { startServer } from './server.ts';

/** `npm start`: build the web UI if stale, open and migrate the database, serve. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { db: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
    allowPositionals: false,
  });
  const config = loadConfig(process.env, {
    ...(values.db ? { dbPath: values.db } : {}),
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values.host ? { host: values.host } : {}),
  });
  const webRoot = await ensureWebBuild();
  const db = openDb(config.dbPath);
  const { url } = await startServer({ db, config, now: () => new Date(), webRoot });
  console.log(`Framescope is serving ${url} (database ${config.dbPath}, provider ${config.defaultProvider})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`framescope: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
