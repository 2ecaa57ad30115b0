import { defineConfig } from 'drizzle-kit';

/** The PostgreSQL schema's migrations (`npx drizzle-kit generate --config drizzle.pg.config.ts`). */
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/pg/schema/index.ts',
  out: './db/migrations-pg',
  casing: 'snake_case',
});
