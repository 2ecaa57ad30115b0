/**
 * Chart downloads: the chart's own SVG (recharts or hand-drawn) with everything that gives it
 * its meaning written in (title, basis statement, filters, codebook version, date, legend), the
 * same image rasterised to PNG, and the data as CSV. A downloaded chart must say on its own what
 * it shows: it leaves the page that explained it.
 */

/** What a download says about a chart, in the image and in its file name. */
export interface ChartDescription {
  title: string;
  /** The basis statement and what the chart measures. */
  statement: string;
  /** Short basis name for the file name: model, people, people-incl-bulk or final. */
  basis: string;
  /** The filters in force, in words ("all items" when none). */
  filters: string;
  codebook: { name: string; version: string };
  /** The download date, YYYY-MM-DD. */
  date: string;
}

function save(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000); // 10 s: the download has started by then
}

/** A piece of a file name: letters, digits, dots and dashes only. */
const slug = (s: string, max = 60) =>
  s
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, max)
    .replace(/-$/, '');

/** The file name (without extension): chart, basis, filters, codebook and version, date. */
export function chartFileName(id: string, d: ChartDescription): string {
  const parts = ['framescope', id, d.basis, d.filters === 'all items' ? '' : slug(d.filters), `${slug(d.codebook.name, 40)}-v${slug(d.codebook.version, 20)}`, d.date];
  return parts.filter((p) => p !== '').join('_');
}

/** The chart's main drawing: the largest SVG in the card (legend icons are small SVGs too). */
function mainSvg(container: HTMLElement): SVGSVGElement | null {
  let best: SVGSVGElement | null = null;
  let bestArea = 0;
  for (const svg of container.querySelectorAll('svg')) {
    const r = svg.getBoundingClientRect();
    if (r.width * r.height > bestArea) {
      best = svg;
      bestArea = r.width * r.height;
    }
  }
  return best;
}

/** The legend entries recharts drew as HTML beside the chart (name and colour), which a bare SVG copy would lose. */
function legendEntries(container: HTMLElement): { name: string; colour: string }[] {
  return [...container.querySelectorAll('.recharts-legend-item')].map((item) => {
    const mark = item.querySelector('path, rect, line, circle');
    const colour = mark?.getAttribute('fill') && mark.getAttribute('fill') !== 'none' ? mark.getAttribute('fill')! : (mark?.getAttribute('stroke') ?? '#1d2330');
    return { name: item.querySelector('.recharts-legend-item-text')?.textContent ?? item.textContent ?? '', colour };
  });
}

/** Splits text into lines of at most `width` px at `font`, by words (measured with a canvas, as the browser will draw it). */
function wrap(text: string, font: string, width: number): string[] {
  const ctx = document.createElement('canvas').getContext('2d');
  const measure = (s: string) => (ctx ? ((ctx.font = font), ctx.measureText(s).width) : s.length * 7);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && measure(next) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

const FONT = 'system-ui, sans-serif';
const PAD = 12; // px around the drawing
const LEGEND_ROW = 20; // px per legend row

/** A standalone SVG document of the chart with its description above it and its legend below. */
export function chartSvg(container: HTMLElement, d: ChartDescription): { svg: string; width: number; height: number } | null {
  const source = mainSvg(container);
  if (!source) return null;
  const box = source.getBoundingClientRect();
  const chartWidth = Math.ceil(box.width);
  const chartHeight = Math.ceil(box.height);
  const width = Math.max(chartWidth, 640) + 2 * PAD;
  const textWidth = width - 2 * PAD;
  const ns = 'http://www.w3.org/2000/svg';
  const out = document.createElementNS(ns, 'svg');
  out.setAttribute('xmlns', ns);
  out.setAttribute('font-family', FONT);
  const bg = document.createElementNS(ns, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#ffffff');
  out.append(bg);

  let y = PAD;
  const text = (content: string, size: number, weight: string, colour: string, x = PAD) => {
    const t = document.createElementNS(ns, 'text');
    t.setAttribute('x', String(x));
    t.setAttribute('y', String(y + size));
    t.setAttribute('font-size', String(size));
    t.setAttribute('font-weight', weight);
    t.setAttribute('fill', colour);
    t.textContent = content;
    out.append(t);
    return t;
  };
  const block = (content: string, size: number, weight: string, colour: string, cls: string) => {
    for (const line of wrap(content, `${weight} ${size}px ${FONT}`, textWidth)) {
      text(line, size, weight, colour).setAttribute('class', cls);
      y += Math.round(size * 1.35);
    }
  };
  block(d.title, 16, '600', '#1d2330', 'chart-title');
  block(d.statement, 12, '400', '#1d2330', 'chart-statement');
  block(`Filters: ${d.filters}`, 12, '400', '#5d6677', 'chart-filters');
  block(`Codebook ${d.codebook.name} v${d.codebook.version} · downloaded ${d.date} · Framescope`, 12, '400', '#5d6677', 'chart-meta');
  y += 6;

  const g = document.createElementNS(ns, 'g');
  g.setAttribute('transform', `translate(${PAD}, ${y})`);
  const clone = source.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('width', String(chartWidth));
  clone.setAttribute('height', String(chartHeight));
  clone.setAttribute('overflow', 'visible');
  g.append(clone);
  out.append(g);
  y += chartHeight + 8;

  const legend = legendEntries(container);
  if (legend.length > 0) {
    let x = PAD;
    const group = document.createElementNS(ns, 'g');
    group.setAttribute('class', 'chart-legend');
    out.append(group);
    for (const entry of legend) {
      const itemWidth = 22 + Math.min(260, entry.name.length * 7.2) + 16;
      if (x + itemWidth > width - PAD && x > PAD) {
        x = PAD;
        y += LEGEND_ROW;
      }
      const swatch = document.createElementNS(ns, 'rect');
      swatch.setAttribute('x', String(x));
      swatch.setAttribute('y', String(y + 3));
      swatch.setAttribute('width', '14');
      swatch.setAttribute('height', '10');
      swatch.setAttribute('fill', entry.colour);
      group.append(swatch);
      const label = text(entry.name, 12, '400', '#1d2330', x + 20);
      label.setAttribute('y', String(y + 12));
      group.append(label);
      x += itemWidth;
    }
    y += LEGEND_ROW;
  }
  const height = y + PAD;
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(height));
  out.setAttribute('viewBox', `0 0 ${width} ${height}`);
  return { svg: new XMLSerializer().serializeToString(out), width, height };
}

/** Downloads the chart as SVG. */
export function downloadSvg(container: HTMLElement, d: ChartDescription, filename: string): void {
  const doc = chartSvg(container, d);
  if (doc) save(new Blob([doc.svg], { type: 'image/svg+xml' }), `${filename}.svg`);
}

/** Downloads the chart as PNG at twice its on-screen size. */
export async function downloadPng(container: HTMLElement, d: ChartDescription, filename: string): Promise<void> {
  const doc = chartSvg(container, d);
  if (!doc) return;
  const url = URL.createObjectURL(new Blob([doc.svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the chart image could not be drawn'));
      img.src = url;
    });
    const scale = 2;
    const canvas = document.createElement('canvas');
    canvas.width = doc.width * scale;
    canvas.height = doc.height * scale;
    const ctx = canvas.getContext('2d')!;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (blob) save(blob, `${filename}.png`);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Downloads CSV text. */
export function downloadCsv(csv: string, filename: string): void {
  save(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `${filename}.csv`);
}
