import { ZodType } from 'zod';
import { describe, expect, it } from 'vitest';
import { addReview, addSuggestion, seedCorpus } from '../fixtures.ts';
import { testApp } from '../testing.ts';

type Schema = Record<string, unknown>;
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** Keys that describe a schema without saying what it holds. */
const ANNOTATIONS = new Set(['description', 'title', 'example', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly', 'nullable']);

/**
 * Where a schema fails to say what the body holds: an empty schema (zod's unknown or any), an
 * object without properties whose values may be anything (a record of unknown), or an object
 * that also accepts any other key (a loose object). Walks `$ref`s once each.
 */
function hollowParts(schema: Schema, components: Record<string, Schema>, at: string, seen = new Set<string>()): string[] {
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    if (seen.has(name)) return [];
    seen.add(name);
    const target = components[name];
    return target ? hollowParts(target, components, `${at} (${name})`, seen) : [`${at}: $ref to missing ${name}`];
  }
  const keys = Object.keys(schema).filter((k) => !ANNOTATIONS.has(k));
  if (keys.length === 0) return [`${at}: a schema that accepts anything`];
  const out: string[] = [];
  const extra = schema.additionalProperties;
  const anyExtra = extra === true || (typeof extra === 'object' && extra !== null && Object.keys(extra).filter((k) => !ANNOTATIONS.has(k)).length === 0);
  if (schema.type === 'object' && schema.properties === undefined && (extra === undefined || anyExtra)) out.push(`${at}: an object with no properties and any values`);
  if (schema.type === 'object' && schema.properties !== undefined && anyExtra) out.push(`${at}: an object that accepts any other key`);
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties') for (const [p, s] of Object.entries(value as Record<string, Schema>)) out.push(...hollowParts(s, components, `${at}.${p}`, seen));
    else if (key === 'additionalProperties' && anyExtra) continue;
    else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && typeof value === 'object' && value !== null) out.push(...hollowParts(value as Schema, components, `${at}[${key}]`, seen));
    else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) value.forEach((s: Schema, k) => out.push(...hollowParts(s, components, `${at}|${k}`, seen)));
  }
  return out;
}

async function openapi(app: ReturnType<typeof testApp>['app']): Promise<Document> {
  return (await (await app.request('/api/openapi.json')).json()) as Document;
}

