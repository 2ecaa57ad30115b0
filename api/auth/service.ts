import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, gt, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { perConnection } from '../../db/prepared.ts';
import { sessions, users, type User } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { badRequest, conflict, forbidden, notFound, unauthorized } from '../errors.ts';
import { decoyHash, hashPassword, verifyPassword } from './passwords.ts';

/** The person making a request. */
export const ActorSchema = z.object({ id: z.number().int(), name: z.string(), role: z.enum(['admin', 'reviewer']) }).meta({ id: 'Reviewer' });
export type Actor = z.infer<typeof ActorSchema>;

/** Who is reviewing, and whether this server needs a login. */
export const MeSchema = z.object({ actor: ActorSchema.nullable(), loginRequired: z.boolean() }).meta({ id: 'Me' });

export const SESSION_COOKIE = 'fs_session';
export const CSRF_COOKIE = 'fs_csrf';
/** Loopback only: the chosen reviewer name, no password. */
export const REVIEWER_COOKIE = 'fs_reviewer';
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000; // 7 days

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._'-]{0,63}$/u;

function toActor(u: User): Actor {
  if (u.role === 'import') throw forbidden(`${u.name} is an import account and cannot act`);
  return { id: u.id, name: u.name, role: u.role };
}

/** Session ids are stored hashed, so a copy of the database does not hold live cookies. */
const sessionKey = (token: string) => createHash('sha256').update(token).digest('hex');

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!NAME.test(trimmed)) throw badRequest(`reviewer name "${name}" must be 1-64 letters, digits, spaces or . _ ' -`, 'invalid_name');
  return trimmed;
}

/**
 * Loopback: finds or creates the named reviewer. The first person on a fresh database is the
 * admin (they own the machine the server runs on); later names are reviewers.
 */
export function identifyLocalReviewer(db: Db, rawName: string): Actor {
  const name = checkName(rawName);
  return db.transaction((tx) => {
    const existing = tx.select().from(users).where(eq(users.name, name)).get();
    if (existing) {
      if (!existing.active) throw forbidden(`reviewer ${name} is deactivated`);
      return toActor(existing);
    }
    const anyPerson = tx.select({ id: users.id }).from(users).where(ne(users.role, 'import')).get();
    const role = anyPerson ? ('reviewer' as const) : ('admin' as const);
    const user = tx.insert(users).values({ name, role }).returning().get();
    audit(tx, { actor: name, action: 'user.create', entityType: 'user', entityId: user.id, after: { name, role }, details: { via: 'loopback name' } });
    return toActor(user);
  });
}

const userByNameQuery = perConnection((db) => db.select().from(users).where(eq(users.name, sql.placeholder('name'))).prepare());

/** Loopback: the reviewer a `fs_reviewer` cookie names, if it still exists. */
export function localReviewerByName(db: Db, name: string | undefined): Actor | null {
  if (!name) return null;
  const user = userByNameQuery(db).get({ name });
  return user && user.active && user.role !== 'import' ? toActor(user) : null;
}

/**
 * Beyond loopback: makes sure the `admin` account exists with the configured password when
 * no admin can log in yet. Never overwrites a password an admin already has.
 */
export async function bootstrapAdmin(db: Db, password: string | undefined): Promise<void> {
  if (!password) return;
  const withPassword = db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.role, 'admin'))
    .all()
    .some((u) => u.passwordHash !== null);
  if (withPassword) return;
  const hash = await hashPassword(password);
  db.transaction((tx) => {
    const existing = tx.select().from(users).where(eq(users.name, 'admin')).get();
    if (existing) tx.update(users).set({ role: 'admin', passwordHash: hash, active: true }).where(eq(users.id, existing.id)).run();
    else tx.insert(users).values({ name: 'admin', role: 'admin', passwordHash: hash }).run();
    audit(tx, { actor: 'system', action: 'user.bootstrap-admin', entityType: 'user', details: { from: 'FRAMESCOPE_ADMIN_PASSWORD' } });
  });
}

/** Whether some active admin has a password, i.e. somebody can log in beyond loopback. */
export function adminCanLogIn(db: Db): boolean {
  return db
    .select({ passwordHash: users.passwordHash, active: users.active })
    .from(users)
    .where(eq(users.role, 'admin'))
    .all()
    .some((u) => u.active && u.passwordHash !== null);
}

