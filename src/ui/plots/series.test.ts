import { describe, expect, it } from 'vitest';
import { defaultExperiment } from '../../experiment/schema';
import type { ArmEvaluation } from '../../rl/evaluate';
import type { StepMetrics } from '../../rl/metrics';
import type { RunRecord } from '../../state/runsStore';
import { chartRows, hiddenOnLogAxis, seriesToCsv, smoothSeries, thinIndices } from './chartData';
import { KL } from './metricDefs';
import { armLines, armsOf, curriculumSeries, largestK, meanPassAtK, metricSeries, passAtKCurve, passAtKSeries, pickEvaluation, wallTimes } from './series';

function m(step: number, extra: Partial<StepMetrics> = {}): StepMetrics {
  return {
    step,
    reward: step,
    reward_std: 0,
    rewards: {},
    frac_reward_zero_std: 0,
    entropy: 1,
    kl: { k1: step, k2: 2 * step, k3: 3 * step },
    clip_ratio: { low_mean: 0, high_mean: 0, region_mean: 0 },
    loss: 0,
    grad_norm: 1,
    learning_rate: 1e-3,
    completions: { mean_length: 3, min_length: 2, max_length: 4, clipped_ratio: 0 },
    num_tokens: 24,
    step_time: 0.5,
    tokens_per_second: 48,
    arms: {},
    ...extra,
  };
}

function evalOf(arm: string, passAtK: Record<string, number>): ArmEvaluation {
  return { task: 'addition', arm, prompts: 4, samplesPerPrompt: 4, passAtK, meanAtN: passAtK['1'], greedyAccuracy: null };
}

function run(metrics: StepMetrics[], evaluations: RunRecord['evaluations'] = []): RunRecord {
  return { id: 'r1', label: 'defaults', color: '#fff', config: defaultExperiment(), createdAt: 0, visible: true, status: 'running', error: null, metrics, evaluations, samples: [], curriculum: null, selfplay: null };
}

