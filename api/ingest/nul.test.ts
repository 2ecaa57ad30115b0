import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTestDb, testApp } from '../testing.ts';
import { runImport } from './import.ts';

const file = (name: string, text: string) => ({ file: name, open: () => Readable.from([Buffer.from(text)]) });

/**
 * NUL characters (U+0000) reach the importer in cells, header names, JSON keys and upload names.
 * The text loses them (normalize.ts's stripNul); everything else that is stored or reported must
 * not hold one either, since PostgreSQL's text and jsonb cannot (SQLite would keep them).
 */
describe('NUL characters in imported files', () => {
  it('keeps a metadata column or JSON key without its NUL, and shows a NUL of a rejected value as ␀ in the stored and reported reasons', async () => {
    const db = createTestDb();
    const csv = 'title,text,ex\u0000tra,label,themes,stance\nGood,First text.,kept,,,\nBad theme,Second text.,x,critical,th\u0000eme,\nBad stance,Third text.,y,critical,,1\u0000\n';
    const [rows] = (await runImport(db, [file('rows.csv', csv)], { origin: 'cli' })).files;
    expect(rows).toMatchObject({
      status: 'imported',
      documents: 1,
      rejected: 2,
      rejects: [
        { line: 3, column: 'themes', reason: expect.stringContaining('theme "th␀eme" is not in codebook') },
        { line: 4, column: 'stance', reason: 'stance "1␀" is not an integer' },
      ],
    });
    const [json] = (await runImport(db, [file('rows.jsonl', '{"text":"Fourth text.","title":"J","meta\\u0000key":"v"}\n')], { origin: 'cli' })).files;
    expect(json).toMatchObject({ status: 'imported', documents: 1 });
    const metadata = (db.$client.prepare('SELECT metadata FROM documents ORDER BY id').pluck().all() as string[]).map((m) => JSON.parse(m) as unknown);
    expect(metadata).toEqual([{ extra: 'kept' }, { metakey: 'v' }]);
    expect(db.$client.prepare('SELECT message FROM import_issues ORDER BY id').pluck().all()).toEqual([expect.stringContaining('theme "th␀eme"'), 'stance "1␀" is not an integer']);
  });

  it('queues an upload whose file name holds a NUL under the name without it', async () => {
    const { app, deps } = testApp();
    const form = new FormData();
    form.append('files', new File(['Some text.'], 'up\u0000load.txt'));
    const res = await app.request('/api/imports', { method: 'POST', body: form });
    expect(res.status).toBe(202);
    const params = JSON.parse(deps.db.$client.prepare('SELECT params FROM jobs').pluck().get() as string) as { files: { file: string }[] };
    expect(params.files.map((f) => f.file)).toEqual(['upload.txt']);
  });
});