export interface LoginResult {
  actor: Actor;
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * Checks a name and password and opens a session. The same message and the same scrypt work for
 * any failure (an unknown name is checked against a decoy hash), so names cannot be probed by
 * the answer or its timing.
 */
export async function login(db: Db, name: string, password: string, now: Date): Promise<LoginResult> {
  const user = db.select().from(users).where(eq(users.name, name.trim())).get();
  const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  if (!user || !user.passwordHash || !ok || !user.active || user.role === 'import') throw unauthorized('wrong name or password', 'bad_credentials');
  const sessionToken = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  db.transaction((tx) => {
    tx.insert(sessions).values({ id: sessionKey(sessionToken), userId: user.id, csrfToken, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString() }).run();
    audit(tx, { actor: user.name, action: 'user.login', entityType: 'user', entityId: user.id, at: now });
  });
  return { actor: toActor(user), sessionToken, csrfToken, expiresAt };
}

/** The session a cookie names, if it is live. */
export function sessionFor(db: Db, token: string | undefined, now: Date): { actor: Actor; csrfToken: string } | null {
  if (!token) return null;
  const row = db
    .select({ user: users, csrfToken: sessions.csrfToken })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionKey(token)), gt(sessions.expiresAt, now.toISOString())))
    .get();
  if (!row || !row.user.active || row.user.role === 'import') return null;
  return { actor: toActor(row.user), csrfToken: row.csrfToken };
}

/** Ends a session. */
export function logout(db: Db, token: string | undefined): void {
  if (token) db.delete(sessions).where(eq(sessions.id, sessionKey(token))).run();
}

/** A person as the API shows them (never the password hash). */
export const PublicUserSchema = z
  .object({ id: z.number().int(), name: z.string(), role: z.enum(['admin', 'reviewer', 'import']), active: z.boolean(), hasPassword: z.boolean(), createdAt: z.string() })
  .meta({ id: 'User' });
export type PublicUser = z.infer<typeof PublicUserSchema>;

/** Every account, oldest first. */
export function listUsers(db: Db): PublicUser[] {
  return db
    .select()
    .from(users)
    .orderBy(asc(users.id))
    .all()
    .map((u) => ({ id: u.id, name: u.name, role: u.role, active: u.active, hasPassword: u.passwordHash !== null, createdAt: u.createdAt }));
}

/** An admin creates a reviewer or admin (with a password: needed to log in beyond loopback). */
export async function createUser(db: Db, by: Actor, input: { name: string; role: 'admin' | 'reviewer'; password?: string | undefined }): Promise<PublicUser> {
  requireAdmin(by);
  const name = checkName(input.name);
  if (input.password !== undefined && input.password.length < 12) throw badRequest('password must be at least 12 characters', 'weak_password');
  if (db.select({ id: users.id }).from(users).where(eq(users.name, name)).get()) throw conflict(`a user named ${name} already exists`, 'user_exists');
  const hash = input.password === undefined ? null : await hashPassword(input.password);
  const user = db.transaction((tx) => {
    const row = tx.insert(users).values({ name, role: input.role, passwordHash: hash }).returning().get();
    audit(tx, { actor: by.name, action: 'user.create', entityType: 'user', entityId: row.id, after: { name, role: input.role, hasPassword: hash !== null } });
    return row;
  });
  return listUsers(db).find((u) => u.id === user.id)!;
}

/** Refuses anyone but an admin. */
export function requireAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw forbidden(`only an admin can do this; ${actor.name} is a reviewer`);
}

/** Sets a person's password (an admin for anyone, anyone for themselves); their other sessions end. */
export async function setPassword(db: Db, by: Actor, userId: number, password: string): Promise<void> {
  if (by.id !== userId) requireAdmin(by);
  if (password.length < 12) throw badRequest('password must be at least 12 characters', 'weak_password');
  const user = db.select().from(users).where(eq(users.id, userId)).get();
  if (!user || user.role === 'import') throw notFound(`no reviewer with id ${userId}`);
  const hash = await hashPassword(password);
  db.transaction((tx) => {
    tx.update(users).set({ passwordHash: hash }).where(eq(users.id, userId)).run();
    tx.delete(sessions).where(eq(sessions.userId, userId)).run();
    audit(tx, { actor: by.name, action: 'user.password', entityType: 'user', entityId: userId, details: { for: user.name } });
  });
}
