/**
 * Boilerplate rules: the data that decides which passages are not the article (site
 * furniture, appeals, notices, captions). Every rule is about how web pages and wire copy
 * are laid out, never about a topic, so swapping the codebook or the corpus needs no change
 * here. A rule fires when at least `minHits` of its patterns match, and only on passages no
 * longer than `maxLength` (characters): a long paragraph that merely mentions "copyright" or
 * "support" is argument, not a notice.
 */
export interface BoilerplateRule {
  /** Stored as the passage's exclusion reason. */
  reason: string;
  patterns: RegExp[];
  /** Patterns that must match for the rule to fire (default 1). */
  minHits?: number;
  /** Longest passage (characters) the rule applies to. */
  maxLength: number;
}

/** The rules, checked in order; the first that fires names the reason. */
export const BOILERPLATE_RULES: BoilerplateRule[] = [
  {
    reason: 'copyright',
    patterns: [/^copyright\b/i, /©/, /\ball rights reserved\b/i],
    maxLength: 300,
  },
  {
    reason: 'copyright',
    patterns: [
      /\b(active )?hyper ?link\b/i,
      /\bwritten permission\b/i,
      /\b(reprint|republish|reproduc)\w*/i,
      /\bwhen (referencing|quoting|citing) our\b/i,
      /\b(licen[cs]ed under|creative commons)\b/i,
    ],
    minHits: 2,
    maxLength: 600,
  },
  {
    reason: 'legal',
    patterns: [/^(privacy|cookie|terms)\b.*\b(polic(y|ies)|terms|conditions)\b/i, /\b(privacy|cookie) polic(y|ies)\b/i],
    maxLength: 100,
  },
  {
    reason: 'adblock',
    patterns: [/\bad[- ]?block(er|ing)?\b/i, /\bdisabl\w+ your ad/i, /\bwhitelist(ing)? (us|our)/i],
    maxLength: 800,
  },
  {
    reason: 'donation',
    patterns: [
      /\bdonat(e|ion|ing)\b/i,
      /\bbecome a (patron|member|supporter|subscriber)\b/i,
      /\bpatreon\b/i,
      /\bsupport (us|our (work|journalism|reporting|team))\b/i,
      /\breaders like you\b/i,
      /\bjoin our community\b/i,
      /\b(cost of|price of) (a|one) (cup of )?coffee\b/i,
      /\byou could close this page\b/i,
    ],
    minHits: 2,
    maxLength: 2000,
  },
  {
    reason: 'donation',
    patterns: [/^(please )?(donate|support us|become a patron)\b/i],
    maxLength: 200,
  },
  {
    reason: 'sponsor',
    patterns: [
      /^(the work of|this (article|publication|project|material|report|story)|our (work|reporting|journalism))\b.*\b(supported|funded|sponsored|made possible) by\b/i,
    ],
    maxLength: 250,
  },
  {
    reason: 'related',
    patterns: [/^(related( posts| articles| stories| news| content)?|read (also|more|next)|see also|you (may|might) also (like|read)|more (from|on) this|recommended( for you)?)\b\s*:?/i],
    maxLength: 80,
  },
  {
    reason: 'navigation',
    patterns: [
      /^home\s*[/>»›|]/i,
      /\b(suggest|report) a (correction|typo|mistake|error)\b/i,
      /\bpress ctrl\s*\+\s*enter\b/i,
      /\bleave your (suggestions|corrections|comments)\b/i,
      /^(share( this)?( on)?|follow us|subscribe( to)?|sign up for|tags?|categor(y|ies)|filed under)\b\s*:?/i,
    ],
    maxLength: 200,
  },
  {
    reason: 'dateline',
    patterns: [
      /^(posted|published|updated|last updated|date|dated)( on)?\s*:?\s*[\p{L}\d ,./:-]{4,40}$/iu,
      /^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(,? \d{1,2}:\d{2}(:\d{2})?)?$/,
      /^\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2})?)?$/,
      /^(\d{1,2} )?(january|february|march|april|may|june|july|august|september|october|november|december)( \d{1,2})?,? \d{4}(,? \d{1,2}:\d{2})?$/i,
    ],
    maxLength: 60,
  },
  {
    reason: 'byline',
    patterns: [/^(author|authors|edited by|written by|reported by|text by|words by|translated by)\s*:?\s+\S/i],
    maxLength: 160,
  },
  {
    // A bare "By First Last, role" line with no sentence punctuation; requiring two
    // capitalised words keeps "By contrast, …" in.
    reason: 'byline',
    patterns: [/^[Bb]y\s+\p{Lu}[\p{Ll}.’'-]+\s+\p{Lu}[^.!?]*$/u],
    maxLength: 160,
  },
  {
    reason: 'caption',
    patterns: [/^(photo|image|picture|illustration|video|photo credit|credit)s?( by)?\s*:/i],
    maxLength: 200,
  },
  {
    // Bare place captions under photos: "Moscow, Russia", "Astana, Kazakhstan Yerevan, Armenia".
    reason: 'caption',
    patterns: [/^(?:\p{Lu}[\p{L}’'.-]*(?:[ -]\p{Lu}[\p{L}’'.-]*){0,3},\s*\p{Lu}[\p{L}’'.-]*(?:[ -]\p{Lu}[\p{L}’'.-]*){0,3}\s*)+$/u],
    maxLength: 80,
  },
  {
    reason: 'translator-note',
    patterns: [/^(\[?\d+\]?\.?\s*)?\[?(translator|trans\.|editor|ed\.)[’']?s?\s+note\b/i, /^\[?(t\.?n\.|n\.?b\. of the translator)\]?\s*:/i],
    maxLength: 2000,
  },
];

/** The first rule's reason that fires on a (trimmed) passage text, or null when it is article text. */
export function boilerplateReason(text: string): string | null {
  for (const rule of BOILERPLATE_RULES) {
    if (text.length > rule.maxLength) continue;
    let hits = 0;
    for (const p of rule.patterns) if (p.test(text)) hits++;
    if (hits >= (rule.minHits ?? 1)) return rule.reason;
  }
  return null;
}

/** Short label-like line: a few words and no sentence punctuation (headings, site names, menu entries). */
export function isBareLine(text: string): boolean {
  return text.length <= 60 && text.split(/\s+/).length <= 6 && !SENTENCE_END.has(text.trimEnd().at(-1) ?? '.');
}

const SENTENCE_END = new Set(['.', '!', '?', '…', '"', '”', '»']);
