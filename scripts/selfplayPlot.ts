// Small self-contained SVG figures for the self-play runs (the approach of scripts/plotRun.ts: a grid of
// panels, each a few polylines with a legend, no dependencies), so a run in docs/selfplay/ can be read
// without opening the lab.

export interface Line {
  /** Legend text; '' leaves the line out of the legend. */
  label: string;
  colour: string;
  points: [number, number][];
  /** Dashed (e.g. a baseline variant). */
  dashed?: boolean;
}

export interface Panel {
  title: string;
  lines: Line[];
  /** x-axis label (default 'iteration'). */
  xLabel?: string;
  /** Fixed y range (default: from the data, including 0). */
  yRange?: [number, number];
}

export const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#7f7f7f'];

/** Debiased exponential moving average (TensorBoard's smoothing). */
export function ema(values: number[], weight = 0.8): number[] {
  let last = 0;
  return values.map((v, i) => {
    last = last * weight + (1 - weight) * v;
    return last / (1 - weight ** (i + 1));
  });
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

function panel(p: Panel, x0: number, y0: number, w: number, h: number): string {
  const all = p.lines.flatMap((l) => l.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xMin = Math.min(0, ...all.map((q) => q[0]));
  const xMax = Math.max(xMin + 1, ...all.map((q) => q[0]));
  const [yMin, yTop] = p.yRange ?? [Math.min(0, ...all.map((q) => q[1])), Math.max(1e-6, ...all.map((q) => q[1]))];
  const yMax = yTop - yMin < 1e-9 ? yMin + 1 : yTop;
  const sx = (x: number) => x0 + ((x - xMin) / (xMax - xMin)) * w;
  const sy = (y: number) => y0 + h - ((y - yMin) / (yMax - yMin)) * h;
  const paths = p.lines
    .map((l) => {
      const pts = l.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
      const dash = l.dashed ? ' stroke-dasharray="5,3"' : '';
      return `<polyline fill="none" stroke="${l.colour}" stroke-width="1.5"${dash} points="${pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`;
    })
    .join('');
  // The legend sits under the plot (one line of coloured labels), where it cannot hide a curve.
  const legend =
    `<text x="${x0}" y="${y0 + h + 26}" font-size="10">` +
    p.lines
      .filter((l) => l.label !== '')
      .map((l, i) => `<tspan fill="${l.colour}"${i > 0 ? ' dx="14"' : ''}>${l.dashed ? '- - ' : '— '}${escapeXml(l.label)}</tspan>`)
      .join('') +
    `</text>`;
  const zero = yMin < 0 && yMax > 0 ? `<line x1="${x0}" x2="${x0 + w}" y1="${sy(0).toFixed(1)}" y2="${sy(0).toFixed(1)}" stroke="#eee"/>` : '';
  return (
    `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#ccc"/>` +
    zero +
    `<text x="${x0}" y="${y0 - 6}" font-size="12">${escapeXml(p.title)}</text>` +
    `<text x="${x0 - 4}" y="${y0 + 10}" text-anchor="end" font-size="9">${yMax.toFixed(2)}</text>` +
    `<text x="${x0 - 4}" y="${y0 + h}" text-anchor="end" font-size="9">${yMin.toFixed(2)}</text>` +
    `<text x="${x0}" y="${y0 + h + 12}" font-size="9">${xMin}</text>` +
    `<text x="${x0 + w}" y="${y0 + h + 12}" text-anchor="end" font-size="9">${escapeXml(p.xLabel ?? 'iteration')} ${xMax}</text>` +
    paths +
    legend
  );
}

/** Panels in a grid of two columns, with a title line on top. */
export function figure(title: string, panels: Panel[]): string {
  const W = 340;
  const H = 150;
  const rows = Math.ceil(panels.length / 2);
  const body = panels.map((p, i) => panel(p, 50 + (i % 2) * (W + 70), 50 + Math.floor(i / 2) * (H + 70), W, H)).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W + 120}" height="${rows * (H + 70) + 30}" font-family="sans-serif">` +
    `<rect width="100%" height="100%" fill="white"/><text x="10" y="18" font-size="13" font-weight="bold">${escapeXml(title)}</text>${body}</svg>\n`
  );
}
