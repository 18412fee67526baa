// The curriculum's arm probabilities over time as a stacked area (each band one arm, the stack sums to
// 1): where the sampler moves its mass. One run at a time (stacked areas of several runs would hide each
// other): the active run when it has a curriculum trace, else the last visible run that has one.
import { memo, useMemo } from 'react';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunRecord } from '../../state/runsStore';
import type { XAxisMode } from './chartData';
import { thinIndices, MAX_DRAWN_POINTS } from './chartData';
import { CHART_THEME, formatTick } from './chartTheme';
import { samplesSpent, wallTimes } from './series';

/** Fills for the arms: an ordered palette (blue through green to amber, light enough for the dark panel), since a task's arms are graded
 *  (d1 < d2 < …, len3 < len5 < …) — and not the run palette, whose colours here would read as runs. */
export const ARM_FILLS: readonly string[] = ['#5b6ee1', '#3f8fd0', '#21a5b5', '#2cb98f', '#6cc865', '#acd34a', '#e4d53e', '#fdb32f'];

interface Props {
  runs: RunRecord[];
  activeRunId: string | null;
  /** The store version: traces grow in place. */
  version: number;
  xMode: XAxisMode;
}

export function pickCurriculumRun(runs: readonly RunRecord[], activeRunId: string | null): RunRecord | undefined {
  const active = runs.find((r) => r.id === activeRunId && r.curriculum);
  return active ?? [...runs].reverse().find((r) => r.curriculum && r.curriculum.points.length > 0);
}

function ArmProbabilityChartImpl({ runs, activeRunId, version, xMode }: Props) {
  const run = pickCurriculumRun(runs, activeRunId);
  const { rows, arms, points, latest } = useMemo(() => {
    const trace = run?.curriculum;
    if (!run || !trace) return { rows: [], arms: [] as string[], points: 0, latest: [] as number[] };
    const walls = wallTimes(run.metrics);
    const spent = samplesSpent(run);
    const at = new Map(run.metrics.map((m, j) => [m.step, j]));
    const x = (step: number) => {
      const j = at.get(step);
      if (xMode === 'step') return step;
      if (j === undefined) return 0;
      return xMode === 'wall' ? walls[j] : spent[j];
    };
    const rows = thinIndices(trace.points.length, MAX_DRAWN_POINTS).map((i) => {
      const p = trace.points[i];
      const row: Record<string, number> = { x: x(p.step) };
      trace.arms.forEach((_, a) => (row[`a${a}`] = p.probability[a]));
      return row;
    });
    return { rows, arms: trace.arms, points: trace.points.length, latest: trace.points.at(-1)?.probability ?? [] };
    // `version` is the change signal: the trace is appended in place.
  }, [run, version, xMode]);

  return (
    <figure
      className="chart"
      data-testid="plot-arm_probability"
      data-points={points}
      data-arms={arms.join(',')}
      data-probabilities={latest.map((p) => p.toFixed(4)).join(',')}
    >
      <figcaption className="chart-header">
        <span className="chart-title" title="The curriculum's probability of drawing each arm for the next step's prompts (stacked: the bands add up to 1).">
          arm probability{run ? ` — ${run.curriculum?.name ?? ''} (${run.label})` : ''}
        </span>
      </figcaption>
      <div className="chart-body">
        {rows.length === 0 ? (
          <div className="chart-empty muted">No curriculum data yet.</div>
        ) : (
          <ResponsiveContainer width="100%" height={170}>
            <AreaChart data={rows} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid stroke={CHART_THEME.grid} strokeDasharray="2 4" />
              <XAxis dataKey="x" type="number" domain={['dataMin', 'dataMax']} tickFormatter={formatTick} tick={{ fill: CHART_THEME.axis, fontSize: 11 }} stroke={CHART_THEME.grid} />
              <YAxis domain={[0, 1]} tickFormatter={formatTick} tick={{ fill: CHART_THEME.axis, fontSize: 11 }} stroke={CHART_THEME.grid} width={46} />
              <Tooltip
                isAnimationActive={false}
                // Compact, at the top of the plot and see-through to the pointer: it used to cover half the panel.
                position={{ y: 0 }}
                wrapperStyle={{ fontSize: 11, pointerEvents: 'none', zIndex: 5 }}
                itemStyle={{ padding: 0 }}
                contentStyle={{ background: CHART_THEME.background, border: `1px solid ${CHART_THEME.grid}`, padding: '2px 6px', opacity: 0.92 }}
                formatter={(v, name) => [typeof v === 'number' ? v.toFixed(3) : String(v), arms[Number(String(name).slice(1))] ?? String(name)]}
                labelFormatter={(x) => `${xMode === 'step' ? 'step' : xMode === 'samples' ? 'samples' : 'time'} ${formatTick(Number(x))}`}
              />
              {arms.map((arm, a) => (
                <Area key={arm} dataKey={`a${a}`} name={`a${a}`} stackId="p" type="stepAfter" stroke={ARM_FILLS[a % ARM_FILLS.length]} fill={ARM_FILLS[a % ARM_FILLS.length]} fillOpacity={0.55} isAnimationActive={false} />
              ))}
            </AreaChart>
          </ResponsiveContainer>
        )}
      </div>
      {arms.length > 0 ? (
        <div className="chart-legend">
          {arms.map((arm, a) => (
            <span key={arm} className="chart-legend-item">
              <span className="swatch" style={{ background: ARM_FILLS[a % ARM_FILLS.length] }} />
              {arm} {latest[a] !== undefined ? latest[a].toFixed(2) : ''}
            </span>
          ))}
        </div>
      ) : null}
    </figure>
  );
}

export const ArmProbabilityChart = memo(ArmProbabilityChartImpl);
