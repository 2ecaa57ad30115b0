import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backupDatabase } from '../../api/backup/backup.ts';
import { seedCorpus } from '../../api/fixtures.ts';
import { keyFileFor } from '../../api/providers/profiles/keys.ts';
import { startTestServer, type TestServer } from '../../api/providers/testing/server.ts';
import { testDialect } from '../../db/testing.ts';
import { openAppInBrowser, type BrowserFixture } from './browser.ts';

const KEY = 'sk-e2e-ollama-key-58d1c0';

describe('provider profiles in Chromium', () => {
  let fx: BrowserFixture;
  let model: TestServer;
  const bodies: string[] = [];
  const logged: string[] = [];
  beforeAll(async () => {
    model = await startTestServer({ apiKey: KEY, models: ['test-model', 'llama3.1:8b'] });
    // No provider in the environment: the profile is made while the server runs, and used without a restart.
    fx = await openAppInBrowser();
    seedCorpus(fx.db, [{ name: 'Northern Herald', documents: [{ title: 'Union talks', passages: [{ text: 'The union brings our brotherly peoples together.' }, { text: 'Analysts say trade grew by a fifth.' }] }] }]);
    fx.page.on('response', (r) => {
      r.text().then((t) => bodies.push(t), () => {});
    });
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => (logged.push(String(chunk)), write(chunk, ...(rest as []))));
    }
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await fx?.close();
    await model?.close();
  });

  it('adds an Ollama profile, tests the connection, runs a tagging run with it without a restart, and never shows or stores the key where it should not be', async () => {
    const { page } = fx;
    await page.goto(`${fx.url}/settings`);
    await page.getByRole('button', { name: 'Add profile' }).click();
    await page.getByLabel('Preset').selectOption('ollama');
    expect(await page.getByLabel('Base URL').inputValue()).toBe('http://127.0.0.1:11434/v1');
    await page.getByLabel('Profile name').fill('lab ollama');
    await page.getByLabel('Base URL').fill(model.url);
    await page.getByLabel('Default model').fill('test-model');
    await page.getByLabel('API key').fill(KEY);
    await page.getByRole('button', { name: 'Save profile' }).click();
    const row = page.locator('tr[data-profile="lab ollama"]');
    await expect.poll(() => row.locator('td').nth(3).textContent()).toBe('…d1c0');
    expect(await row.getByTestId('connection').textContent()).toBe('not tested');

    await row.getByRole('button', { name: 'Test connection' }).click();
    await expect
      .poll(() => row.getByTestId('connection').textContent(), { timeout: 15_000 })
      .toMatch(/^ok: 2 models listed \(test-model, llama3\.1:8b\); structured output \(JSON schema\) works; probe answered "\w+" in \d+ ms with test-model$/);

    await page.goto(`${fx.url}/tagging`);
    await expect.poll(() => page.getByLabel('Provider').locator('option').allTextContents()).toContain('profile: lab ollama (test-model)');
    await page.getByLabel('Provider').selectOption({ label: 'profile: lab ollama (test-model)' });
    await page.getByRole('button', { name: 'Estimate' }).click();
    await expect.poll(() => page.getByLabel('Estimate').textContent()).toContain('test-model (OpenAI-compatible) via profile "lab ollama"');
    await page.getByRole('button', { name: 'Start run' }).click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 20_000 }).toBe('completed');
    expect(await page.getByTestId('run-counts').textContent()).toMatch(/^\d+ \/ \d+ items · \d+ suggested · 0 cached · 0 failed/);
    const chat = model.requests.length;
    expect(chat, 'the probe and the run reached the scripted server').toBeGreaterThanOrEqual(2);
    expect(model.authorizations.every((a) => a === `Bearer ${KEY}`), 'every request carried the profile key').toBe(true);

    const exported = await page.request.get(`${fx.url}/api/export?format=jsonl&level=passage&status=all`);
    bodies.push(await exported.text());
    expect(bodies.length).toBeGreaterThan(5);
    for (const b of bodies) expect(b).not.toContain(KEY);
    expect(await page.content()).not.toContain(KEY);
    if (testDialect() === 'sqlite') {
      const backup = join(fx.dbPath, '..', 'backup.db');
      backupDatabase(fx.db, backup);
      fx.db.$client.pragma('wal_checkpoint(TRUNCATE)');
      for (const file of [fx.dbPath, backup, `${fx.dbPath}-wal`].filter(existsSync)) expect(readFileSync(file).includes(Buffer.from(KEY)), `${file} holds the key`).toBe(false);
    } else {
      // PostgreSQL has no file to read and its backups are pg_dump's copy of the rows: no row of
      // any table holds the key, as text or as the hex a bytea column prints.
      const tables = fx.db.$client.prepare("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'").pluck().all() as string[];
      expect(tables).toContain('provider_profiles');
      const holding = tables.filter((t) => Number(fx.db.$client.prepare(`SELECT count(*) FROM "${t}" r WHERE strpos(r::text, ?) > 0 OR strpos(r::text, ?) > 0`).pluck().get(KEY, Buffer.from(KEY).toString('hex'))) > 0);
      expect(holding, 'tables holding the key').toEqual([]);
    }
    expect(readFileSync(keyFileFor(fx.dbPath), 'utf8')).toContain(KEY);
    expect(logged.join('')).not.toContain(KEY);
  });
});
