/** USD per million tokens. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  /** Through the Batch API; half the online price when not given (OpenAI's batch discount). */
  batchInputPerMTok?: number;
  batchOutputPerMTok?: number;
}

/** The Batch API's discount on the online price when a price entry does not name its own batch price. */
export const BATCH_PRICE_FACTOR = 0.5;

/**
 * List prices of common models (USD per 1M tokens) used for estimates and cost so far. Override
 * or extend with a JSON file (`tag --prices FILE`, `{ "model": { "inputPerMTok": .., "outputPerMTok": .. } }`);
 * a model missing here has unknown cost and a budget cap cannot be enforced for it.
 */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  'gpt-4.1-nano': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  'gpt-5': { inputPerMTok: 1.25, outputPerMTok: 10 },
  'gpt-5-mini': { inputPerMTok: 0.25, outputPerMTok: 2 },
  'gpt-5-nano': { inputPerMTok: 0.05, outputPerMTok: 0.4 },
  /** The scripted test server: priced so budget caps can be tested. */
  'test-model': { inputPerMTok: 1, outputPerMTok: 2 },
};

/** The price of a model: an exact match, else the longest known prefix (dated snapshots), else null. */
export function priceFor(model: string, overrides: Record<string, ModelPrice> = {}): ModelPrice | null {
  const table = { ...DEFAULT_PRICES, ...overrides };
  if (table[model]) return table[model]!;
  const prefix = Object.keys(table)
    .filter((k) => model.startsWith(k))
    .sort((a, b) => b.length - a.length)[0];
  return prefix ? table[prefix]! : null;
}

/** USD for the given token counts, or null when the price is unknown. */
export function costUsd(price: ModelPrice | null, tokensIn: number | null, tokensOut: number | null): number | null {
  if (!price) return null;
  return ((tokensIn ?? 0) * price.inputPerMTok + (tokensOut ?? 0) * price.outputPerMTok) / 1_000_000;
}

/** The price of a model through the Batch API: the entry's own batch price, else half its online price; null when unknown. */
export function batchPriceFor(model: string, online: ModelPrice | null, overrides: Record<string, ModelPrice> = {}): ModelPrice | null {
  const entry = priceFor(model, overrides) ?? online;
  if (!entry) return null;
  return {
    inputPerMTok: entry.batchInputPerMTok ?? entry.inputPerMTok * BATCH_PRICE_FACTOR,
    outputPerMTok: entry.batchOutputPerMTok ?? entry.outputPerMTok * BATCH_PRICE_FACTOR,
  };
}
