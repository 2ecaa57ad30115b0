/**
 * Who may call which route: the one table the auth middleware consults for every request.
 * A route that is not in the table is refused (a test fails first), so a new route cannot
 * slip through without a decision.
 *
 * - `public`: no session needed, in any mode (liveness, the API description, the way in).
 * - `read`: any signed-in person (beyond loopback a session; on loopback anyone).
 * - `review`: a named person of either role, acting on their own work (their decisions, notes,
 *   undo of their own reviews, their own password); the service checks ownership.
 * - `admin`: the admin role. On loopback, where names are not authenticated, a request with no
 *   reviewer name chosen is the machine's operator and may do the admin work the CLI also does
 *   without a name (rows with `operator`: corpus, codebooks, tagging); work recorded against a
 *   person (people, protocol, adjudication) needs the admin's name. A named reviewer may not.
 */
export type Access = 'public' | 'read' | 'review' | 'admin';

/** One row: who may call the route, and what the service checks beyond the role. */
export interface RouteRule {
  access: Access;
  /** admin rows only: on loopback, the unnamed operator may call it too. */
  operator?: true;
  /** Conditions the service adds, for the documentation. */
  note?: string;
}

/** `METHOD /api/path/:param` (the Hono route pattern) → rule. */
export const ROUTE_ACCESS: Readonly<Record<string, RouteRule>> = {
  'GET /api/health': { access: 'public' },
  'GET /api/openapi.json': { access: 'public' },
  'GET /api/auth/me': { access: 'public', note: 'says who is signed in, or nobody' },
  'POST /api/auth/login': { access: 'public', note: 'rate-limited per name and per address' },
  'POST /api/auth/logout': { access: 'public' },

  'POST /api/auth/me': { access: 'read', note: 'loopback only: choose a reviewer name; beyond loopback refused (log in instead)' },
  'GET /api/stats': { access: 'read' },
  'GET /api/sources': { access: 'read' },
  'GET /api/sources/groupings': { access: 'read' },
  'GET /api/sources/:id': { access: 'read' },
  'GET /api/documents': { access: 'read' },
  'GET /api/documents/:id': { access: 'read' },
  'GET /api/codebooks': { access: 'read' },
  'GET /api/prompts': { access: 'read' },
  'GET /api/tagging/runs': { access: 'read' },
  'GET /api/tagging/runs/:id': { access: 'read' },
  'GET /api/tagging/runs/:id/events': { access: 'read' },
  'GET /api/tagging/quality': { access: 'read' },
  'GET /api/tagging/comparisons': { access: 'read' },
  'GET /api/evals/comparisons/:id': { access: 'read' },
  'GET /api/items/:id/suggestions': { access: 'read' },
  'GET /api/review/setup': { access: 'read' },
  'GET /api/review/queue': { access: 'read' },
  'GET /api/review/settings': { access: 'read' },
  'GET /api/review/agreement': { access: 'read' },
  'GET /api/items/:id': { access: 'read', note: "coding: the protocol may hide the model and others' decisions until the caller decides; mode=adjudicate: admins only" },
  'GET /api/items/:id/history': { access: 'read', note: "the protocol may hide others' decisions from a reviewer" },
  'GET /api/dashboard/meta': { access: 'read' },
  'GET /api/dashboard/framing': { access: 'read' },
  'GET /api/dashboard/stance': { access: 'read' },
  'GET /api/dashboard/themes': { access: 'read' },
  'GET /api/dashboard/timeline': { access: 'read' },
  'GET /api/dashboard/timeline/series': { access: 'read' },
  'GET /api/dashboard/similarity': { access: 'read' },
  'GET /api/dashboard/agreement': { access: 'read' },
  'GET /api/dashboard/corrected': { access: 'read' },
  'GET /api/dashboard/passages': { access: 'read' },
  'GET /api/dashboard/compare': { access: 'read' },
  'GET /api/dashboard/compare/stories': { access: 'read' },
  'GET /api/stories': { access: 'read' },
  'GET /api/stories/:id': { access: 'read' },
  'GET /api/export/preview': { access: 'read' },
  'GET /api/export': { access: 'read' },
  'GET /api/evals': { access: 'read' },
  'GET /api/evals/:name': { access: 'read' },
  'GET /api/jobs': { access: 'read' },
  'GET /api/jobs/:id': { access: 'read' },
  'GET /api/jobs/:id/events': { access: 'read' },
  'POST /api/export/jobs': { access: 'read', note: 'the same export as GET /api/export, written to a file on the server first' },
  'GET /api/export/jobs/:id/file': { access: 'read' },

  'POST /api/items/:id/reviews': { access: 'review', note: 'the decision is recorded as the caller; adjudicate: admins only' },
  'POST /api/items/:id/notes': { access: 'review' },
  'POST /api/review/undo': { access: 'review', note: "one's own reviews; an admin may undo anyone's" },
  'POST /api/review/bulk/preview': { access: 'review' },
  'POST /api/review/bulk/accept': { access: 'review', note: 'bulk reviews by the caller' },
  'GET /api/users': { access: 'review', note: 'a reviewer sees only their own account' },
  'PATCH /api/stories/:id': { access: 'review', note: 'recorded as the caller in the audit log; marks the story edited' },
  'POST /api/stories/:id/merge': { access: 'review', note: 'recorded as the caller in the audit log; marks the story edited' },
  'POST /api/stories/:id/split': { access: 'review', note: 'recorded as the caller in the audit log; both stories edited' },
  'DELETE /api/stories/:id/documents/:documentId': { access: 'review', note: 'recorded as the caller in the audit log; re-grouping never puts the document back in that story' },
  'PUT /api/users/:id/password': { access: 'review', note: "one's own password; an admin may set anyone's" },

  'PATCH /api/sources/:id': { access: 'admin', operator: true, note: 'groupings too: editing outlet groups is admin work' },
  'POST /api/sources/import': { access: 'admin', operator: true, note: 'a sources CSV: creates and updates sources and their groupings' },
  'POST /api/imports': { access: 'admin', operator: true },
  'POST /api/imports/demo': { access: 'admin', operator: true },
  'POST /api/imports/preview': { access: 'admin', operator: true, note: 'reads the first rows of an upload; stores nothing' },
  'POST /api/codebooks': { access: 'admin', operator: true },
  'POST /api/codebooks/:id/activate': { access: 'admin', operator: true },
  'POST /api/tagging/estimate': { access: 'admin', operator: true },
  'POST /api/tagging/runs': { access: 'admin', operator: true },
  'POST /api/tagging/comparisons': { access: 'admin', operator: true, note: 'starts one tagging run per arm: who may start runs' },
  'POST /api/tagging/runs/:id/cancel': { access: 'admin', operator: true },
  'POST /api/tagging/runs/:id/resume': { access: 'admin', operator: true },
  'POST /api/jobs/:id/cancel': { access: 'admin', operator: true, note: 'any kind of job' },
  'POST /api/jobs/:id/resume': { access: 'admin', operator: true, note: 'any kind of job' },
  'POST /api/jobs/rollups': { access: 'admin', operator: true },
  'POST /api/jobs/training': { access: 'admin', operator: true },
  'POST /api/stories/group': { access: 'admin', operator: true, note: "replaces the machine's stories corpus-wide (edited stories are kept); with the check it spends provider requests" },
  'POST /api/evals/jobs': { access: 'admin', operator: true, note: 'an eval with an OpenAI-compatible model spends money' },
  'GET /api/providers/profiles': { access: 'admin', operator: true, note: 'keys show only as their last four characters' },
  'POST /api/providers/profiles': { access: 'admin', operator: true },
  'PATCH /api/providers/profiles/:id': { access: 'admin', operator: true },
  'DELETE /api/providers/profiles/:id': { access: 'admin', operator: true },
  'POST /api/providers/profiles/:id/test': { access: 'admin', operator: true, note: 'sends one probe request to the server (may cost a fraction of a cent)' },
  'POST /api/users': { access: 'admin' },
  'PUT /api/review/settings': { access: 'admin' },
  'GET /api/review/adjudication': { access: 'admin' },
};

/** The rule of a matched route, or null when the table has no row for it. */
export function ruleFor(method: string, routePath: string): RouteRule | null {
  return ROUTE_ACCESS[`${method} ${routePath}`] ?? null;
}
