// One chart: every visible run's series of one metric, smoothed (raw drawn faint underneath), with
// its own log-y toggle and CSV/PNG export. Series come in already extracted (memoised by the store
// version in PlotsPanel); this component only shapes and draws them.
import { memo, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { ChartExport } from './ChartExport';
import { Area, CartesianGrid, ComposedChart, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { chartRows, hiddenOnLogAxis, probabilityTop, seriesToCsv, smoothSeries, type ChartRow, type SmoothedSeries, type XAxisMode, type YRange } from './chartData';
import { CHART_THEME, formatTick, formatValue } from './chartTheme';
import { downloadCsv, fileStem } from './exportChart';
import { METRIC_GLOSSARY } from './metricGlossary';
import type { RunSeries } from './series';
import { useStaggeredValue } from './staggeredRedraw';
import { AXIS_FONT_SIZE, measureLabelWidth, yAxisWidth, yTickLabels } from './yAxisWidth';

export interface MetricChartProps {
  id: string;
  title: string;
  about: string;
  series: RunSeries[];
  xMode: XAxisMode;
  /** Label of the x axis when it is not step / wall time (the pass@k curve's k). */
  xLabel?: string;
  smoothing: number;
  activeRunId: string | null;
  /** Explains an empty or surprising chart (e.g. clip ratios that cannot be non-zero). */
  note?: ReactNode;
  /** Extra controls in the header (e.g. which evaluations the pass@k curve shows). */
  controls?: ReactNode;
  /** x values to tick at, and a log x axis (pass@k over k = 1, 2, 4 …). */
  xTicks?: number[];
  logX?: boolean;
  /** The figure's data-testid (default `plot-<id>`). */
  testId?: string;
  /** The y axis's title in an exported figure (default: the chart's title). */
  yTitle?: string;
  /** 'probability': a value in [0, 1] (pass@k, a fraction): the axis starts at 0 and ends at 1 at most. */
  range?: YRange;
}

const PROBABILITY_DOMAIN: [number, (dataMax: number) => number] = [0, probabilityTop];

// Every prop handed to recharts below is a constant or a memoised value. Recharts (v3) keeps each
// axis's and line's settings in a store of its own and compares props shallowly: a new object (an
// inline `tick={{…}}`, a new formatter function) replaces the settings, which re-runs every selector of
// the chart. With stable props a new step changes only the data: its redraw is a fraction of the cost.
const CHART_MARGIN = { top: 6, right: 12, bottom: 0, left: 4 };
const AXIS_TICK = { fill: CHART_THEME.axis, fontSize: AXIS_FONT_SIZE };
const AUTO_DOMAIN: [string, string] = ['auto', 'auto'];
const X_DOMAIN: [string, string] = ['dataMin', 'dataMax'];
const FIRST_POINTS_DOT = { r: 2 };
const plainTick = (v: number) => formatTick(v);
const wallTick = (v: number) => (v >= 120 ? `${Number((v / 60).toPrecision(3))}m` : `${Number(v.toPrecision(3))}s`);

function xTickFormatter(mode: XAxisMode, xLabel: string | undefined) {
  return xLabel || mode !== 'wall' ? plainTick : wallTick;
}

/** The x axis's title in an exported figure. */
function xAxisTitle(mode: XAxisMode, xLabel: string | undefined): string {
  if (xLabel) return xLabel;
  return mode === 'wall' ? 'training time' : mode === 'samples' ? 'samples spent' : 'step';
}

interface ChartTooltipProps {
  active?: boolean;
  payload?: ReadonlyArray<{ payload?: unknown }>;
  series: SmoothedSeries[];
  xName: string;
  showRaw: boolean;
}

/** A row's value in a line column (band columns hold [low, high] and are read by `bandAt`). */
const valueAt = (row: ChartRow, key: string): number | null => {
  const v = row[key];
  return typeof v === 'number' ? v : null;
};
const bandAt = (row: ChartRow, key: string): [number, number] | null => {
  const v = row[key];
  return Array.isArray(v) ? v : null;
};

function ChartTooltip({ active, payload, series, xName, showRaw }: ChartTooltipProps) {
  if (!active || !payload || payload.length === 0) return null;
  const row = payload[0].payload as ChartRow | undefined;
  if (!row) return null;
  // A group's thin per-seed lines stay out of the tooltip: its mean and band say it in one row.
  const present = series.filter((s) => !s.thin && valueAt(row, s.rawKey) !== null);
  if (present.length === 0) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-x">
        {xName} {formatValue(row.x)}
      </div>
      <table>
        <tbody>
          {present.map((s) => (
            <tr key={s.smoothKey}>
              <td>
                <span className="swatch" style={{ background: s.color }} />
                {s.runLabel}
                {series.some((o) => o.runId === s.runId && o !== s) ? <span className="muted"> · {s.lineLabel}</span> : null}
              </td>
              <td className="num">{formatValue(valueAt(row, s.smoothKey))}</td>
              {bandAt(row, s.bandKey) ? <td className="num muted">[{formatValue(bandAt(row, s.bandKey)![0])}, {formatValue(bandAt(row, s.bandKey)![1])}]</td> : null}
              {showRaw ? <td className="num muted">raw {formatValue(valueAt(row, s.rawKey))}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MetricChartImpl({ id, title, about, series, xMode, xLabel, smoothing, activeRunId, note, controls, xTicks, logX, testId, yTitle, range = 'free' }: MetricChartProps) {
  const [logY, setLogY] = useState(false);
  const [glossaryOpen, setGlossaryOpen] = useState(false);
  const glossaryId = useId();
  const entry = METRIC_GLOSSARY[id];
  const chartRef = useRef<HTMLDivElement>(null);
  const smoothed = useMemo(() => smoothSeries(series, smoothing), [series, smoothing]);
  const rows = useMemo(() => chartRows(smoothed, xMode, logY), [smoothed, xMode, logY]);
  const hidden = useMemo(() => (logY ? hiddenOnLogAxis(series) : 0), [series, logY]);
  // e2e waits on this: how many points the active run has in this chart (its longest line).
  const activePoints = series.filter((s) => !s.thin && (s.runId === activeRunId || (activeRunId !== null && s.members?.includes(activeRunId)))).reduce((n, s) => Math.max(n, s.points.length), 0);
  const xName = xLabel ?? (xMode === 'step' ? 'step' : xMode === 'samples' ? 'samples' : 'time');
  // The sub-lines of a chart (k1/k2/k3, arms …) are told apart by dash; runs by colour (RunsPanel).
  const lineKinds = useMemo(() => {
    const seen = new Map<string, { label: string; dash: string }>();
    for (const s of series) if (!seen.has(s.line)) seen.set(s.line, { label: s.lineLabel, dash: s.dash });
    return [...seen.values()];
  }, [series]);

  // What the chart draws lags its inputs by a few tasks at most: charts redraw one per task (staggeredRedraw.ts).
  const yWidth = useMemo(() => yAxisWidth(yTickLabels(rows, range, logY), measureLabelWidth), [rows, range, logY]);
  const view = useMemo(() => ({ smoothed, rows, smoothing, logY, logX, xTicks, xMode, xLabel, xName, range, yWidth }), [smoothed, rows, smoothing, logY, logX, xTicks, xMode, xLabel, xName, range, yWidth]);
  const drawn = useStaggeredValue(view);
  // A multi-seed run's band is a range Area, which needs a ComposedChart; charts without one keep the
  // LineChart they always had.
  const Chart = drawn.smoothed.some((s) => s.bandValues) ? ComposedChart : LineChart;
  const chart = useMemo(
    () =>
      drawn.rows.length === 0 ? null : (
        <Chart data={drawn.rows} margin={CHART_MARGIN}>
          <CartesianGrid stroke={CHART_THEME.grid} strokeDasharray="2 4" />
          <XAxis
            dataKey="x"
            type="number"
            domain={X_DOMAIN}
            scale={drawn.logX ? 'log' : 'linear'}
            ticks={drawn.xTicks}
            tickFormatter={xTickFormatter(drawn.xMode, drawn.xLabel)}
            tick={AXIS_TICK}
            stroke={CHART_THEME.grid}
          />
          {/* The width fits the widest tick label, so "-0.0123" keeps its minus sign (a fixed 46 px cut it
              off; the 4 px left margin keeps antialiasing off the edge), worked out before drawing
              (yAxisWidth.ts), not measured after it. A probability's axis is 0 to at most 1 (never 1.05). */}
          <YAxis
            scale={drawn.logY ? 'log' : 'linear'}
            domain={drawn.range === 'probability' && !drawn.logY ? PROBABILITY_DOMAIN : AUTO_DOMAIN}
            allowDataOverflow={drawn.logY || drawn.range === 'probability'}
            tickFormatter={formatTick}
            tick={AXIS_TICK}
            stroke={CHART_THEME.grid}
            width={drawn.yWidth}
          />
          <Tooltip content={(props) => <ChartTooltip active={props.active} payload={props.payload} series={drawn.smoothed} xName={drawn.xName} showRaw={drawn.smoothing > 0} />} isAnimationActive={false} />
          {drawn.smoothed.map((s) =>
            s.bandValues ? (
              <Area key={s.bandKey} dataKey={s.bandKey} className="seed-band" fill={s.color} fillOpacity={CHART_THEME.bandOpacity} stroke="none" activeDot={false} isAnimationActive={false} connectNulls legendType="none" />
            ) : null,
          )}
          {/* The faint raw line from a series' second point on: at one point it is the smoothed point, and
              each line is a share of the redraw's cost (the first step's redraw of every chart). */}
          {drawn.smoothing > 0
            ? drawn.smoothed.filter((s) => !s.thin && s.points.length > 1).map((s) => (
                <Line key={s.rawKey} dataKey={s.rawKey} stroke={s.color} strokeOpacity={CHART_THEME.rawOpacity} strokeDasharray={s.dash} strokeWidth={1} dot={false} activeDot={false} isAnimationActive={false} connectNulls />
              ))
            : null}
          {drawn.smoothed.map((s) =>
            s.thin ? (
              <Line key={s.smoothKey} dataKey={s.smoothKey} className="seed-line" stroke={s.color} strokeOpacity={CHART_THEME.seedOpacity} strokeDasharray={s.dash} strokeWidth={0.8} dot={false} activeDot={false} isAnimationActive={false} connectNulls />
            ) : (
              <Line key={s.smoothKey} dataKey={s.smoothKey} stroke={s.color} strokeDasharray={s.dash} strokeWidth={1.6} dot={s.points.length < 3 ? FIRST_POINTS_DOT : false} isAnimationActive={false} connectNulls />
            ),
          )}
        </Chart>
      ),
    [drawn, Chart],
  );

  return (
    <figure className="chart" data-testid={testId ?? `plot-${id}`} data-points={activePoints}>
      <figcaption className="chart-header">
        {/* The title opens the metric's glossary entry in place: a button, so Tab and Enter reach it. */}
        <button type="button" className="chart-title" title={about} aria-expanded={glossaryOpen} aria-controls={glossaryId} onClick={() => setGlossaryOpen((o) => !o)} onKeyDown={(e) => e.key === 'Escape' && setGlossaryOpen(false)} data-testid="chart-title">
          {title}
        </button>
        <span className="chart-actions">
          {controls}
          <label className="chart-toggle" title="Logarithmic y axis (values ≤ 0 are not drawn)">
            <input type="checkbox" checked={logY} onChange={(e) => setLogY(e.target.checked)} /> log
          </label>
          <ChartExport
            id={id}
            title={title}
            xTitle={xAxisTitle(xMode, xLabel)}
            yTitle={yTitle ?? title}
            series={series}
            lineKinds={lineKinds}
            chartRef={chartRef}
            disabled={rows.length === 0}
            onCsv={() => downloadCsv(seriesToCsv(smoothed, xLabel ?? 'step'), `${fileStem(id)}.csv`)}
          />
        </span>
      </figcaption>
      {glossaryOpen ? (
        <div id={glossaryId} className="chart-glossary" role="region" aria-label={`${title}: glossary`} data-testid="chart-glossary">
          {entry ? (
            <>
              <p>
                <strong>{entry.term}</strong>: {entry.meaning}
              </p>
              <p>
                <code>{entry.formula}</code>
              </p>
              <p className="muted">Definition: {entry.source}.</p>
            </>
          ) : (
            <p>{about}</p>
          )}
        </div>
      ) : null}
      <div className="chart-body" ref={chartRef}>
        {/* Mounted before the first data, so its size is known by then: the first draw is one render in
            its own task, not a second, batched one after the container has measured itself. */}
        <ResponsiveContainer width="100%" height={170}>
          {chart ?? <div />}
        </ResponsiveContainer>
        {/* Over the container, not in it: the container hands its child a measured width, and before the
            first measure that squeezed this text to one word a line. */}
        {chart === null && <div className="chart-empty chart-empty-overlay muted">No data yet.</div>}
      </div>
      {lineKinds.length > 1 ? (
        <div className="chart-legend">
          {lineKinds.map((k) => (
            <span key={k.label} className="chart-legend-item">
              <svg width="22" height="6" aria-hidden="true">
                <line x1="0" y1="3" x2="22" y2="3" stroke={CHART_THEME.text} strokeWidth="1.6" strokeDasharray={k.dash} />
              </svg>
              {k.label}
            </span>
          ))}
        </div>
      ) : null}
      {hidden > 0 ? <p className="chart-note muted">{hidden} values ≤ 0 are not drawn on the log axis.</p> : null}
      {note ? <p className="chart-note">{note}</p> : null}
    </figure>
  );
}

export const MetricChart = memo(MetricChartImpl);
