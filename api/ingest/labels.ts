import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { codebooks } from '../../db/schema/index.ts';
import type { CodebookDefinition } from '../codebooks/definition.ts';
import { getActiveCodebook } from '../codebooks/service.ts';
import type { CarriedLabel } from './readers.ts';
import type { RowError } from './rows/types.ts';

/** A stored codebook that is not active, by its id and definition. */
interface InactiveCodebook {
  id: number;
  definition: CodebookDefinition;
}

/**
 * Checks labels carried by rows against the active codebook (loaded on the first labelled
 * row). A label the active codebook lacks but a stored inactive codebook has is rejected with
 * the command that activates that codebook, so a team's file is not silently refused.
 */
export class LabelChecker {
  private active: { id: number; definition: CodebookDefinition; labels: Set<string>; themes: Set<string> } | null = null;
  private inactive: InactiveCodebook[] | null = null;
  /** Inactive codebooks that knew a rejected label: id → rows rejected for it (for the file warning). */
  readonly hints = new Map<number, { name: string; version: string; rows: number }>();

  constructor(private readonly db: Db) {}

  /** The active codebook's id (loading it, and storing the bundled default on first use). */
  codebookId(): number {
    return this.load().id;
  }

  private load() {
    if (!this.active) {
      const cb = getActiveCodebook(this.db);
      const def = cb.definition;
      this.active = { id: cb.id, definition: def, labels: new Set(def.labels.map((l) => l.id)), themes: new Set(def.themes.map((t) => t.id)) };
    }
    return this.active;
  }

  private inactiveWith(label: string): InactiveCodebook | null {
    this.inactive ??= this.db
      .select({ id: codebooks.id, definition: codebooks.definition })
      .from(codebooks)
      .where(eq(codebooks.active, false))
      .all() as InactiveCodebook[];
    return this.inactive.find((c) => c.definition.labels.some((l) => l.id === label)) ?? null;
  }

  /** Null when the label fits the active codebook, else the column at fault and why. */
  check(c: CarriedLabel): RowError | null {
    const { definition: def, labels, themes } = this.load();
    if (!labels.has(c.label)) {
      const other = this.inactiveWith(c.label);
      if (other) {
        const hint = this.hints.get(other.id) ?? { name: other.definition.name, version: other.definition.version, rows: 0 };
        hint.rows++;
        this.hints.set(other.id, hint);
        return {
          column: 'label',
          reason: `label "${c.label}" is not in the active codebook ${def.name} ${def.version}; stored codebook ${other.definition.name} ${other.definition.version} (id ${other.id}) has it: activate it with "framescope codebook activate ${other.id}" and import again`,
        };
      }
      return { column: 'label', reason: `label "${c.label}" is not in codebook ${def.name} ${def.version} (labels: ${[...labels].join(', ')})` };
    }
    if (c.stance !== null && (c.stance < def.stance.min || c.stance > def.stance.max)) {
      return { column: 'stance', reason: `stance ${c.stance} is outside ${def.stance.min}..${def.stance.max}` };
    }
    const unknown = c.themes.find((t) => !themes.has(t));
    if (unknown !== undefined) return { column: 'themes', reason: `theme "${unknown}" is not in codebook ${def.name} ${def.version}` };
    return null;
  }
}
