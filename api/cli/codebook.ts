import type { Command } from 'commander';
import { loadCodebookFile } from '../codebooks/definition.ts';
import { activateCodebook, addCodebook, getActiveCodebook, listCodebooks, type StoredCodebook } from '../codebooks/service.ts';
import { AppError } from '../errors.ts';
import { CliError, openForCommand, printJson, withDbOption, type DbOptions } from './common.ts';

interface CodebookCliOptions extends DbOptions {
  json?: boolean;
  activate?: boolean;
}

/** The stored codebook a user names: its id, `name@version`, or a name (its newest version). */
function find(all: StoredCodebook[], ref: string): StoredCodebook {
  const hit = /^\d+$/.test(ref) ? all.find((c) => c.id === Number(ref)) : ref.includes('@') ? all.find((c) => `${c.name}@${c.version}` === ref) : all.filter((c) => c.name === ref).at(-1);
  if (!hit) throw new CliError(`codebook: no stored codebook ${JSON.stringify(ref)} (stored: ${all.map((c) => `${c.id} ${c.name}@${c.version}`).join(', ')}); give an id, name@version or a name`);
  return hit;
}

function summary(c: StoredCodebook) {
  return { id: c.id, name: c.name, version: c.version, active: c.active, labels: c.definition.labels.map((l) => l.id), themes: c.definition.themes.length, hash: c.hash, createdAt: c.createdAt };
}

function printCodebook(c: StoredCodebook): void {
  const d = c.definition;
  const lines = [`${d.name} ${d.version} (id ${c.id}${c.active ? ', active' : ''})`];
  if (d.description) lines.push(d.description);
  lines.push('', 'Labels:');
  for (const l of d.labels) lines.push(`  ${l.id}: ${l.name}: ${l.definition}`);
  lines.push('', `Stance toward ${d.stance.target}: ${d.stance.min}..${d.stance.max}`);
  for (const [k, v] of Object.entries(d.stance.labels)) lines.push(`  ${k}: ${v}`);
  lines.push('', 'Themes:');
  for (const t of d.themes) lines.push(`  ${t.id}: ${t.name}${t.definition ? `: ${t.definition}` : ''}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** `codebook list | show [REF] | add FILE [--activate] | activate REF`: the stored codebook versions. */
export function registerCodebook(program: Command): void {
  const cmd = program.command('codebook').description('list, show, add and activate codebooks (labels, stance scale, themes)');
  withDbOption(cmd.command('list').description('every stored codebook version; the active one is used for new runs, review and the dashboard').option('--json', 'print one JSON object'))
    .action((opts: CodebookCliOptions) => {
      const { db } = openForCommand(opts);
      const all = listCodebooks(db);
      if (opts.json) return printJson({ codebooks: all.map(summary) });
      for (const c of all) process.stdout.write(`${c.active ? '*' : ' '} ${String(c.id).padStart(3)}  ${c.name}@${c.version}  ${c.definition.labels.length} labels, ${c.definition.themes.length} themes\n`);
    });
  withDbOption(cmd.command('show').description('one codebook in full (default: the active one)').argument('[ref]', 'id, name@version or name').option('--json', 'print one JSON object'))
    .action((ref: string | undefined, opts: CodebookCliOptions) => {
      const { db } = openForCommand(opts);
      const c = ref === undefined ? getActiveCodebook(db) : find(listCodebooks(db), ref);
      if (opts.json) return printJson(c);
      printCodebook(c);
    });
  withDbOption(cmd.command('add').description('store a codebook from its JSON file (a stored version cannot change: a change needs a new version)').argument('<file>', 'codebook JSON').option('--activate', 'make it the active codebook').option('--json', 'print one JSON object'))
    .action((file: string, opts: CodebookCliOptions) => {
      let def;
      try {
        def = loadCodebookFile(file);
      } catch (e) {
        if (e instanceof AppError) throw new CliError(e.message);
        throw new CliError(`codebook: cannot read ${file} (${(e as Error).message.split('\n')[0]})`);
      }
      const { db } = openForCommand(opts);
      const c = addCodebook(db, def, { activate: opts.activate, actor: 'cli' });
      if (opts.json) return printJson(summary(c));
      process.stderr.write(`stored ${c.name}@${c.version} as codebook ${c.id}${c.active ? ', active' : `; activate it with: framescope codebook activate ${c.id}`}\n`);
    });
  withDbOption(cmd.command('activate').description('make a stored codebook the active one').argument('<ref>', 'id, name@version or name').option('--json', 'print one JSON object'))
    .action((ref: string, opts: CodebookCliOptions) => {
      const { db } = openForCommand(opts);
      const c = activateCodebook(db, find(listCodebooks(db), ref).id, 'cli');
      if (opts.json) return printJson(summary(c));
      process.stderr.write(`codebook ${c.id} ${c.name}@${c.version} is now active\n`);
    });
}
