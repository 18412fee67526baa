// The y axis's width, worked out before the chart draws. Recharts can size the axis itself
// (`width="auto"`), but it does so after drawing: it reads each tick label's box (a forced layout of
// the whole page) and, when the width differs, draws the whole chart a second time. That doubled the
// cost of a chart's redraw, and a chart's first draw was the longest main-thread task while training
// (over 100 ms of CPU on a 2-core machine). Here the labels the axis can show are computed with the
// same tick algorithm recharts uses, measured on a canvas (no layout), and the widest one sets the width.
import { getNiceTickValues } from 'recharts';
import { probabilityTop, type ChartRow, type YRange } from './chartData';
import { formatTick } from './chartTheme';

/** Recharts' defaults: a tick line of 6 px, 2 px between it and the label, 5 ticks on an axis. */
const TICK_SIZE = 6;
const TICK_MARGIN = 2;
const TICK_COUNT = 5;
/** Room for a font that measures a little differently on the page than on the canvas. */
const SLACK = 4;
/** The narrowest axis: recharts' own minimum look for "0" or "1". */
const MIN_WIDTH = 24;
/** The tick labels' font size (px), set on the axis in MetricChart. */
export const AXIS_FONT_SIZE = 11;

/** The smallest and largest value drawn in the rows (lines and bands), or null when there is none. */
export function valueExtent(rows: readonly ChartRow[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  const take = (v: number | null) => {
    if (v === null || !Number.isFinite(v)) return;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  };
  for (const row of rows)
    for (const key in row) {
      if (key === 'x') continue;
      const v = row[key];
      if (Array.isArray(v)) v.forEach(take);
      else take(v);
    }
  return lo <= hi ? [lo, hi] : null;
}

/** Every label the y axis may show for these rows: the nice ticks recharts picks for the domain, and
 *  the extremes themselves (a log axis, or a domain recharts widens, shows values like them). */
export function yTickLabels(rows: readonly ChartRow[], range: YRange, logY: boolean): string[] {
  const extent = valueExtent(rows);
  if (!extent) return [];
  const [lo, hi] = extent;
  const values = [lo, hi];
  if (logY) {
    const positive = (v: number) => Math.max(v, Number.MIN_VALUE);
    for (let e = Math.floor(Math.log10(positive(lo))); e <= Math.ceil(Math.log10(positive(hi))); e++) values.push(10 ** e, 2 * 10 ** e, 5 * 10 ** e);
  } else {
    const domain: [number, number] = range === 'probability' ? [0, probabilityTop(hi)] : [lo, hi];
    values.push(...getNiceTickValues(domain, TICK_COUNT, true));
  }
  return [...new Set(values.map(formatTick))];
}

/** Width in px of a label at the axis's font size, by a rough per-character rule (no canvas). */
export function estimateLabelWidth(label: string, fontSize: number): number {
  let em = 0;
  for (const ch of label) em += ch === '.' || ch === ',' ? 0.3 : ch === '-' ? 0.4 : 0.62;
  return em * fontSize;
}

let canvasContext: CanvasRenderingContext2D | null | undefined;

/** A tick label's width as the page draws it: on a canvas in the body's font (no layout needed). */
export function measureLabelWidth(label: string): number {
  if (canvasContext === undefined) {
    canvasContext = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
    if (canvasContext) canvasContext.font = `${AXIS_FONT_SIZE}px ${getComputedStyle(document.body).fontFamily}`;
  }
  const estimate = estimateLabelWidth(label, AXIS_FONT_SIZE);
  // The estimate is a floor: a canvas whose font did not resolve must not make the axis too narrow.
  return canvasContext ? Math.max(canvasContext.measureText(label).width, estimate * 0.8) : estimate;
}

/** The y axis's width for these labels: the widest label, the tick line and its margin. */
export function yAxisWidth(labels: readonly string[], measure: (label: string) => number): number {
  const widest = labels.reduce((w, label) => Math.max(w, measure(label)), 0);
  return Math.max(MIN_WIDTH, Math.ceil(widest + TICK_SIZE + TICK_MARGIN + SLACK));
}
