/** One cell of a heatmap: its colour value in [0, 1], the text on hover, and what a click opens. */
export interface HeatCell {
  value: number | null;
  tooltip: string;
  onClick?: () => void;
}

interface Props {
  rows: string[];
  columns: string[];
  /** cells[row][column] */
  cells: HeatCell[][];
  /** Text inside each cell (e.g. a percentage). */
  cellText?: (row: number, column: number) => string;
  ariaLabel: string;
  /** 0 → white, 1 → this colour. */
  colour?: [number, number, number];
}

const CELL_W = 64; // px
const CELL_H = 24; // px
const ROW_LABEL_W = 200; // px
const HEADER_H = 120; // px: column names are rotated

/**
 * A plain SVG heatmap (recharts has none): one rect per cell, value as colour intensity, exact
 * counts in the cell's hover title, and a click handler per cell. Text is rendered as SVG
 * text nodes, never as markup.
 */
export function Heatmap({ rows, columns, cells, cellText, ariaLabel, colour = [29, 78, 216] }: Props) {
  const width = ROW_LABEL_W + columns.length * CELL_W + 90; // room for the last rotated column name
  const height = HEADER_H + rows.length * CELL_H + 8;
  const fill = (v: number | null) => {
    if (v === null || Number.isNaN(v)) return '#f1f3f6';
    const t = Math.max(0, Math.min(1, v));
    const mix = (c: number) => Math.round(255 + (c - 255) * t);
    return `rgb(${mix(colour[0])}, ${mix(colour[1])}, ${mix(colour[2])})`;
  };
  return (
    <svg width={width} height={height} role="img" aria-label={ariaLabel} className="dash-heatmap">
      {columns.map((c, j) => (
        <text key={`c${j}`} transform={`translate(${ROW_LABEL_W + j * CELL_W + CELL_W / 2}, ${HEADER_H - 6}) rotate(-45)`} fontSize={11} fill="#1d2330">
          {c}
        </text>
      ))}
      {rows.map((r, i) => (
        <g key={`r${i}`} transform={`translate(0, ${HEADER_H + i * CELL_H})`}>
          <text x={ROW_LABEL_W - 6} y={CELL_H / 2 + 4} textAnchor="end" fontSize={12} fill="#1d2330">
            {r.length > 30 ? `${r.slice(0, 29)}…` : r}
          </text>
          {columns.map((_, j) => {
            const cell = cells[i]![j]!;
            const v = cell.value ?? 0;
            return (
              <g
                key={j}
                data-cell={`${i}:${j}`}
                onClick={cell.onClick}
                style={{ cursor: cell.onClick ? 'pointer' : 'default' }}
                transform={`translate(${ROW_LABEL_W + j * CELL_W}, 0)`}
              >
                <title>{cell.tooltip}</title>
                <rect width={CELL_W - 2} height={CELL_H - 2} fill={fill(cell.value)} rx={2} />
                {cellText && (
                  <text x={CELL_W / 2 - 1} y={CELL_H / 2 + 4} textAnchor="middle" fontSize={11} fill={v > 0.55 ? '#ffffff' : '#1d2330'}>
                    {cellText(i, j)}
                  </text>
                )}
              </g>
            );
          })}
        </g>
      ))}
    </svg>
  );
}
