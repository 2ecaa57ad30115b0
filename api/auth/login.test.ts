import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { testApp } from '../testing.ts';
import { decoyHash, derivations, hashPassword, MAX_CONCURRENT_HASHES, MAX_QUEUED_HASHES } from './passwords.ts';
import { LOGIN_ATTEMPTS_PER_ADDRESS, LOGIN_ATTEMPTS_PER_NAME } from './throttle.ts';

/** Beyond loopback, with accounts hashed at a low scrypt cost so the many logins here stay quick (each hash is checked at its own cost). */
const remote = () => testApp({ env: { HOST: '0.0.0.0' } });
const CHEAP = { N: 2 ** 10, r: 8, p: 1 };

async function addUser(db: Db, name: string, password: string, role: 'admin' | 'reviewer' = 'reviewer') {
  db.$client.prepare('INSERT INTO users (name, role, password_hash) VALUES (?, ?, ?)').run(name, role, await hashPassword(password, CHEAP));
}

/** A login from a client address (the socket peer, as @hono/node-server passes it). */
function login(app: ReturnType<typeof testApp>['app'], name: string, password: string, address = '10.0.0.1') {
  return app.request(
    '/api/auth/login',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) },
    { incoming: { socket: { remoteAddress: address } } },
  );
}

const codeOf = async (r: Response) => (r.status === 401 ? '401' : `${r.status} ${((await r.json()) as { error: { code: string } }).error.code}`);

describe('login abuse', () => {
  it('spends one scrypt derivation on a wrong password, an unknown name and a name without a password alike', async () => {
    const { app, deps } = remote();
    await addUser(deps.db, 'admin', 'correct horse battery', 'admin');
    deps.db.$client.prepare(`INSERT INTO users (name, role) VALUES ('nopass', 'reviewer')`).run();
    await decoyHash();
    for (const name of ['admin', 'nobody-by-this-name', 'nopass']) {
      const before = derivations();
      const res = await login(app, name, 'wrong password');
      expect(res.status, name).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'bad_credentials', message: 'wrong name or password' } });
      expect(derivations() - before, name).toBe(1);
    }
  });

  it(`refuses attempt ${LOGIN_ATTEMPTS_PER_NAME + 1} on one name with 429 and Retry-After, before hashing, even with the right password`, async () => {
    const { app, deps } = remote();
    await addUser(deps.db, 'admin', 'correct horse battery', 'admin');
    const tries = await Promise.all(Array.from({ length: LOGIN_ATTEMPTS_PER_NAME }, (_, i) => login(app, 'admin', 'guess', `10.0.1.${i}`)));
    expect(tries.map((r) => r.status)).toEqual(Array(LOGIN_ATTEMPTS_PER_NAME).fill(401));
    const before = derivations();
    const blocked = await login(app, 'Admin ', 'correct horse battery', '10.0.2.1');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(derivations()).toBe(before);
    // Another person at that address is not locked out by it.
    await addUser(deps.db, 'rita', 'another long secret');
    expect((await login(app, 'rita', 'another long secret', '10.0.2.1')).status).toBe(200);
  });

  it('refuses a burst of 40 parallel logins beyond the per-address limit and the hashing queue, hashing only what it admits', async () => {
    const { app, deps } = remote();
    for (let i = 0; i < 40; i++) await addUser(deps.db, `user${i}`, 'the right password');
    const before = derivations();
    const codes = await Promise.all((await Promise.all(Array.from({ length: 40 }, (_, i) => login(app, `user${i}`, 'guess')))).map(codeOf));
    const count = (c: string) => codes.filter((x) => x === c).length;
    expect(count('401') + count('429 login_busy') + count('429 rate_limited')).toBe(40);
    expect(count('429 rate_limited')).toBe(40 - LOGIN_ATTEMPTS_PER_ADDRESS);
    expect(count('401')).toBeLessThanOrEqual(MAX_CONCURRENT_HASHES + MAX_QUEUED_HASHES);
    expect(count('429 login_busy')).toBeGreaterThanOrEqual(LOGIN_ATTEMPTS_PER_ADDRESS - MAX_CONCURRENT_HASHES - MAX_QUEUED_HASHES);
    expect(derivations() - before).toBe(count('401'));
  });

  it('gives a successful login its points back', async () => {
    const { app, deps } = remote();
    await addUser(deps.db, 'admin', 'correct horse battery', 'admin');
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_NAME + 2; i++) expect((await login(app, 'admin', 'correct horse battery')).status).toBe(200);
  });
});
