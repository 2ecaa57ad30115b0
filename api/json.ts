import { z } from '@hono/zod-openapi';

/**
 * Any JSON value: the honest type of what an audit entry or a provider's parameters hold, which
 * differs per action and per provider. Named for OpenAPI (`.openapi`, which z.json's recursion needs).
 */
export const JsonValueSchema = z.json().openapi('JsonValue');
export type JsonValue = z.infer<typeof JsonValueSchema>;

/**
 * A JSON text without its NUL characters (U+0000), written raw or as the escape `\u0000`
 * inside a string or key (an escaped backslash before `u0000` is left alone: that is text).
 * PostgreSQL's text and jsonb cannot hold a NUL, SQLite, spreadsheets and most tools mishandle
 * it, and no request or file has a use for one, so it is dropped before the JSON is parsed: every
 * API request body (api/guards/body.ts) and the JSON files the CLI stores from (a codebook, a
 * price list), as the importer drops it from documents (api/ingest/normalize.ts's stripNul).
 * One linear pass.
 */
export function stripJsonNul(text: string): string {
  if (!text.includes('\\u0000') && !text.includes('\u0000')) return text;
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0) {
      out += text.slice(from, i);
      from = i + 1;
    } else if (inString && ch === 0x5c) {
      if (text.startsWith('u0000', i + 1)) {
        out += text.slice(from, i);
        from = i + 6;
        i += 5;
      } else i++; // another escape: keep it and skip the escaped character
    } else if (ch === 0x22) inString = !inString;
  }
  return out + text.slice(from);
}
