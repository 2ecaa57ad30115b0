import { describe, expect, it } from 'vitest';
import { createTestDb } from '../testing.ts';
import { DEFAULT_CODEBOOK_FILE, loadCodebookFile, parseCodebook } from './definition.ts';
import { activateCodebook, addCodebook, getActiveCodebook } from './service.ts';

describe('the active codebook', () => {
  it('follows an activation on the same connection, and a rolled-back one leaves the previous codebook active', () => {
    const db = createTestDb();
    const bundled = getActiveCodebook(db);
    const base = loadCodebookFile(DEFAULT_CODEBOOK_FILE);
    const next = addCodebook(db, { ...base, version: `${base.version}-next`, labels: base.labels.slice(0, 2) }, { activate: true });

    const read = getActiveCodebook(db);
    expect(read.id).toBe(next.id);
    expect(read.definition.labels.map((l) => l.id)).toEqual(base.labels.slice(0, 2).map((l) => l.id));

    expect(() =>
      db.transaction(() => {
        activateCodebook(db, bundled.id);
        expect(getActiveCodebook(db).id).toBe(bundled.id);
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(getActiveCodebook(db).id).toBe(next.id);

    activateCodebook(db, bundled.id);
    expect(getActiveCodebook(db)).toMatchObject({ id: bundled.id, hash: bundled.hash, definition: bundled.definition });
  });
});

describe('a codebook file', () => {
  it('is stored without a NUL its JSON held in a definition (the CLI reads files past the API\'s body guard)', () => {
    const db = createTestDb();
    const base = loadCodebookFile(DEFAULT_CODEBOOK_FILE);
    const label = base.labels[0]!;
    const text = JSON.stringify({ ...base, version: 'nul', labels: [{ ...label, definition: `Nul\u0000 here.` }, ...base.labels.slice(1)] });
    const stored = addCodebook(db, parseCodebook(text, 'team.json'), { activate: true });
    expect(getActiveCodebook(db)).toMatchObject({ id: stored.id });
    expect(getActiveCodebook(db).definition.labels[0]).toEqual({ ...label, definition: 'Nul here.' });
  });
});
