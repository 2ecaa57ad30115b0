/**
 * The words the item state is stored in, shared by the schema and the services that derive it
 * (api/items/state.ts, api/items/provenance.ts), so a new status or origin is added in one place.
 */

/** An item's review status (see db/schema/items.ts). */
export const REVIEW_STATUSES = ['unreviewed', 'reviewed', 'rejected', 'disputed', 'adjudicated'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/**
 * Where a label comes from: `model` (a suggestion no person decided on), `reviewer` (one person
 * reading the item), `bulk` (a person accepting the model's labels for many items at once),
 * `import` (a label that came with a file) or `adjudication` (an admin settling a disagreement).
 */
export const ORIGINS = ['model', 'reviewer', 'bulk', 'import', 'adjudication'] as const;
export type Origin = (typeof ORIGINS)[number];

/** Theme sets kept per item: the latest suggestion's, the standing human decision's, the independent decision's. */
export const THEME_KINDS = ['suggested', 'reviewed', 'independent'] as const;

/**
 * The bases a view or export counts labels on (api/items/provenance.ts): `model` (latest
 * suggestions), `people` (independent human decisions), `people-bulk` (human decisions with bulk
 * accepts and imported labels), `final` (the standing decision where there is one, else the model).
 */
export const BASES = ['model', 'people', 'people-bulk', 'final'] as const;
export type Basis = (typeof BASES)[number];
