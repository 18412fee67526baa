// Server-side render of a self-play run's views against the real stores (Node has no DOM): its loop's
// charts with the data-testids and data-points e2e relies on (and not the RL charts), the per-arm lines
// of the held-out chart, and the Self-play section's loop select and knobs.
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { experimentSchema } from '../../experiment/schema';
import { useConfigStore } from '../../state/configStore';
import { useRunsStore, type SelfplaySeries } from '../../state/runsStore';
import SelfplaySection from '../config/SelfplaySection';
import PlotsPanel from './PlotsPanel';
import { SELFPLAY_CHARTS, selfplayChartSeries } from './selfplayCharts';

const config = experimentSchema.parse({ selfplay: { loop: 'spin', iterations: 5 } });
const spin: SelfplaySeries = {
  loop: 'spin',
  points: [
    { iteration: 0, wall: 0, metrics: { 'heldout/mean': 0.5, 'heldout/accuracy/d1': 0.9, 'heldout/accuracy/d2': 0.1 } },
    ...[1, 2].map((iteration) => ({
      iteration,
      wall: iteration * 2,
      metrics: {
        rewards_real: 0.01,
        rewards_generated: -0.02,
        margin: 0.03,
        end_margin: 0.05,
        discrimination_accuracy: 0.2,
        end_discrimination_accuracy: 0.8,
        generated_equals_real: 0.8,
        'heldout/mean': 0.55,
        'heldout/accuracy/d1': 0.95,
        'heldout/accuracy/d2': 0.15,
        seconds: 2,
      },
    })),
  ],
};

describe('self-play views (server render)', () => {
  const id = useRunsStore.getState().createRun(config);
  for (const p of spin.points) useRunsStore.getState().appendSelfplay(id, spin.loop, p.iteration, p.metrics);
  useConfigStore.setState({ config });
  // A server render reads each store's initial state: make that the populated one (test-only).
  Object.assign(useRunsStore.getInitialState(), useRunsStore.getState());
  Object.assign(useConfigStore.getInitialState(), useConfigStore.getState());

  it('draws one chart per key metric of the loop, with the active run\'s point count, and no RL charts', () => {
    const html = renderToString(createElement(PlotsPanel));
    expect(html).toContain('data-testid="selfplay-plots" data-loop="spin"');
    for (const chart of SELFPLAY_CHARTS.spin) expect(html).toContain(`data-testid="selfplay-plot-${chart.id}"`);
    expect(html).toMatch(/data-testid="selfplay-plot-rewards" data-points="2"/);
    expect(html).toMatch(/data-testid="selfplay-plot-heldout" data-points="3"/);
    expect(html).not.toContain('data-testid="plot-reward"');
  });

  it('makes a line per arm for the held-out chart', () => {
    // The store summed the iterations' `seconds` into the same wall times as the fixture's.
    expect(useRunsStore.getState().runs.find((r) => r.id === id)?.selfplay).toEqual(spin);
    const heldout = SELFPLAY_CHARTS.spin.find((c) => c.id === 'heldout')!;
    const series = selfplayChartSeries(heldout, useRunsStore.getState().runs);
    expect(series.map((s) => s.lineLabel)).toEqual(['mean', 'd1', 'd2']);
    expect(series[1].points.map((p) => [p.step, p.value])).toEqual([
      [0, 0.9],
      [1, 0.95],
      [2, 0.95],
    ]);
  });

  it('the Self-play section shows the loop, what it does, its plots and its knobs', () => {
    const html = renderToString(createElement(SelfplaySection));
    expect(html).toContain('data-testid="config-field-selfplay-loop"');
    expect(html).toContain('data-testid="selfplay-about"');
    expect(html).toContain('data-testid="selfplay-plots-about"');
    for (const knob of ['iterations', 'evalEvery', 'beta', 'loss', 'datasetSize', 'lr']) expect(html).toContain(`data-testid="config-field-selfplay-${knob}"`);
    expect(html).not.toContain('config-field-selfplay-proposals');
  });
});
