// The plots of a self-play run: one chart per key metric of its loop (selfplayCharts.ts), x = loop
// iterations (generations for self-consuming), every visible run of the same loop overlaid in its
// colour. Redrawn when the runs store's `version` moves (at most once per animation frame).
import { useMemo } from 'react';
import { SELFPLAY_REGISTRY } from '../../selfplay/registry';
import type { RunRecord } from '../../state/runsStore';
import type { XAxisMode } from './chartData';
import { MetricChart } from './MetricChart';
import { SELFPLAY_CHARTS, runLoop, selfplayChartSeries, type SelfplayLoopId } from './selfplayCharts';

export function SelfplayPlots({ loop, runs, version, activeRunId, xMode, smoothing }: { loop: SelfplayLoopId; runs: RunRecord[]; version: number; activeRunId: string | null; xMode: XAxisMode; smoothing: number }) {
  const charts = SELFPLAY_CHARTS[loop];
  const series = useMemo(() => {
    const same = runs.filter((r) => runLoop(r) === loop);
    return charts.map((chart) => selfplayChartSeries(chart, same));
    // `version` is the change signal: the series are appended in place.
  }, [charts, runs, version, loop]);
  const x = loop === 'self-consuming' ? 'generation' : 'iteration';
  return (
    <div data-testid="selfplay-plots" data-loop={loop}>
      <h3 className="plots-subheading">Self-play: {SELFPLAY_REGISTRY[loop].label}</h3>
      <p className="muted small">x: {xMode === 'step' || xMode === 'samples' ? `${x}s done (0 = the starting policy)` : 'loop time'}.</p>
      <div className="plots-grid">
        {charts.map((chart, i) => (
          <MetricChart
            key={`${loop}-${chart.id}`}
            id={`selfplay-${chart.id}`}
            testId={`selfplay-plot-${chart.id}`}
            title={chart.title}
            about={chart.about}
            series={series[i]}
            xMode={xMode === 'samples' ? 'step' : xMode}
            xLabel={xMode === 'wall' ? undefined : x}
            smoothing={smoothing}
            activeRunId={activeRunId}
          />
        ))}
      </div>
    </div>
  );
}
