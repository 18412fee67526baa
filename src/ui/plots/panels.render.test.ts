// Server-side render smoke test of the panels against the real store (Node has no DOM): the
// data-testids and data-points e2e relies on, the clip-ratio note, and the runs / samples content.
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { defaultCurriculum, defaultExperiment } from '../../experiment/schema';
import type { CurriculumState } from '../../curriculum/curriculum';
import type { StepMetrics } from '../../rl/metrics';
import { useRunsStore } from '../../state/runsStore';
import { SampleInspector } from '../inspector/SampleInspector';
import { RunsPanel } from '../runs/RunsPanel';
import PlotsPanel from './PlotsPanel';

function metricsAt(step: number): StepMetrics {
  return {
    step,
    reward: 0.1 * step,
    reward_std: 0.2,
    rewards: { correctness: 0.1 * step },
    frac_reward_zero_std: 0.5,
    entropy: 1.5,
    kl: { k1: 0.01, k2: 0.001, k3: 0.001 },
    clip_ratio: { low_mean: 0, high_mean: 0, region_mean: 0 },
    loss: 0.1,
    grad_norm: 0.7,
    learning_rate: 1e-3,
    completions: { mean_length: 3, min_length: 2, max_length: 4, clipped_ratio: 0 },
    num_tokens: 24,
    step_time: 0.2,
    tokens_per_second: 120,
    arms: { d2: { samples: 8, reward: 0.5, meanAbsAdvantage: 0.4 } },
  };
}

function createCurriculumState(step: number, p: number[]): CurriculumState {
  return {
    kind: 'sec',
    name: 'SEC',
    step: step + 1,
    scoreLabel: 'Q',
    window: 300,
    arms: ['d1', 'd2'].map((id, i) => ({ id, level: i + 1, probability: p[i], score: 0.1 * i, meanAbsAdvantage: 0.3, accuracy: 0.5, samples: 8 * step, chosen: 4 * step })),
  };
}

describe('panels (server render)', () => {
  const store = useRunsStore.getState();
  const plain = defaultExperiment();
  const id = store.createRun({ ...plain, curriculum: defaultCurriculum('sec') });
  const curriculumAt = (step: number) =>
    createCurriculumState(step, [0.5 + 0.05 * step, 0.5 - 0.05 * step]);
  for (let s = 0; s < 5; s++) store.appendMetrics(id, { ...metricsAt(s), samples_spent: 128 * (s + 1) }, curriculumAt(s));
  store.appendEvaluation(id, 0, [{ task: 'addition', arm: 'd2', prompts: 4, samplesPerPrompt: 4, passAtK: { '1': 0.2, '2': 0.3, '4': 0.4 }, meanAtN: 0.2, greedyAccuracy: null }]);
  store.setSamples(id, [
    { prompt: '12+3=', completion: '15', answer: '15', arm: 'd2', reward: 1, components: { correctness: 1 }, advantage: 0.5, tokens: [7, 11, 2], logProbs: [-0.1, -0.2, -0.01], entropies: [0.3, 0.2, 0.1] },
  ]);
  // A server render reads zustand's server snapshot, which is the store's initial state: make that
  // the populated state (test-only; the browser reads the live state).
  Object.assign(useRunsStore.getInitialState(), useRunsStore.getState());

  it('renders one chart per metric with the active run\'s point count', () => {
    const html = renderToString(createElement(PlotsPanel));
    for (const metric of ['reward', 'pass_at_k', 'pass_at_k_curve', 'entropy', 'kl', 'completion_length', 'clip_ratio', 'grad_norm', 'frac_reward_zero_std', 'arm_accuracy', 'loss']) {
      expect(html).toContain(`data-testid="plot-${metric}"`);
    }
    expect(html).toMatch(/data-testid="plot-reward" data-points="5"/);
    expect(html).toMatch(/data-testid="plot-pass_at_k" data-points="1"/);
    expect(html).toMatch(/data-testid="plot-pass_at_k_curve" data-points="3"/);
    expect(html).toContain('nothing can clip — raise PPO epochs');
    // The curriculum views: per-arm probability (stacked), score, |A|, window accuracy, frac filtered.
    expect(html).toMatch(/data-testid="plot-arm_probability" data-points="5" data-arms="d1,d2" data-probabilities="0.7000,0.3000"/);
    expect(html).toMatch(/data-testid="plot-arm_score" data-points="5"/);
    expect(html).toMatch(/data-testid="plot-arm_abs_advantage" data-points="5"/);
    expect(html).toMatch(/data-testid="plot-arm_window_accuracy" data-points="5"/);
    expect(html).toMatch(/data-testid="plot-frac_filtered" data-points="0"/);
    expect(html).toContain('arm score (Q)');
    expect(html).toContain('Difficulty filtering is off');
  });

  it('leaves the curriculum charts out for a plain (uniform, unfiltered) run', () => {
    const run = useRunsStore.getInitialState().runs[0];
    const config = run.config;
    run.config = defaultExperiment();
    try {
      const html = renderToString(createElement(PlotsPanel));
      expect(html).toContain('data-testid="plot-reward"');
      for (const hidden of ['curriculum-plots', 'plot-arm_probability', 'plot-arm_score', 'plot-frac_filtered']) expect(html).not.toContain(`data-testid="${hidden}"`);
    } finally {
      run.config = config;
    }
  });

  it('lists the run with its status and steps', () => {
    const html = renderToString(createElement(RunsPanel));
    expect(html).toContain('data-testid="run-row"');
    expect(html).toContain('data-testid="run-toggle"');
    expect(html).toContain('data-testid="run-delete"');
    expect(html).toContain('5<!-- --> steps');
  });

  it('shows the latest samples as token chips', () => {
    const html = renderToString(createElement(SampleInspector));
    expect(html).toContain('data-testid="sample-inspector"');
    expect(html).toContain('data-testid="inspector-mode"');
    expect(html).toContain('12+3=');
    expect(html).toContain('token-chip');
    expect(html).toContain('aria-label="correct"');
  });
});
