/** Query parameters whose values are credentials (an API key in the URL, a signed token). */
const SECRET_PARAM = /key|token|secret|sig|pass|auth|credential|session/i;
const MASK = '***';

/**
 * A base URL as it may be shown (the estimate, provenance, logs): a user name and password in
 * it, and the values of query parameters that look like credentials, are replaced by `***`.
 * A string that is not a URL is shown as `***` whole, since nothing can be known about it.
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return MASK;
  }
  if (url.username) url.username = MASK;
  if (url.password) url.password = MASK;
  for (const [name] of [...url.searchParams]) if (SECRET_PARAM.test(name)) url.searchParams.set(name, MASK);
  return url.toString().replace(/%2A%2A%2A/g, MASK);
}

/** The secret parts of a base URL and key: what must never appear in a message. */
export function secretsOf(baseURL: string | undefined, apiKey: string | undefined): string[] {
  const secrets: string[] = [];
  if (apiKey && apiKey.length >= 4) secrets.push(apiKey);
  if (baseURL) {
    try {
      const url = new URL(baseURL);
      for (const part of [url.password, url.username]) if (part) secrets.push(part, decodeURIComponent(part));
      for (const [name, value] of url.searchParams) if (SECRET_PARAM.test(name) && value) secrets.push(value, encodeURIComponent(value));
    } catch {
      secrets.push(baseURL);
    }
  }
  // Longest first, so a secret containing another is masked whole.
  return [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
}

/** `text` with every secret replaced by `***` (error messages from the SDK or a server can echo the URL or the key). */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join(MASK);
  return out;
}
