import { describe, expect, it } from 'vitest';
import { runImport } from '../ingest/import.ts';
import { bytesSource } from '../ingest/sources.ts';
import { createTestDb } from '../testing.ts';
import { DashboardQuerySchema, parseFilters } from './filters.ts';
import { framingMix } from './views/framing.ts';

const STORY =
  'The finance ministers of the five member states met in the capital on Tuesday to discuss a common tariff on grain imports. ' +
  'Officials said the talks would continue next month, after each delegation reports back to its government. ' +
  'Analysts noted that the proposal had failed twice before, when two members objected to the quota system.';

describe('the dashboard without syndicated copies', () => {
  it('counts a wire story once, at its original outlet, when syndicated copies are excluded', async () => {
    const db = createTestDb();
    const rows = [
      { text: STORY, outlet: 'Agency', label: 'analytical' },
      { text: `${STORY}\n\nReporting by the wire desk.`, outlet: 'Daily B', label: 'analytical' },
      { text: 'Harbour workers ended their strike after the company restored the night shift bonus, the union said on Friday.', outlet: 'Daily B', label: 'critical' },
    ];
    const report = await runImport(db, [bytesSource('wire.jsonl', rows.map((r) => JSON.stringify(r)).join('\n'))], { origin: 'cli' });
    expect(report.totals).toMatchObject({ documents: 3, duplicates: 1, labels: 3 });
    // The labels came with the file (not marked gold): the people basis counts them only with includeBulk.
    const counts = (syndicated: 'include' | 'exclude') =>
      framingMix(db, parseFilters(DashboardQuerySchema.parse({ basis: 'people', includeBulk: '1', level: 'document', syndicated }), db)).rows.map((r) => [r.source, r.counted, Object.fromEntries(Object.entries(r.counts).filter(([, n]) => n > 0))]);
    // Rows come largest first (Daily B has two documents).
    expect(counts('include')).toEqual([
      ['Daily B', 2, { analytical: 1, critical: 1 }],
      ['Agency', 1, { analytical: 1 }],
    ]);
    expect(counts('exclude')).toEqual([
      ['Daily B', 1, { critical: 1 }],
      ['Agency', 1, { analytical: 1 }],
    ]);
  });
});
