import { sql } from 'drizzle-orm';
import { boolean, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { enumChecks, isoTimestamp } from '../columns.ts';

/** A person (or a named import) whose decisions are recorded as reviews. */
export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    name: text('name').notNull().unique(),
    /** admin and reviewer are people; `import` marks labels that arrived with a file. */
    role: text('role', { enum: ['admin', 'reviewer', 'import'] }).notNull().default('reviewer'),
    passwordHash: text('password_hash'),
    active: boolean('active').notNull().default(true),
    createdAt: isoTimestamp('created_at').notNull().default(sql`now()`),
  },
  (t) => enumChecks('users', t),
);

/** Login sessions, only used when the server is reachable beyond loopback. */
export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  csrfToken: text('csrf_token').notNull(),
  createdAt: isoTimestamp('created_at').notNull(),
  expiresAt: isoTimestamp('expires_at').notNull(),
});

export type User = typeof users.$inferSelect;
