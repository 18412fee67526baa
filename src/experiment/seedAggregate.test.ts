import { describe, expect, it } from 'vitest';
import { seedAggregate } from './seedAggregate';

const replica = (seed: number, rewards: number[], pass1: number[]) => ({
  seed,
  steps: rewards.map((reward, step) => ({ step, reward, kl: { k3: reward / 10 } })),
  evaluations: pass1.map((p, i) => ({ afterSteps: i * 2, arms: [{ arm: 'd1', passAtK: { '1': p } }, { arm: 'd2', passAtK: { '1': p + 0.2 } }] })),
});

describe('seedAggregate', () => {
  it('gives per metric and step the mean, t-band and min–max over the seeds (hand computed)', () => {
    const agg = seedAggregate([replica(1, [0, 0.2], [0.1, 0.3]), replica(2, [0.2, 0.4], [0.3, 0.5]), replica(3, [0.4], [0.2])]);
    expect(Object.keys(agg).sort()).toEqual(['eval.pass@1', 'kl.k3', 'reward']);
    // step 0: {0, 0.2, 0.4} mean 0.2, s = 0.2, half 4.3027 · 0.2 / √3 = 0.49683; step 1: {0.2, 0.4} (seed 3 stopped).
    expect(agg.reward[0]).toMatchObject({ step: 0, n: 3, min: 0, max: 0.4 });
    expect(agg.reward[0].mean).toBeCloseTo(0.2, 12);
    expect(agg.reward[0].tHigh).toBeCloseTo(0.2 + 0.49683, 4);
    expect(agg.reward[1]).toMatchObject({ step: 1, n: 2 });
    expect(agg.reward[1].mean).toBeCloseTo(0.3, 12);
    // pass@1 is the mean over arms (d2 = d1 + 0.2): after 0 steps {0.2, 0.4, 0.3} → 0.3; after 2 steps {0.4, 0.6}.
    expect(agg['eval.pass@1'].map((p) => [p.step, p.n])).toEqual([[0, 3], [2, 2]]);
    expect(agg['eval.pass@1'][0].mean).toBeCloseTo(0.3, 12);
    expect(agg['eval.pass@1'][1].min).toBeCloseTo(0.4, 12);
  });
});
