import type Database from 'better-sqlite3';
import { badRequest } from '../errors.ts';
import { MAX_IDS_PER_LIST, tooManyIds } from '../guards/limits.ts';

/** A source a request named. */
export interface NamedSource {
  id: number;
  name: string;
}

/**
 * The sources a `sources` parameter names: each token a source id or a source's exact name
 * (the web's source pickers send ids; people and scripts may write names). The dashboard, the
 * review queue and the export read the parameter through this one function, so it means the
 * same everywhere; an unknown token is a 400 naming it.
 */
export function resolveSources(sqlite: Database.Database, tokens: readonly string[], param = 'sources'): NamedSource[] {
  if (tokens.length > MAX_IDS_PER_LIST) throw badRequest(tooManyIds(param, tokens.length), 'too_many_ids');
  const byId = sqlite.prepare('SELECT id, name FROM sources WHERE id = ?');
  const byName = sqlite.prepare('SELECT id, name FROM sources WHERE name = ?');
  const out = new Map<number, NamedSource>();
  for (const token of tokens) {
    const row = ((/^\d+$/.test(token) ? byId.get(Number(token)) : undefined) ?? byName.get(token)) as NamedSource | undefined;
    if (!row) throw badRequest(`${param}: no source with the id or name ${JSON.stringify(token)}`, 'unknown_source');
    out.set(row.id, row);
  }
  return [...out.values()];
}
