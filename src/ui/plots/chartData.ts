// Shaping series for recharts and for export. recharts wants one row per x with a column per line,
// so series are merged on x; each series is smoothed on its full data first and only then thinned,
// so thinning for drawing never changes what the smoothed curve says.
import { debiasedEma } from '../../stats/smoothing';
import type { Point, RunSeries } from './series';

/** step, training time, or samples spent (completions generated: compare curricula at equal compute). */
export type XAxisMode = 'step' | 'wall' | 'samples';

/** Points drawn per series at most: SVG with thousands of points per line re-rendered every frame is slow. */
export const MAX_DRAWN_POINTS = 400;

export interface ChartRow {
  x: number;
  /** A line's value, or a band's [low, high] (a recharts range Area). */
  [column: string]: number | null | [number, number];
}

export interface SmoothedSeries extends RunSeries {
  smoothed: number[];
  /** Column names of this series' raw and smoothed values in the chart rows. */
  rawKey: string;
  smoothKey: string;
  /** A multi-seed run's band at this smoothing, and its column (`bandKey`); null: none. */
  bandValues: { low: (number | null)[]; high: (number | null)[] } | null;
  bandKey: string;
}

export function smoothSeries(series: readonly RunSeries[], weight: number): SmoothedSeries[] {
  return series.map((s, i) => ({
    ...s,
    // A group's mean is smoothed seed by seed before aggregating (seedBands.ts), not here.
    smoothed: s.presmoothed
      ? s.presmoothed(weight)
      : debiasedEma(
          s.points.map((p) => p.value),
          weight,
        ),
    rawKey: `r${i}`,
    smoothKey: `s${i}`,
    bandValues: s.band?.(weight) ?? null,
    bandKey: `b${i}`,
  }));
}

/** Indices kept when drawing n points with at most `max`: evenly strided, always the last one. */
export function thinIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const stride = Math.ceil(n / max);
  const out: number[] = [];
  for (let i = 0; i < n; i += stride) out.push(i);
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

export function xOf(p: Point, mode: XAxisMode): number {
  return mode === 'step' ? p.step : mode === 'wall' ? p.wall : (p.samples ?? p.step);
}

/** Rows for recharts, sorted by x. On a log axis values ≤ 0 cannot be drawn and become gaps. */
export function chartRows(series: readonly SmoothedSeries[], mode: XAxisMode, logY: boolean, maxPoints = MAX_DRAWN_POINTS): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  const drawable = (v: number) => (Number.isFinite(v) && (!logY || v > 0) ? v : null);
  for (const s of series) {
    for (const i of thinIndices(s.points.length, maxPoints)) {
      const x = xOf(s.points[i], mode);
      let row = rows.get(x);
      if (!row) rows.set(x, (row = { x }));
      row[s.rawKey] = drawable(s.points[i].value);
      row[s.smoothKey] = drawable(s.smoothed[i]);
      if (s.bandValues) {
        const low = s.bandValues.low[i];
        const high = s.bandValues.high[i];
        row[s.bandKey] = low !== null && high !== null && drawable(low) !== null && drawable(high) !== null ? [low, high] : null;
      }
    }
  }
  return [...rows.values()].sort((a, b) => a.x - b.x);
}

/** Number of values a log axis has to hide (≤ 0), to say so under the chart. */
export function hiddenOnLogAxis(series: readonly RunSeries[]): number {
  let n = 0;
  for (const s of series) for (const p of s.points) if (!(p.value > 0)) n++;
  return n;
}

/** A CSV field: quoted when needed, and defused when a spreadsheet would read it as a formula. */
function csvField(v: string | number): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** All points of all series (not thinned), one row each, with the smoothed value at the current weight. */
export function seriesToCsv(series: readonly SmoothedSeries[], xName = 'step'): string {
  const lines = [['run_id', 'run', 'line', xName, 'wall_time_s', 'value', 'smoothed'].join(',')];
  for (const s of series) {
    s.points.forEach((p, i) => {
      lines.push([s.runId, s.runLabel, s.lineLabel, p.step, p.wall, p.value, s.smoothed[i]].map(csvField).join(','));
    });
  }
  return lines.join('\n') + '\n';
}

export type YRange = 'free' | 'probability';

/** A fraction's axis upper end: 1 once the data pass one half, else the next 1-2-2.5-5 step (so a clip
 *  ratio of 0.003 is not flattened against a 0..1 axis). A t-band above 1 is cut at the edge. */
export function probabilityTop(dataMax: number): number {
  if (!Number.isFinite(dataMax) || dataMax > 0.5 || dataMax <= 0) return 1;
  const scale = 10 ** Math.floor(Math.log10(dataMax));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * scale >= dataMax * (1 + 1e-9))!;
  return Math.min(1, step * scale);
}
