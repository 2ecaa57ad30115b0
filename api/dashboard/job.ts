import { z } from 'zod';
import type { JobKindSpec } from '../jobs/types.ts';
import { clientOf, rebuildStatements } from './rollups.ts';

/**
 * Rebuilds every dashboard rollup from `items` (after data was written around the state
 * functions, or to check them). One transaction, so readers see the old rollups or the new
 * ones, never a mix; it holds the write lock while it runs, so reviews wait for it.
 */
/** What a rebuild reports: the statements it ran. */
export const RollupsJobResultSchema = z.object({ statements: z.number().int() }).meta({ id: 'RollupsJobResult' });

export const rollupsJob: JobKindSpec<Record<string, never>> = {
  kind: 'rollups',
  resumable: false,
  describe: () => 'rebuild of the dashboard rollups',
  result: RollupsJobResultSchema,
  async run(ctx) {
    const statements = rebuildStatements();
    const c = clientOf(ctx.deps.db);
    ctx.progress({ phase: 'rebuilding', unit: 'statements', done: 0, total: statements.length });
    c.transaction(() => {
      statements.forEach((statement, i) => {
        c.exec(statement);
        ctx.progress({ done: i + 1 });
      });
    }).immediate();
    return { state: 'completed', result: { statements: statements.length } };
  },
};
