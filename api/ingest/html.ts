import { basename, extname } from 'node:path';
import { Readability } from '@mozilla/readability';
import { JSDOM } from 'jsdom';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { IngestError, normalizeLineEndings } from './normalize.ts';
import type { ParsedDocument } from './readers.ts';

/**
 * Bounds on an HTML page, so reading one is linear in its size and cannot stall the server or
 * overflow the stack: a page with more elements, or nested deeper, is refused with the reason
 * (no article has either; a page that does is a dump or an attack).
 */
export const MAX_HTML_ELEMENTS = 50_000;
export const MAX_HTML_DEPTH = 256;
/**
 * Readability (main-text extraction) rescans ancestors for every paragraph, which grows worse
 * than linearly (500 sibling paragraphs take it about a second, 1,000 more than two); pages
 * with more elements, or nested deeper, than this are read whole (the segmenter still marks
 * their boilerplate).
 */
export const READABILITY_MAX_ELEMENTS = 500;
export const READABILITY_MAX_DEPTH = 64;

const BLOCK_TAGS = new Set(['P', 'DIV', 'SECTION', 'ARTICLE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'BLOCKQUOTE', 'PRE', 'FIGCAPTION', 'TR', 'TABLE', 'UL', 'OL', 'HEADER', 'FOOTER', 'ASIDE', 'MAIN', 'FIGURE', 'DL', 'DT', 'DD', 'HR']);
const DROPPED_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'IFRAME', 'SVG', 'OBJECT', 'HEAD']);

/** Counts of the work reading a page took (tests bound them). */
export interface HtmlWork {
  /** Nodes visited by the text walk. */
  visited: number;
  readability: boolean;
}

/** Elements that never hold content, and elements whose end tag may be left out (they close themselves). */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const SELF_CLOSING = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option', 'optgroup', 'rb', 'rt', 'rtc', 'rp', 'thead', 'tbody', 'tfoot', 'colgroup', 'caption', 'html', 'head', 'body']);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);

/**
 * Start tags and nesting depth of markup, in one linear pass before anything is parsed (a
 * parser meeting 40,000 nested elements takes minutes and then overflows the stack). Depth
 * counts elements left open: void and self-closing elements do not nest.
 */
export function scanMarkup(html: string): { tags: number; depth: number } {
  let tags = 0;
  let depth = 0;
  let max = 0;
  for (let i = html.indexOf('<'); i !== -1; i = html.indexOf('<', i + 1)) {
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      if (end === -1) break;
      i = end + 2;
      continue;
    }
    const closing = html.charCodeAt(i + 1) === 0x2f;
    let j = i + (closing ? 2 : 1);
    const c = html.charCodeAt(j) | 0x20;
    if (c < 0x61 || c > 0x7a) continue;
    while (j < html.length && /[A-Za-z0-9-]/.test(html[j]!)) j++;
    const name = html.slice(i + (closing ? 2 : 1), j).toLowerCase();
    if (closing) {
      if (!VOID.has(name) && !SELF_CLOSING.has(name) && depth > 0) depth--;
      continue;
    }
    tags++;
    if (RAW_TEXT.has(name)) {
      const endTag = new RegExp(`</${name}`, 'gi');
      endTag.lastIndex = j;
      const end = endTag.exec(html);
      if (end === null) break;
      i = end.index;
      continue;
    }
    if (!VOID.has(name) && !SELF_CLOSING.has(name) && ++depth > max) max = depth;
  }
  return { tags, depth: max };
}

type P5Node = DefaultTreeAdapterMap['node'];
type P5Element = DefaultTreeAdapterMap['element'];

const attr = (el: P5Element, name: string) => el.attrs.find((a) => a.name === name)?.value ?? null;

/** The head's facts (title, og:title, author, published time) and the <html lang>, from the parse5 tree. */
function pageFacts(document: DefaultTreeAdapterMap['document']): { title: string | null; author: string | null; published: string | null; lang: string | null; body: P5Element | null } {
  const facts = { title: null as string | null, ogTitle: null as string | null, author: null as string | null, published: null as string | null, lang: null as string | null, body: null as P5Element | null };
  const stack: P5Node[] = [...document.childNodes];
  while (stack.length) {
    const n = stack.pop()!;
    if (!('tagName' in n)) continue;
    const el = n as P5Element;
    if (el.tagName === 'html') facts.lang = attr(el, 'lang');
    else if (el.tagName === 'body') facts.body ??= el;
    else if (el.tagName === 'title') facts.title ??= el.childNodes.map((c) => ('value' in c ? c.value : '')).join('');
    else if (el.tagName === 'meta') {
      if (attr(el, 'property') === 'og:title') facts.ogTitle ??= attr(el, 'content');
      if (attr(el, 'name') === 'author') facts.author ??= attr(el, 'content');
      if (attr(el, 'property') === 'article:published_time') facts.published ??= attr(el, 'content');
    }
    if (el.tagName === 'body') continue;
    for (const c of el.childNodes) stack.push(c);
  }
  return { title: facts.ogTitle ?? facts.title, author: facts.author, published: facts.published, lang: facts.lang, body: facts.body };
}

