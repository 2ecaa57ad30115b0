import { conventionalOrder, decidedOrder, orderEvidence, orderWords, readDate, readInOrder, type DateOrder, type DateReading, type OrderEvidence, type PublishedDate } from './dates.ts';

/** A date read for one row: the date (or null), and a warning when the row should hear about it. */
export interface RowDate {
  date: PublishedDate | null;
  warning: string | null;
}

/** Distinct values remembered per file: dates repeat (many articles a day), and reading one takes tens of µs. */
const CACHE_LIMIT = 50_000;

/**
 * The date policy of one file. Numeric dates that read both ways (`3/4/2024`) follow, in
 * order: `--date-order`; the file's own evidence (values valid one way only, such as
 * `7/23/17`), looked for across the whole file the first time an ambiguous value comes up
 * (`scan`); else the convention for the separator, with a file warning saying so.
 */
export class FileDates {
  private readonly cache = new Map<string, { r: DateReading; proves: 'mdy' | 'dmy' | null }>();
  private readonly seen: OrderEvidence = { mdy: 0, dmy: 0 };
  private order: DateOrder | null;
  private scanned = false;
  /** File-level warnings (the order assumed), for the report. */
  readonly fileWarnings: string[] = [];

  constructor(
    explicit: DateOrder | null,
    /** Reads every published value of the file and counts the evidence for each order. */
    private readonly scan: () => Promise<OrderEvidence>,
  ) {
    this.order = explicit;
  }

  private reading(raw: string): { r: DateReading; proves: 'mdy' | 'dmy' | null } {
    let entry = this.cache.get(raw);
    if (!entry) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      const r = readDate(raw);
      entry = { r, proves: r.kind === 'date' && r.date.precision === 'day' ? orderEvidence(raw) : null };
      this.cache.set(raw, entry);
    }
    return entry;
  }

  /** Reads one value; never throws: an unreadable value yields a null date and a warning. */
  async read(raw: string): Promise<RowDate> {
    const { r, proves } = this.reading(raw);
    if (r.kind === 'unreadable') return { date: null, warning: `published "${raw}" is not a date the import can read; kept as written (published_raw), date left empty` };
    if (r.kind === 'date') {
      if (proves) this.seen[proves]++;
      const order = this.order;
      if (proves && order !== null && order !== 'ymd' && proves !== order) {
        return { date: r.date, warning: `published "${raw}" can only be ${orderWords(proves)} (${r.date.published}), unlike the file's ${orderWords(order)} order` };
      }
      return { date: r.date, warning: null };
    }
    const order = await this.settle(raw);
    const date = order === 'mdy' ? r.mdy : order === 'dmy' ? r.dmy : readInOrder(raw, 'ymd');
    return date ? { date, warning: null } : { date: null, warning: `published "${raw}" is not a ${orderWords(order)} date; kept as written (published_raw), date left empty` };
  }

  /** The order for ambiguous values, decided once per file. */
  private async settle(raw: string): Promise<DateOrder> {
    if (this.order !== null) return this.order;
    let decided = decidedOrder(this.seen);
    if (decided === null && !this.scanned) {
      this.scanned = true;
      decided = decidedOrder(await this.scan());
    }
    if (decided !== null) {
      this.order = decided;
      return decided;
    }
    const assumed = conventionalOrder(raw);
    this.order = assumed;
    this.fileWarnings.push(
      `dates such as "${raw}" read both ways and nothing in the file decides: read as ${orderWords(assumed)}; import again with --date-order ${assumed === 'mdy' ? 'dmy' : 'mdy'} if they are ${orderWords(assumed === 'mdy' ? 'dmy' : 'mdy')}`,
    );
    return assumed;
  }
}

/** Counts the order evidence in a file's published values. */
export async function countEvidence(values: AsyncIterable<string>): Promise<OrderEvidence> {
  const e: OrderEvidence = { mdy: 0, dmy: 0 };
  for await (const v of values) {
    const o = orderEvidence(v);
    if (o) e[o]++;
  }
  return e;
}
