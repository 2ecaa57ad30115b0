/**
 * Chart downloads: the chart's own SVG (recharts or hand-drawn) with its title and data
 * statement written in, the same image rasterised to PNG, and the data as CSV.
 */

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

const TITLE_HEIGHT = 44; // px above the chart for its title and data statement

/** A standalone SVG document of the chart with its title and statement above it. */
export function chartSvg(container: HTMLElement, title: string, statement: string): { svg: string; width: number; height: number } | null {
  const source = mainSvg(container);
  if (!source) return null;
  const { width, height } = source.getBoundingClientRect();
  const ns = 'http://www.w3.org/2000/svg';
  const out = document.createElementNS(ns, 'svg');
  out.setAttribute('xmlns', ns);
  out.setAttribute('width', String(Math.ceil(width)));
  out.setAttribute('height', String(Math.ceil(height + TITLE_HEIGHT)));
  out.setAttribute('font-family', 'system-ui, sans-serif');
  const bg = document.createElementNS(ns, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#ffffff');
  out.append(bg);
  [
    [title, 16, 18, '600'],
    [statement, 12, 36, '400'],
  ].forEach(([text, size, y, weight]) => {
    const t = document.createElementNS(ns, 'text');
    t.setAttribute('x', '8');
    t.setAttribute('y', String(y));
    t.setAttribute('font-size', String(size));
    t.setAttribute('font-weight', String(weight));
    t.textContent = String(text);
    out.append(t);
  });
  const g = document.createElementNS(ns, 'g');
  g.setAttribute('transform', `translate(0, ${TITLE_HEIGHT})`);
  const clone = source.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('width', String(Math.ceil(width)));
  clone.setAttribute('height', String(Math.ceil(height)));
  g.append(clone);
  out.append(g);
  return { svg: new XMLSerializer().serializeToString(out), width: Math.ceil(width), height: Math.ceil(height + TITLE_HEIGHT) };
}

/** Downloads the chart as SVG. */
export function downloadSvg(container: HTMLElement, title: string, statement: string, filename: string): void {
  const doc = chartSvg(container, title, statement);
  if (doc) save(new Blob([doc.svg], { type: 'image/svg+xml' }), `${filename}.svg`);
}

/** Downloads the chart as PNG at twice its on-screen size. */
export async function downloadPng(container: HTMLElement, title: string, statement: string, filename: string): Promise<void> {
  const doc = chartSvg(container, title, statement);
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
