import { DateTime } from 'luxon';

/** How numeric dates whose day and month could be swapped are read (`--date-order`). */
export type DateOrder = 'mdy' | 'dmy' | 'ymd';
export const DATE_ORDERS: readonly DateOrder[] = ['mdy', 'dmy', 'ymd'];

/** A published date normalised to its precision, and the first day it can mean. */
export interface PublishedDate {
  /** `2024-10-15`, `2024-10` or `2024`. */
  published: string;
  precision: 'day' | 'month' | 'year';
  /** First day it can mean, `YYYY-MM-DD`: the value range filters and ordering use. */
  start: string;
}

/** What reading one value gave. */
export type DateReading =
  | { kind: 'date'; date: PublishedDate }
  /** A numeric date that reads as a valid day both ways (`3/4/2024`): the order decides. */
  | { kind: 'ambiguous'; mdy: PublishedDate; dmy: PublishedDate }
  | { kind: 'unreadable' };

const OPTIONS = { setZone: true, locale: 'en-US' } as const;

/** Year-only and year-month forms, read with their precision. */
const YEAR_FORMATS = ['yyyy'];
const MONTH_FORMATS = ['yyyy-MM', 'yyyy/MM', 'MMMM yyyy', 'MMM yyyy', 'MMM. yyyy'];
/** Written-out forms, one way only: `15 October 2024`, `Oct 15, 2024`, `2024/10/15`. */
const DAY_FORMATS = [
  'd MMMM yyyy',
  'd MMM yyyy',
  'd MMM. yyyy',
  'MMMM d, yyyy',
  'MMM d, yyyy',
  'MMM. d, yyyy',
  'MMMM d yyyy',
  'MMM d yyyy',
  'EEEE, MMMM d, yyyy',
  'EEE, MMM d, yyyy',
  'd MMMM yyyy HH:mm',
  'MMM d, yyyy h:mm a',
  'yyyy/M/d',
  'yyyy.M.d',
  'yyyy.M.d.',
];
/** Numeric forms whose day and month order is a convention (with an optional time of day). */
const NUMERIC_FORMATS: Record<'mdy' | 'dmy' | 'ymd', string[]> = {
  mdy: ['M/d/yyyy', 'M/d/yy', 'M-d-yyyy', 'M.d.yyyy'],
  dmy: ['d/M/yyyy', 'd/M/yy', 'd.M.yyyy', 'd.M.yy', 'd-M-yyyy', 'd-M-yy', 'd.M.yyyy.'],
  ymd: ['yy/M/d', 'yy.M.d', 'yy-M-d'],
};
const TIME_SUFFIXES = ['', ' H:mm', ' H:mm:ss', ', H:mm', ' h:mm a', ' h:mm:ss a'];

/** Years a publication date may have; anything else is a misread (a number that is not a date). */
const MIN_YEAR = 1000;
const MAX_YEAR = 9999;

function dated(d: DateTime, precision: PublishedDate['precision']): PublishedDate | null {
  if (!d.isValid || d.year < MIN_YEAR || d.year > MAX_YEAR) return null;
  const day = d.toFormat('yyyy-MM-dd');
  if (precision === 'day') return { published: day, precision, start: day };
  if (precision === 'month') return { published: d.toFormat('yyyy-MM'), precision, start: `${d.toFormat('yyyy-MM')}-01` };
  return { published: d.toFormat('yyyy'), precision, start: `${d.toFormat('yyyy')}-01-01` };
}

function firstFormat(value: string, formats: string[], precision: PublishedDate['precision']): PublishedDate | null {
  for (const f of formats) {
    const d = dated(DateTime.fromFormat(value, f, OPTIONS), precision);
    if (d) return d;
  }
  return null;
}

function numeric(value: string, order: 'mdy' | 'dmy' | 'ymd'): PublishedDate | null {
  return firstFormat(
    value,
    value.includes(':') ? NUMERIC_FORMATS[order].flatMap((f) => TIME_SUFFIXES.slice(1).map((t) => f + t)) : NUMERIC_FORMATS[order],
    'day',
  );
}

/** Integer strings long enough to be a Unix time: seconds (9-11 digits) or milliseconds (12-14). */
function unixTime(value: string): PublishedDate | null {
  if (!/^\d{9,14}$/.test(value)) return null;
  const n = Number(value);
  return dated((value.length <= 11 ? DateTime.fromSeconds(n) : DateTime.fromMillis(n)).toUTC(), 'day');
}

