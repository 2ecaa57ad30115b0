import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli.ts';
import { seedCorpus } from '../fixtures.ts';
import { testApp } from '../testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'fs-sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function upload(csv: string) {
  const fd = new FormData();
  fd.append('file', new File([csv], 'sources.csv'));
  return { method: 'POST', body: fd };
}

const SOURCES_CSV = [
  'name,url,country,language,alignment,ownership',
  'Alpha,https://alpha.example,RU,ru,state-aligned,state',
  'Beta,,BY,ru,state-aligned,',
  '"Gamma, the daily",https://gamma.example/,RU,en,independent,private',
  'Bad,javascript:alert(1),RU,ru,independent,',
  ',https://nameless.example,RU,ru,,',
  'Alpha,https://again.example,RU,ru,foreign,',
].join('\n');

describe('sources: language and groupings', () => {
  it('imports a sources CSV over HTTP: creates and updates sources, sets groupings, and rejects bad rows by line', async () => {
    const { app, deps } = testApp();
    seedCorpus(deps.db, [{ name: 'Alpha', documents: [{ title: 'A', passages: [{ text: 'a' }] }] }]);
    const res = await app.request('/api/sources/import', upload(SOURCES_CSV));
    const report = await res.json();
    expect(res.status, JSON.stringify(report)).toBe(200);
    expect(report).toEqual({
      created: 2,
      updated: 1,
      groupings: ['alignment', 'ownership'],
      rejected: [
        { line: 5, reason: expect.stringMatching(/^url: /) },
        { line: 6, reason: 'no name' },
        { line: 7, reason: '"Alpha" is already given earlier in the file' },
      ],
    });
    const { sources } = await (await app.request('/api/sources')).json();
    expect(sources.map((s: Record<string, unknown>) => [s.name, s.country, s.language, s.url, s.groups, s.documentCount])).toEqual([
      ['Alpha', 'RU', 'ru', 'https://alpha.example', { alignment: 'state-aligned', ownership: 'state' }, 1],
      ['Beta', 'BY', 'ru', null, { alignment: 'state-aligned' }, 0],
      ['Gamma, the daily', 'RU', 'en', 'https://gamma.example/', { alignment: 'independent', ownership: 'private' }, 0],
    ]);
    const { groupings } = await (await app.request('/api/sources/groupings')).json();
    expect(groupings).toEqual([
      { name: 'country', kind: 'field', values: [{ value: 'RU', sources: 2 }, { value: 'BY', sources: 1 }], unassigned: 0 },
      { name: 'language', kind: 'field', values: [{ value: 'ru', sources: 2 }, { value: 'en', sources: 1 }], unassigned: 0 },
      { name: 'alignment', kind: 'grouping', values: [{ value: 'state-aligned', sources: 2 }, { value: 'independent', sources: 1 }], unassigned: 0 },
      { name: 'ownership', kind: 'grouping', values: [{ value: 'private', sources: 1 }, { value: 'state', sources: 1 }], unassigned: 1 },
    ]);
  });

  it('takes a sources file up to its own 5 MiB limit, above the 1 MiB JSON limit, and answers a non-multipart body with 415', async () => {
    const { app } = testApp();
    // 1,500 outlets with long notes: about 1.5 MiB, sent without a declared length (a stream).
    const rows = Array.from({ length: 1_500 }, (_, i) => `Outlet ${i},https://outlet-${i}.example/,RU,${'n'.repeat(1_000)}`);
    const csv = ['name,url,country,notes', ...rows].join('\n');
    expect(csv.length).toBeGreaterThan(1.4 * 1024 * 1024);
    const res = await app.request('/api/sources/import', upload(csv));
    const report = await res.json();
    expect(res.status, JSON.stringify(report).slice(0, 300)).toBe(200);
    expect([report.created, report.updated, report.rejected]).toEqual([1_500, 0, []]);
    const tooBig = await app.request('/api/sources/import', upload(csv.repeat(4)));
    expect([tooBig.status, (await tooBig.json()).error.code]).toEqual([413, 'payload_too_large']);
    const notAFile = await app.request('/api/sources/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
    expect(notAFile.status).toBe(415);
  });

  it('refuses a sources file without a name column or with a grouping named like a field, storing nothing', async () => {
    const { app } = testApp();
    const noName = await app.request('/api/sources/import', upload('outlet,country\nAlpha,RU\n'));
    expect(noName.status).toBe(400);
    expect((await noName.json()).error.message).toBe('sources file: the header needs a "name" column (the outlet as documents name it)');
    const twice = await app.request('/api/sources/import', upload('name,Country,country\nAlpha,RU,RU\n'));
    expect((await twice.json()).error.message).toBe('sources file: the header names "country" twice');
    const { sources } = await (await app.request('/api/sources')).json();
    expect(sources).toEqual([]);
  });

  it('edits a source: language, a grouping value set, changed and removed; a reserved grouping name is a 400', async () => {
    const { app, deps } = testApp();
    const [doc] = seedCorpus(deps.db, [{ name: 'Alpha', documents: [{ title: 'A', passages: [{ text: 'a' }] }] }]);
    const send = (body: unknown) => app.request(`/api/sources/${doc!.sourceId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await (await send({ language: 'ru', groups: { alignment: 'state-aligned', ownership: 'state' } })).json()).groups).toEqual({ alignment: 'state-aligned', ownership: 'state' });
    const after = await (await send({ groups: { alignment: 'independent', ownership: null } })).json();
    expect([after.language, after.groups]).toEqual(['ru', { alignment: 'independent' }]);
    const reserved = await send({ groups: { country: 'RU' } });
    expect(reserved.status).toBe(400);
    expect((await reserved.json()).error.message).toMatch(/a grouping may not be called name, url, notes, source, country, language/);
  });

  it('imports a sources CSV from the command line with import --sources FILE', async () => {
    const db = join(dir, 'cli.db');
    const file = join(dir, 'sources.csv');
    writeFileSync(file, 'name,country,alignment\nAlpha,RU,state-aligned\nBeta,,independent\n');
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
    process.exitCode = 0;
    try {
      await runCli(['import', '--sources', file, '--db', db]);
    } finally {
      process.stdout.write = write;
    }
    expect(process.exitCode).toBe(0);
    expect(out.join('')).toBe(`sources ${file}: 2 created, 0 updated, 0 rows rejected, groupings alignment\n`);
  });
});
