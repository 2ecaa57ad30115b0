/**
 * The review queue's URL vocabulary: its orderings and filter keys. Kept free of imports so the
 * web client reads the same lists the API validates against (queue.ts builds its schema from them).
 */

/** Queue orderings: least confident first, document order, the random sample, most disputed first. */
export const QUEUE_ORDERS = ['confidence', 'document', 'random', 'disputed'] as const;
export type QueueOrder = (typeof QUEUE_ORDERS)[number];

/** Every queue filter, as a query parameter and as a field of the bulk-accept filter. */
export const QUEUE_FILTER_KEYS = ['level', 'status', 'sources', 'document', 'label', 'theme', 'minConfidence', 'maxConfidence', 'provider', 'model', 'promptVersion', 'disagreement', 'comparison', 'disagree'] as const;
export type QueueFilterKey = (typeof QUEUE_FILTER_KEYS)[number];