/** Marks, on the walk's stack, where a block element ends. */
const BLOCK_END = Symbol('block end');

/**
 * Text of a subtree with a blank line between block elements and a newline for <br>, walked
 * iteratively (each node once) so nesting cannot overflow the stack. Works on parse5 nodes
 * and DOM nodes alike through `kids` and `tag`.
 */
function blockText<N>(root: N, tag: (n: N) => string | null, text: (n: N) => string | null, kids: (n: N) => N[], work: HtmlWork): string {
  const parts: string[] = [];
  const stack: (N | typeof BLOCK_END)[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node === BLOCK_END) {
      parts.push('\n\n');
      continue;
    }
    work.visited++;
    const t = text(node as N);
    if (t !== null) {
      parts.push(t.replace(/\s+/g, ' '));
      continue;
    }
    const name = tag(node as N);
    if (name === null || DROPPED_TAGS.has(name)) continue;
    if (name === 'BR') {
      parts.push('\n');
      continue;
    }
    if (BLOCK_TAGS.has(name)) {
      parts.push('\n\n');
      stack.push(BLOCK_END);
    }
    const children = kids(node as N);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return parts
    .join('')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const p5Text = (root: P5Node, work: HtmlWork) =>
  blockText<P5Node>(
    root,
    (n) => ('tagName' in n ? n.tagName.toUpperCase() : null),
    (n) => (n.nodeName === '#text' ? (n as DefaultTreeAdapterMap['textNode']).value : null),
    (n) => ('childNodes' in n ? (n.childNodes as P5Node[]) : []),
    work,
  );

const domText = (root: Node, work: HtmlWork) =>
  blockText<Node>(
    root,
    (n) => (n.nodeType === 1 ? (n as Element).tagName.toUpperCase() : null),
    (n) => (n.nodeType === 3 ? (n.nodeValue ?? '') : null),
    (n) => Array.from(n.childNodes),
    work,
  );

/** Readability's main text of a small page, or '' when it finds no article. */
function readableText(html: string, work: HtmlWork): { text: string; title: string | null } {
  work.readability = true;
  // No scripts run and no resources load: JSDOM's defaults, stated because documents are untrusted.
  const dom = new JSDOM(html, { runScripts: undefined, resources: undefined });
  try {
    const article = new Readability(dom.window.document, { maxElemsToParse: READABILITY_MAX_ELEMENTS * 2 }).parse();
    if (!article?.content) return { text: '', title: null };
    const inner = new JSDOM(`<body>${article.content}</body>`);
    try {
      return { text: domText(inner.window.document.body, work), title: article.title ?? null };
    } finally {
      inner.window.close();
    }
  } finally {
    dom.window.close();
  }
}

/**
 * An HTML file: the main text as Readability extracts it (for pages of article size),
 * paragraphs separated by blank lines; scripts and styles never become text. Falls back to the
 * whole body when Readability finds no article or the page is too large for it.
 */
export function readHtmlFile(fileName: string, html: string, work: HtmlWork = { visited: 0, readability: false }): ParsedDocument {
  const { tags, depth } = scanMarkup(html);
  if (tags > MAX_HTML_ELEMENTS) throw new IngestError(`HTML has ${tags.toLocaleString('en-US')} elements, over the ${MAX_HTML_ELEMENTS.toLocaleString('en-US')} limit (save the article text as .txt)`);
  if (depth > MAX_HTML_DEPTH) throw new IngestError(`HTML nests elements ${depth.toLocaleString('en-US')} levels deep, over the ${MAX_HTML_DEPTH} limit (save the article text as .txt)`);
  const facts = pageFacts(parse(html));
  let text = '';
  let title = facts.title?.trim() || null;
  if (tags <= READABILITY_MAX_ELEMENTS && depth <= READABILITY_MAX_DEPTH) {
    const readable = readableText(html, work);
    text = readable.text;
    title ??= readable.title;
  }
  if (!/\S/u.test(text)) text = facts.body ? p5Text(facts.body, work) : '';
  if (!/\S/u.test(text)) throw new IngestError('HTML has no text outside scripts and styles');
  return {
    text: normalizeLineEndings(text),
    title: title ?? basename(fileName, extname(fileName)),
    author: facts.author,
    published: facts.published,
    language: facts.lang ? facts.lang.slice(0, 2) : null,
    origin: fileName,
  };
}
