import { z } from '@hono/zod-openapi';

/**
 * Any JSON value: the honest type of what an audit entry or a provider's parameters hold, which
 * differs per action and per provider. Named for OpenAPI (`.openapi`, which z.json's recursion needs).
 */
export const JsonValueSchema = z.json().openapi('JsonValue');
export type JsonValue = z.infer<typeof JsonValueSchema>;
