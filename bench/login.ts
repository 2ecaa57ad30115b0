/**
 * Login bench: what a login costs to refuse for a known and an unknown name (they must cost the
 * same, or the timing tells names apart), and what 40 parallel wrong-password logins do to the
 * rest of the server, measured as the time to fetch a static file during the burst beside the
 * same fetch on an idle server. A real server on 127.0.0.1 configured as beyond loopback, with
 * the production scrypt cost.
 *
 *   npm run bench:login
 */
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../api/config.ts';
import { openAppDb } from '../api/db.ts';
import { serverDeps } from '../api/jobs/setup.ts';
import { startServer } from '../api/server.ts';
import { ensureWebBuild } from '../web/build.ts';
import { quantile } from './load/driver.ts';

const PASSWORD = 'correct horse battery staple';

async function main(): Promise<void> {
  const webRoot = await ensureWebBuild((m) => console.log(m));
  const asset = `/assets/${readdirSync(`${webRoot}/assets`).find((f) => f.endsWith('.js'))}`;
  const db = openAppDb(':memory:');
  const config = { ...loadConfig({ HOST: '0.0.0.0', FRAMESCOPE_ADMIN_PASSWORD: PASSWORD }), host: '127.0.0.1', port: 0 };
  const { server, url } = await startServer(serverDeps({ db, config, webRoot }));
  const login = async (name: string, password: string) => {
    const t0 = performance.now();
    const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
    await res.text();
    return { status: res.status, ms: performance.now() - t0 };
  };
  const fetchAsset = async () => {
    const t0 = performance.now();
    await (await fetch(`${url}${asset}`)).arrayBuffer();
    return performance.now() - t0;
  };
  try {
    await login('admin', PASSWORD); // the admin is bootstrapped, the decoy hash made
    const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 8; i++) {
      known.push((await login('admin', `wrong ${i}`)).ms);
      unknown.push((await login(`nobody-${i}`, `wrong ${i}`)).ms);
    }
    await login('admin', PASSWORD); // a success gives the name its attempts back
    const idle: number[] = [];
    for (let i = 0; i < 5; i++) idle.push(await fetchAsset());
    const burst = Promise.all(Array.from({ length: 40 }, (_, i) => login(`burst-${i}`, 'guess')));
    const during: number[] = [];
    for (let i = 0; i < 5; i++) during.push(await fetchAsset());
    const statuses = (await burst).reduce<Record<number, number>>((m, r) => ((m[r.status] = (m[r.status] ?? 0) + 1), m), {});
    console.table([
      { measure: 'refuse a wrong password for a known name (median ms)', figure: median(known).toFixed(1), baseline: 'issue: 373 ms' },
      { measure: 'refuse an unknown name (median ms)', figure: median(unknown).toFixed(1), baseline: 'issue: 0.8 ms', ratio: (median(unknown) / median(known)).toFixed(2) },
      { measure: 'static file on an idle server (median ms)', figure: median(idle).toFixed(1) },
      { measure: 'static file during 40 parallel logins (median ms)', figure: median(during).toFixed(1), baseline: 'issue: 27,000 ms', ratio: (median(during) / median(idle)).toFixed(2) },
    ]);
    console.log('the 40 parallel logins answered:', statuses, '(401 hashed and refused; 429 refused before hashing: per-address limit or a full hashing queue)');
  } finally {
    server.close();
    db.$client.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
