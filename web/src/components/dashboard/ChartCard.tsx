import { createContext, useContext, useRef, type ReactNode } from 'react';
import type { Basis } from '../../../../db/schema/vocabulary.ts';
import { chartFileName, downloadCsv, downloadPng, downloadSvg, type ChartDescription } from './chartExport.ts';
import { toCsv, type CsvValue } from './csv.ts';

/** The data behind a chart, as the CSV download writes it. */
export interface ChartData {
  header: string[];
  rows: CsvValue[][];
}

/** What a view's response says about its numbers: the basis (people-only views have none: they are always people), level and codebook. */
export interface ChartSource {
  basis?: Basis;
  level: 'passage' | 'document';
  codebook: { name: string; version: string };
}

/** A basis as downloads name it (api/items/provenance.ts defines the bases). */
const BASIS_NAMES: Record<Basis, string> = { model: 'model', people: 'people', 'people-bulk': 'people incl. bulk', final: 'final' };

/** The dashboard's filters in words, for downloads (DashboardPage provides it). */
export const DashboardFiltersText = createContext<string>('all items');

interface Props {
  /** Stable id used for the card's test hooks and file names. */
  id: string;
  title: string;
  /** Where the numbers come from, shown on the chart and written into every download. */
  statement: string;
  /** The view's response header: basis, level and codebook, written into every download and its file name. */
  source: ChartSource;
  data: ChartData;
  controls?: ReactNode;
  help?: ReactNode;
  children: ReactNode;
}

/** Today as YYYY-MM-DD (local date: the day the person downloaded the chart). */
const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** A dashboard chart with its data statement and PNG / SVG / CSV downloads that carry their meaning with them. */
export function ChartCard({ id, title, statement, source, data, controls, help, children }: Props) {
  const body = useRef<HTMLDivElement>(null);
  const filters = useContext(DashboardFiltersText);
  const basis = source.basis ?? 'people';
  const describe = (): ChartDescription => ({
    title: `${title} (${BASIS_NAMES[basis]}, ${source.level === 'passage' ? 'passages' : 'documents'})`,
    statement,
    basis: basis === 'people-bulk' ? 'people-incl-bulk' : basis,
    filters,
    codebook: source.codebook,
    date: today(),
  });
  const fileName = () => chartFileName(id, describe());
  // The CSV says on every row which numbers it holds, so two downloads can never be mistaken for each other.
  const csv = () => toCsv(['basis', ...data.header], data.rows.map((r) => [BASIS_NAMES[basis], ...r]));
  return (
    <section className="panel dash-card" data-chart={id} aria-labelledby={`${id}-title`}>
      <div className="dash-card-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <div className="row">
          {controls}
          <button type="button" onClick={() => body.current && void downloadPng(body.current, describe(), fileName())} aria-label={`Download ${title} as PNG`}>
            PNG
          </button>
          <button type="button" onClick={() => body.current && downloadSvg(body.current, describe(), fileName())} aria-label={`Download ${title} as SVG`}>
            SVG
          </button>
          <button type="button" onClick={() => downloadCsv(csv(), fileName())} aria-label={`Download ${title} data as CSV`}>
            CSV
          </button>
        </div>
      </div>
      <p className="muted dash-statement">{statement}</p>
      {help}
      <div ref={body} className="dash-chart">
        {children}
      </div>
    </section>
  );
}

/** Colours for codebook labels by position (labels are data, so no colour is tied to a label id). */
export const LABEL_COLOURS = ['#c2410c', '#1d4ed8', '#4d7c0f', '#7c3aed', '#0f766e', '#b45309', '#be185d', '#475569'];
export const labelColour = (index: number) => LABEL_COLOURS[index % LABEL_COLOURS.length]!;

/** Rounds for display (the CSV keeps full precision). */
export const fmt = (v: number | null | undefined, digits = 2) => (v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits));
export const pct = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '–' : `${(v * 100).toFixed(1)}%`);

/** An axis tick for people: at most two decimals, no floating-point residue (100.00000000000001 → 100, -2.2199… → -2.22). */
export const tick = (v: number | string) => {
  const n = Number(v);
  return Number.isFinite(n) ? String(Number(n.toFixed(2))) : String(v);
};

/** Average width of a character of 12 px axis text, px (generous, so a name is never clipped). */
const CHAR_PX = 7;

/** A name cut to fit `width` px at 12 px text, with an ellipsis (the full name is in the tooltip and the CSV). */
const fitName = (name: string, width: number) => (name.length * CHAR_PX + 16 <= width ? name : `${name.slice(0, Math.max(4, Math.floor((width - 16) / CHAR_PX) - 1))}…`);

/**
 * A category-axis tick that draws a name on one line, cut with an ellipsis only beyond the
 * axis width (recharts' own tick wraps long names over lines and drops their end).
 */
export const nameTick =
  (width: number) =>
  ({ x, y, payload }: { x?: number | string; y?: number | string; payload?: { value?: unknown } }) => (
    <text x={Number(x ?? 0)} y={Number(y ?? 0)} dy={4} textAnchor="end" fontSize={12} fill="#5d6677" className="recharts-cartesian-axis-tick-value">
      {fitName(String(payload?.value ?? ''), width)}
    </text>
  );

/** Room for a category axis of names in px at 12 px text, so long outlet names are shown whole up to a limit. */
export function categoryAxisWidth(names: readonly string[], min = 120, max = 480): number {
  const longest = names.reduce((m, n) => Math.max(m, n.length), 0);
  return Math.max(min, Math.min(max, Math.ceil(longest * CHAR_PX) + 16));
}