/**
 * Reads a publication date as people write it: ISO 8601 dates and datetimes (with a time zone,
 * the day is the one written, not UTC's), `YYYY`, `YYYY-MM`, `Month YYYY`, `15 October 2024`,
 * `Oct 15, 2024`, RFC 2822 and HTTP dates, Unix timestamps (UTC), and numeric `M/D/YY`,
 * `D.M.YYYY` and the like. Precision is kept: a year stays a year, a month a month. A numeric
 * date that is a valid day both ways round is reported `ambiguous` for the caller to settle
 * with the file's date order.
 */
export function readDate(raw: string): DateReading {
  const value = raw.trim().replace(/\s+/g, ' ');
  if (value === '') return { kind: 'unreadable' };
  // ISO forms first (the common case, and the cheapest); luxon reads a bare "12" as a time of
  // day, so these readers are only asked about values that open with a four-digit year.
  if (/^\d{4}/.test(value)) {
    const early =
      (value.length === 4 ? firstFormat(value, YEAR_FORMATS, 'year') : null) ??
      (value.length <= 7 ? firstFormat(value, MONTH_FORMATS.slice(0, 2), 'month') : null) ??
      dated(DateTime.fromISO(value, OPTIONS), 'day') ??
      dated(DateTime.fromSQL(value, OPTIONS), 'day') ??
      unixTime(value) ??
      firstFormat(value, DAY_FORMATS, 'day');
    if (early) return { kind: 'date', date: early };
  }
  // Month names, RFC 2822 and HTTP dates have letters; numeric dates have none (but am/pm).
  const words = /\p{L}/u.test(value.replace(/\b[ap]m$/i, ''));
  const whole = words
    ? (firstFormat(value, MONTH_FORMATS.slice(2), 'month') ??
      dated(DateTime.fromRFC2822(value, OPTIONS), 'day') ??
      dated(DateTime.fromHTTP(value, OPTIONS), 'day') ??
      firstFormat(value, DAY_FORMATS, 'day'))
    : unixTime(value);
  if (whole) return { kind: 'date', date: whole };
  if (words) return { kind: 'unreadable' };
  const mdy = numeric(value, 'mdy');
  const dmy = numeric(value, 'dmy');
  if (mdy && dmy) return mdy.published === dmy.published ? { kind: 'date', date: mdy } : { kind: 'ambiguous', mdy, dmy };
  const only = mdy ?? dmy ?? numeric(value, 'ymd');
  return only ? { kind: 'date', date: only } : { kind: 'unreadable' };
}

/** An ambiguous numeric date read in the given order (null when it is no valid day that way). */
export function readInOrder(raw: string, order: DateOrder): PublishedDate | null {
  return numeric(raw.trim().replace(/\s+/g, ' '), order);
}

/**
 * The order a numeric date proves, when it is valid one way only (`7/23/17` proves month
 * first, `23.7.2017` day first); null for every other value.
 */
export function orderEvidence(raw: string): 'mdy' | 'dmy' | null {
  const value = raw.trim().replace(/\s+/g, ' ');
  // A value opening with its year, or spelling the month, shows no day/month order.
  if (/^\d{4}/.test(value) || /\p{L}/u.test(value.replace(/\b[ap]m$/i, ''))) return null;
  const mdy = numeric(value, 'mdy');
  const dmy = numeric(value, 'dmy');
  if (mdy && !dmy) return 'mdy';
  if (dmy && !mdy) return 'dmy';
  return null;
}

/** How many values of a file prove each order: what `detectOrder` decides from. */
export interface OrderEvidence {
  mdy: number;
  dmy: number;
}

/** The order a file's evidence decides: the only one seen, or the clear majority (4 to 1) when both are. */
export function decidedOrder(e: OrderEvidence): 'mdy' | 'dmy' | null {
  if (e.mdy > 0 && e.dmy === 0) return 'mdy';
  if (e.dmy > 0 && e.mdy === 0) return 'dmy';
  if (e.mdy >= 4 * e.dmy && e.mdy > 0) return 'mdy';
  if (e.dmy >= 4 * e.mdy && e.dmy > 0) return 'dmy';
  return null;
}

/**
 * The reading of an ambiguous value when neither the user nor the file decides: slashes are
 * read month first (the US convention of `M/D/YY`), dots and hyphens day first (`D.M.YYYY`).
 */
export function conventionalOrder(raw: string): 'mdy' | 'dmy' {
  return raw.includes('/') ? 'mdy' : 'dmy';
}

/** Spelled-out order for messages. */
export function orderWords(order: DateOrder): string {
  return order === 'mdy' ? 'month/day/year' : order === 'dmy' ? 'day/month/year' : 'year/month/day';
}
