/**
 * Most ids (sources, documents) one list in a request may name: a filter or a selection of
 * more is refused with 400 naming the limit, so no request builds an IN list SQLite cannot
 * bind or a query that walks a hundred thousand parameters. Larger selections are made by
 * source, or in several runs.
 */
export const MAX_IDS_PER_LIST = 5_000;

/** The message of a list over the limit (`what` names it where no validator path does). */
export const tooManyIds = (what?: string, n?: number) =>
  `${what ? `${what}: ` : ''}at most ${MAX_IDS_PER_LIST} ids per request${n === undefined ? '' : `, got ${n}`}; select by source or split the request`;