describe('the OpenAPI document', () => {
  it('describes every route the app serves', async () => {
    const { app } = testApp();
    const doc = await openapi(app);
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)));
    const served = app.routes.filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL' && r.path !== '/api/openapi.json').map((r) => `${r.method} ${r.path}`);
    expect(served.length).toBeGreaterThan(40);
    const undocumented = [...new Set(served)].filter((r) => !documented.has(r));
    expect(undocumented, 'routes missing from openapi.json').toEqual([]);
  });

  it('gives every response of every route a schema that says what it holds', async () => {
    const { app } = testApp();
    const doc = await openapi(app);
    const problems: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        const success = Object.entries(op.responses).filter(([status]) => status.startsWith('2'));
        if (success.length === 0) problems.push(`${where}: no success response`);
        for (const [status, response] of Object.entries(op.responses)) {
          const content = Object.entries(response.content ?? {});
          if (content.length === 0) problems.push(`${where} ${status}: no content`);
          for (const [mediaType, { schema }] of content) {
            if (!schema) problems.push(`${where} ${status} ${mediaType}: no schema`);
            else if (mediaType.endsWith('json')) problems.push(...hollowParts(schema, doc.components.schemas, `${where} ${status}`));
            // A download or an event stream is text or bytes, and must say so.
            else if (schema.type !== 'string') problems.push(`${where} ${status} ${mediaType}: not described as a string or binary`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('catches a hollow schema', () => {
    const components = { Loose: { type: 'object', properties: { a: { type: 'number' } }, additionalProperties: {} } };
    expect(hollowParts({ type: 'object', properties: { x: {}, y: { $ref: '#/components/schemas/Loose' }, z: { type: 'object', additionalProperties: {} } } }, components, 'r')).toEqual([
      'r.x: a schema that accepts anything',
      'r.y (Loose): an object that accepts any other key',
      'r.z: an object with no properties and any values',
    ]);
  });

  it("answers every JSON route with exactly the body its response schema declares", async () => {
    const { app, deps } = testApp();
    const [doc] = seedCorpus(deps.db, [{ name: 'Outlet', documents: [{ title: 'Doc', published: '2024-03-05', passages: [{ text: 'The union grows stronger.' }, { text: 'Analysts weigh the options.' }] }] }]);
    // The first reviewer on a fresh database is its admin, who may read every route.
    const cookie = (await app.request('/api/auth/me', { method: 'POST', body: JSON.stringify({ name: 'Ann' }), headers: { 'content-type': 'application/json' } })).headers.get('set-cookie')!.split(';')[0]!;
    const passage = doc!.passageItemIds[0]!;
    addSuggestion(deps.db, passage, { label: 'critical', stance: -1, themes: ['sovereignty'] });
    addReview(deps.db, passage, { reviewer: 'Bob', action: 'edit', label: 'analytical', stance: 0, themes: [] });
    const run = (await (await app.request('/api/tagging/runs', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', cookie } })).json()) as { id: number; jobId: number };
    await (await app.request(`/api/tagging/runs/${run.id}/events`)).text();
    const story = Number(deps.db.$client.prepare("INSERT INTO stories (title, origin, created_by, edited) VALUES ('A story', 'person', 'Ann', TRUE)").run().lastInsertRowid);
    deps.db.$client.prepare("INSERT INTO story_documents (document_id, story_id, added_by, added_by_name, method) VALUES (?, ?, 'person', 'Ann', 'person')").run(doc!.id, story);
    const comparison = (await (await app.request('/api/tagging/comparisons', { method: 'POST', body: JSON.stringify({ arms: [{ provider: 'local' }, { provider: 'local', promptVersions: { passage: 'passage-v1' } }], sampleSize: 2 }), headers: { 'content-type': 'application/json', cookie } })).json()) as { id: number; runs: { jobId: number }[] };
    for (const r of comparison.runs) await deps.jobs.settled(r.jobId);
    const params: Record<string, string> = { id: String(passage), name: 'local-baseline-shared-corpus-v1' };
    const idFor: Record<string, number> = { '/api/sources/{id}': doc!.sourceId, '/api/documents/{id}': doc!.id, '/api/tagging/runs/{id}': run.id, '/api/jobs/{id}': run.jobId, '/api/stories/{id}': story, '/api/evals/comparisons/{id}': comparison.id };
    /** Routes with a required query. */
    const queryFor: Record<string, string> = { '/api/dashboard/compare': '?groupBy=country&a=&b=RU', '/api/dashboard/compare/stories': '?groupBy=country&a=&b=RU' };

    const checked: string[] = [];
    for (const def of app.openAPIRegistry.definitions) {
      if (def.type !== 'route' || def.route.method !== 'get') continue;
      const response = def.route.responses[200];
      const media = response && 'content' in response ? response.content?.['application/json'] : undefined;
      const ok = media && 'schema' in media ? media.schema : undefined;
      if (!(ok instanceof ZodType)) continue;
      const url = def.route.path.replace(/\{(\w+)\}/g, (_, p: string) => String(idFor[def.route.path] ?? params[p])) + (queryFor[def.route.path] ?? '');
      const res = await app.request(url, { headers: { cookie } });
      expect(res.status, url).toBe(200);
      const body: unknown = await res.json();
      const parsed = ok.safeParse(body);
      expect(parsed.success ? null : parsed.error.issues, url).toBeNull();
      // Parsing drops keys the schema does not know: an equal result means there were none.
      expect(JSON.parse(JSON.stringify(parsed.data)), url).toEqual(body);
      checked.push(def.route.path);
    }
    expect(checked.length).toBeGreaterThan(25);
  });
});
