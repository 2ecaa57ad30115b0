import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import pLimit from 'p-limit';
import { tooManyRequests } from '../errors.ts';

/** scrypt cost parameters; stored with every hash, so a hash is always checked at its own cost. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP-recommended scrypt cost for interactive logins: N=2^17, r=8, p=1 (~128 MiB, ~0.2 s). */
export const PARAMS: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32; // bytes

/**
 * scrypt runs on libuv's thread pool (4 threads), which also reads every static file and
 * upload: left unbounded, 40 parallel logins fill it and the whole server waits. At most
 * MAX_CONCURRENT_HASHES derivations run at once (this bounds a process-wide resource, so it is
 * one per process), and at most MAX_QUEUED_HASHES wait; beyond that a login is refused with 429
 * at once rather than queued for ever.
 */
export const MAX_CONCURRENT_HASHES = 2;
export const MAX_QUEUED_HASHES = 16;
const hashing = pLimit(MAX_CONCURRENT_HASHES);
let derived = 0;

/** scrypt derivations this process has run (the work a login costs, whatever its outcome). */
export const derivations = () => derived;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  if (hashing.pendingCount >= MAX_QUEUED_HASHES) throw tooManyRequests('too many logins at once; try again in a moment', 1, 'login_busy');
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return hashing(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        derived += 1;
        scrypt(password, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
      }),
  );
}

/** Hashes a password with node:crypto scrypt (at `params`, the OWASP cost unless given); the result carries its own parameters and salt. */
export async function hashPassword(password: string, params: ScryptParams = PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Checks a password against a stored hash in constant time; false for any malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let decoy: Promise<string> | null = null;
/**
 * A hash of a random password with the current parameters, made once: a login for a name that
 * does not exist (or has no password) is checked against it, so refusing an unknown name costs
 * the same scrypt work as refusing a wrong password and the timing does not tell names apart.
 */
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}