describe('series extraction', () => {
  it('accumulates wall time from step times', () => {
    expect(wallTimes([m(0), m(1), m(2, { step_time: 1 })])).toEqual([0.5, 1, 2]);
  });

  it('gives one series per line with the run colour and distinct dashes', () => {
    const series = metricSeries(run([m(0), m(1)]), KL.lines);
    expect(series.map((s) => s.line)).toEqual(['k1', 'k2', 'k3']);
    expect(series[2].points).toEqual([
      // Records without samples_spent: B × G = 16 × 8 completions per step (the defaults).
      { step: 0, wall: 0.5, samples: 128, value: 0 },
      { step: 1, wall: 1, samples: 256, value: 3 },
    ]);
    expect(new Set(series.map((s) => s.dash)).size).toBe(3);
    expect(series.every((s) => s.color === '#fff' && s.runId === 'r1')).toBe(true);
  });

  it('gives per-arm accuracy only at steps whose batch drew the arm', () => {
    const arms = (a: Record<string, number>) => Object.fromEntries(Object.entries(a).map(([k, reward]) => [k, { samples: 4, reward, meanAbsAdvantage: 0 }]));
    const r = run([m(0, { arms: arms({ b: 0.5, a: 0.25 }) }), m(1, { arms: arms({ a: 0.75 }) })]);
    expect(armsOf([r])).toEqual(['a', 'b']);
    const [a, b] = metricSeries(r, armLines(armsOf([r])));
    expect(a.points.map((p) => p.value)).toEqual([0.25, 0.75]);
    expect(b.points.map((p) => [p.step, p.value])).toEqual([[0, 0.5]]);
  });

  it('averages pass@k over arms and finds the largest k', () => {
    const results = [evalOf('a', { '1': 0.2, '2': 0.3, '4': 0.5 }), evalOf('b', { '1': 0.4, '2': 0.5 })];
    expect(meanPassAtK(results, 1)).toBeCloseTo(0.3);
    expect(meanPassAtK(results, 4)).toBeCloseTo(0.5); // only arm a reports k = 4
    expect(meanPassAtK(results, 8)).toBeUndefined();
    expect(passAtKCurve(results).map((p) => p.k)).toEqual([1, 2, 4]);
    expect(largestK([run([], [{ step: 0, results }])])).toBe(4);
    expect(largestK([run([])])).toBe(1);
  });

  it('takes samples spent from the metrics (over-sampling included) and gives per-arm curriculum series', () => {
    const r = run([m(0, { samples_spent: 96 }), m(1, { samples_spent: 200 })]);
    r.curriculum = {
      kind: 'sec',
      name: 'SEC',
      scoreLabel: 'Q',
      arms: ['a', 'b'],
      points: [
        { step: 0, probability: [0.5, 0.5], score: [0.1, 0], meanAbsAdvantage: [0.4, null], accuracy: [0.5, null] },
        { step: 1, probability: [0.6, 0.4], score: [0.2, 0.05], meanAbsAdvantage: [0.3, 0.2], accuracy: [0.6, 0] },
      ],
      latest: { kind: 'sec', name: 'SEC', step: 2, scoreLabel: 'Q', window: 300, arms: [] },
    };
    const [a, b] = curriculumSeries(r, 'meanAbsAdvantage');
    expect(a.points).toEqual([
      { step: 0, wall: 0.5, samples: 96, value: 0.4 },
      { step: 1, wall: 1, samples: 200, value: 0.3 },
    ]);
    expect(b.points).toEqual([{ step: 1, wall: 1, samples: 200, value: 0.2 }]); // null: a gap
    expect([a.line, b.line]).toEqual(['arm:a', 'arm:b']);
    expect(a.dash).not.toBe(b.dash);
    expect(curriculumSeries(run([m(0)]), 'score')).toEqual([]);
  });

  it('puts evaluations at their step and at the wall time of the steps before them', () => {
    const r = run([m(0), m(1), m(2)], [
      { step: 0, results: [evalOf('a', { '1': 0.1, '4': 0.4 })] },
      { step: 2, results: [evalOf('a', { '1': 0.3, '4': 0.6 })] },
    ]);
    const [p1, p4] = passAtKSeries(r, [1, 4]);
    expect(p1.points).toEqual([
      { step: 0, wall: 0, samples: 0, value: 0.1 },
      { step: 2, wall: 1, samples: 256, value: 0.3 },
    ]);
    expect(p4.line).toBe('pass@4');
    expect(pickEvaluation(r, 'first')?.step).toBe(0);
    expect(pickEvaluation(r, 'latest')?.step).toBe(2);
    expect(pickEvaluation(r, 1)?.step).toBe(0);
    expect(pickEvaluation(run([]), 'latest')).toBeUndefined();
  });
});

describe('chart data', () => {
  it('thins evenly and keeps the last point', () => {
    expect(thinIndices(5, 10)).toEqual([0, 1, 2, 3, 4]);
    expect(thinIndices(10, 4)).toEqual([0, 3, 6, 9]);
    expect(thinIndices(11, 4)).toEqual([0, 3, 6, 9, 10]);
  });

  it('merges series on x with raw and smoothed columns, gaps for ≤ 0 on a log axis', () => {
    const r = run([m(0), m(1), m(2)]);
    const series = smoothSeries(metricSeries(r, KL.lines.slice(0, 1)), 0.5);
    expect(series[0].smoothed[2]).toBeCloseTo(((0 * 0.5 + 0.5 * 1) * 0.5 + 0.5 * 2) / 0.875);
    const rows = chartRows(series, 'step', false);
    expect(rows.map((row) => row.x)).toEqual([0, 1, 2]);
    expect(rows[1]).toMatchObject({ r0: 1, s0: series[0].smoothed[1] });
    const logRows = chartRows(series, 'wall', true);
    expect(logRows[0]).toMatchObject({ x: 0.5, r0: null });
    expect(hiddenOnLogAxis(series)).toBe(1);
  });

  it('exports every point of every series as CSV, defusing formula-like labels', () => {
    const r = { ...run([m(0), m(1)]), label: '=lr=3e-3, "x"' };
    const csv = seriesToCsv(smoothSeries(metricSeries(r, KL.lines.slice(0, 1)), 0));
    expect(csv.split('\n')).toEqual(['run_id,run,line,step,wall_time_s,value,smoothed', `r1,"'=lr=3e-3, ""x""",k1,0,0.5,0,0`, `r1,"'=lr=3e-3, ""x""",k1,1,1,1,1`, '']);
  });
});
