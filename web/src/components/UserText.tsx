import { webHref } from '../../../api/ingest/webUrl.ts';

/** Characters that reorder or hide text: bidi marks, embeddings, overrides and isolates, zero-width characters, the BOM. */
const HIDDEN = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** The hidden characters in a string, as U+XXXX codes (empty when none). */
export function hiddenCharacters(text: string): string[] {
  return [...new Set(text.match(HIDDEN) ?? [])].map((c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/**
 * A piece of text from a document, a source or a person, shown inline beside interface text.
 * It is bidi-isolated (`<bdi>`), so a right-to-left override inside it cannot reorder what
 * follows, and a name hiding characters (a zero-width space, an override) says so.
 */
export function UserText({ text }: { text: string }) {
  const hidden = hiddenCharacters(text);
  return (
    <>
      <bdi>{text}</bdi>
      {hidden.length > 0 && (
        <span className="badge hidden-chars" title={`contains invisible or direction-changing characters: ${hidden.join(', ')}`}>
          hidden characters
        </span>
      )}
    </>
  );
}

/** A URL from a source or document: a link only when it is http(s); anything else is shown as text, never followed. */
export function WebLink({ url }: { url: string }) {
  const href = webHref(url);
  if (!href) {
    return (
      <span className="muted" title="not an http(s) address, so not linked">
        <bdi>{url}</bdi>
      </span>
    );
  }
  return (
    <a href={href} rel="noreferrer noopener" target="_blank">
      <bdi>{url}</bdi>
    </a>
  );
}
