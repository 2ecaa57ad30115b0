/**
 * Links Framescope keeps and shows: http and https only. A `javascript:` or `data:` URL in a
 * source or document would run or render code when clicked, so it is refused where it enters
 * and never rendered as a link (the web UI imports this file too: no Node imports here).
 */

/** The URL as a link target when it is an absolute http(s) URL, else null. */
export function webHref(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Why a URL is not accepted, or null when it is an http(s) URL. */
export function webUrlProblem(value: string): string | null {
  if (webHref(value)) return null;
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return `url "${shown}" is not a web address: only absolute http:// and https:// URLs are kept`;
}
