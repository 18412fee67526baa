// Downloads for a chart: its series as CSV, and its figure (chartFigure.ts) as SVG or PNG. The figure
// wraps the chart's own SVG, serialised: recharts draws strokes and tick fills as literal attributes, so
// it renders the same outside the page's CSS; the PNG is that SVG drawn onto a canvas.
import type { ChartDrawing, Figure } from './chartFigure';

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later: some browsers start the download asynchronously after click().
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadCsv(csv: string, filename: string): void {
  downloadBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), filename);
}

/** A safe file name from a metric id: letters, digits, dash and underscore only. */
export function fileStem(id: string): string {
  return `rlvr-${id.replace(/[^a-z0-9_-]+/gi, '_')}`;
}

/** The chart's SVG (first one under `container`) serialised with its drawn size: the figure's body. */
export function chartDrawing(container: HTMLElement): ChartDrawing {
  const svg = container.querySelector('svg.recharts-surface') ?? container.querySelector('svg');
  if (!svg) throw new Error('The chart has nothing drawn yet.');
  const { width, height } = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  return { markup: new XMLSerializer().serializeToString(clone), width, height };
}

export function downloadSvg(figure: Figure, filename: string): void {
  downloadBlob(new Blob([figure.svg], { type: 'image/svg+xml;charset=utf-8' }), filename);
}

/** The figure as a PNG at `scale` × its size: the SVG drawn onto a canvas (no screenshot library). */
export async function figureToPng(figure: Figure, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([figure.svg], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const image = new Image();
    image.decoding = 'async';
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('The figure SVG could not be drawn.'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(figure.width * scale);
    canvas.height = Math.ceil(figure.height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('No 2D canvas available.');
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed.'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
