import { useRef, type ReactNode } from 'react';
import { downloadCsv, downloadPng, downloadSvg } from './chartExport.ts';
import { toCsv, type CsvValue } from './csv.ts';

/** The data behind a chart, as the CSV download writes it. */
export interface ChartData {
  header: string[];
  rows: CsvValue[][];
}

interface Props {
  /** Stable id used for the card's test hooks and file names. */
  id: string;
  title: string;
  /** Where the numbers come from, shown on the chart and written into every download. */
  statement: string;
  data: ChartData;
  controls?: ReactNode;
  help?: ReactNode;
  children: ReactNode;
}

/** A dashboard chart with its data statement and PNG / SVG / CSV downloads. */
export function ChartCard({ id, title, statement, data, controls, help, children }: Props) {
  const body = useRef<HTMLDivElement>(null);
  const filename = `framescope-${id}`;
  return (
    <section className="panel dash-card" data-chart={id} aria-labelledby={`${id}-title`}>
      <div className="dash-card-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <div className="row">
          {controls}
          <button type="button" onClick={() => body.current && void downloadPng(body.current, title, statement, filename)} aria-label={`Download ${title} as PNG`}>
            PNG
          </button>
          <button type="button" onClick={() => body.current && downloadSvg(body.current, title, statement, filename)} aria-label={`Download ${title} as SVG`}>
            SVG
          </button>
          <button type="button" onClick={() => downloadCsv(toCsv(data.header, data.rows), filename)} aria-label={`Download ${title} data as CSV`}>
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
