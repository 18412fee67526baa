// The chart colours as literals, matching app.css's variables: SVG exported as PNG is drawn outside
// the page, where CSS variables do not resolve.
export const CHART_THEME = {
  background: '#1a1f27', // --panel
  grid: '#2a313d', // --panel-border
  axis: '#8e98a8', // --muted
  text: '#e3e7ee', // --text
  /** Opacity of the raw series under its smoothed curve (TensorBoard draws it faint). */
  rawOpacity: 0.25,
  /** Fill opacity of a multi-seed run's band under its mean line. */
  bandOpacity: 0.2,
  /** Opacity of a multi-seed run's thin per-seed lines. */
  seedOpacity: 0.55,
} as const;

/** The colours a figure is exported in (chartFigure.ts): the page's dark theme, or a light one for
 *  slides and paper. Run colours stay as they are; these are the chart's furniture. */
export const FIGURE_THEMES = {
  dark: { background: CHART_THEME.background, grid: CHART_THEME.grid, axis: CHART_THEME.axis, text: CHART_THEME.text },
  light: { background: '#ffffff', grid: '#d0d7de', axis: '#57606a', text: '#1f2328' },
} as const;

export type FigureThemeName = keyof typeof FIGURE_THEMES;

/** Compact numbers for ticks and tooltips: 0.0012 → 1.2e-3, 1234 → 1.23k, 0.456 → 0.456. */
export function formatTick(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs === 0) return '0';
  if (abs < 1e-3) {
    const [m, e] = v.toExponential(1).split('e');
    return `${Number(m)}e${Number(e)}`;
  }
  if (abs >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (abs >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  return String(Number(v.toPrecision(3)));
}

export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}
