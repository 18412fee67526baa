// A chart's export menu: CSV of its series, and its figure (chartFigure.ts) as SVG or as PNG at 2×, in
// the dark or the light theme. The caption is read from the runs store when asked for, not on every
// frame: each run's config difference (runLabel) and the link that reproduces its experiment.
import { useState, type RefObject } from 'react';
import { encodeExperiment } from '../../experiment/urlCodec';
import { configChanges } from '../../state/runLabel';
import { useRunsStore, type RunRecord } from '../../state/runsStore';
import { buildFigure, type Figure, type FigureLineKind } from './chartFigure';
import type { FigureThemeName } from './chartTheme';
import { chartDrawing, downloadSvg, downloadBlob, figureToPng, fileStem } from './exportChart';
import type { RunSeries } from './series';

interface Props {
  id: string;
  title: string;
  xTitle: string;
  yTitle: string;
  /** The series as drawn (a multi-seed run's group already one mean line). */
  series: RunSeries[];
  lineKinds: FigureLineKind[];
  chartRef: RefObject<HTMLDivElement | null>;
  disabled: boolean;
  onCsv: () => void;
}

/** The caption: per run in the legend, "label: what its config changes" (every change, where the
 *  run's label stops at four), then its link. */
export function figureCaption(series: RunSeries[], runs: RunRecord[], address: string): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const s of series) {
    if (s.thin || seen.has(s.runId)) continue;
    seen.add(s.runId);
    const record = runs.find((r) => r.id === (s.members?.[0] ?? s.runId));
    if (!record) continue;
    const preset = record.config.preset && record.config.preset !== 'default' ? `${record.config.preset} · ` : '';
    lines.push(`${s.runLabel}: ${preset}${configChanges(record.config).join(', ') || 'defaults'}`, `${address}${encodeExperiment(record.config)}`);
  }
  return lines;
}

export function ChartExport({ id, title, xTitle, yTitle, series, lineKinds, chartRef, disabled, onCsv }: Props) {
  const [theme, setTheme] = useState<FigureThemeName>('dark');
  const [error, setError] = useState<string | null>(null);

  const figure = (): Figure => {
    if (!chartRef.current) throw new Error('The chart is not on the page.');
    const runs = series.filter((s) => !s.thin).filter((s, i, all) => all.findIndex((o) => o.runId === s.runId) === i);
    const address = `${location.origin}${location.pathname}`;
    const caption = figureCaption(series, useRunsStore.getState().runs, address);
    return buildFigure({ title, xTitle, yTitle, runs: runs.map((s) => ({ label: s.runLabel, color: s.color })), lineKinds, caption, theme }, chartDrawing(chartRef.current));
  };
  const run = async (what: () => Promise<void> | void) => {
    try {
      setError(null);
      await what();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const stem = `${fileStem(id)}-${theme}`;

  return (
    <>
      <select className="chart-theme" value={theme} onChange={(e) => setTheme(e.target.value as FigureThemeName)} aria-label={`${title}: figure theme`} title="Theme of the exported figure" data-testid="export-theme">
        <option value="dark">dark</option>
        <option value="light">light</option>
      </select>
      <button type="button" className="chart-button" onClick={onCsv} disabled={disabled} title="All runs' values of this chart as CSV">
        CSV
      </button>
      <button type="button" className="chart-button" onClick={() => void run(() => downloadSvg(figure(), `${stem}.svg`))} disabled={disabled} title="This chart as an SVG figure: title, axis titles, legend, caption" data-testid="export-svg">
        SVG
      </button>
      <button type="button" className="chart-button" onClick={() => void run(async () => downloadBlob(await figureToPng(figure(), 2), `${stem}@2x.png`))} disabled={disabled} title="This chart as a PNG figure at twice its size" data-testid="export-png">
        PNG
      </button>
      {error ? <span className="error-text" role="alert">{error}</span> : null}
    </>
  );
}
