// The explanation panel's text: the formula as configured (the clip bounds, λ±, the dual clip, the KL
// estimator and where it is placed, the aggregation's normaliser) with the token's numbers in it.
import { describe, expect, it } from 'vitest';
import type { LossSettings, SampleLossDetail } from '../../rl/metrics';
import { explainToken } from '../../rl/tokenExplanation';
import { explainView, num } from './explainLines';

const settings: LossSettings = {
  clipLow: 0.2,
  clipHigh: 0.28,
  dualClip: null,
  positiveWeight: 1,
  negativeWeight: 1,
  entropyCoef: 0,
  klCoef: 0,
  klEstimator: 'k3',
  klPlacement: 'none',
  aggregation: 'token-mean',
  ppoEpochs: 1,
  batchTokens: 40,
  batchSequences: 8,
  maxCompletionLength: 5,
};

const detail = (s: Partial<LossSettings>, logp = -0.5, old = -0.5): SampleLossDetail => ({
  settings: { ...settings, ...s },
  oldLogProbs: [old, -1],
  logProbs: [logp, -1],
  refLogProbs: [-0.4, -1],
  advantages: [-0.75, -0.75],
  entropies: [1.2, 0.9],
  losses: [0, 0],
  counted: true,
  shapedReward: 0,
});

describe('explainView', () => {
  it('one pass, token-mean, no KL: ρ = 1 is said, the clip bounds and ÷ tokens in the batch are shown', () => {
    const view = explainView(detail({}), 0);
    expect(view.notes.join(' ')).toMatch(/ρ = 1/);
    expect(view.notes.join(' ')).toMatch(/β = 0/);
    const pg = view.lines.find((l) => l.id === 'pg')!;
    expect(pg.formula).toContain('clip(ρ, 1−0.2, 1+0.28)');
    expect(pg.substituted).toBe('−min(1·(-0.75), 1·(-0.75))');
    expect(pg.result).toBeCloseTo(0.75, 12);
    const share = view.lines.find((l) => l.id === 'contribution')!;
    expect(share.formula).toContain('40 tokens in the batch');
    expect(share.result).toBeCloseTo(0.75 / 40, 12);
    expect(view.lines.map((l) => l.id)).toEqual(['pg', 'loss', 'contribution']);
  });

  it('λ−, dual clip, k3 in the loss, entropy bonus and seq-mean-token-mean all appear with their numbers', () => {
    const d = detail({ negativeWeight: 0.5, dualClip: 3, klCoef: 0.1, klPlacement: 'loss', entropyCoef: 0.01, aggregation: 'seq-mean-token-mean', ppoEpochs: 2 }, Math.log(5));
    const view = explainView(d, 0);
    const e = explainToken(d, 0);
    expect(view.region).toBe('dual');
    expect(view.inputs.find((v) => v.id === 'weighted-advantage')!.label).toContain('λ−');
    expect(view.lines.map((l) => l.id)).toEqual(['pg', 'dual', 'kl-term', 'entropy-term', 'loss', 'contribution']);
    expect(view.lines.find((l) => l.id === 'kl-term')!.formula).toBe('+ β·k3');
    expect(view.lines.find((l) => l.id === 'kl-term')!.substituted).toContain(num(e.kl));
    expect(view.lines.find((l) => l.id === 'loss')!.result).toBe(e.loss);
    expect(view.lines.find((l) => l.id === 'contribution')!.formula).toContain('8 sequences × 2 tokens in this one');
    expect(view.notes.join(' ')).toMatch(/2 update passes/);
    for (const l of view.lines) expect(Number.isFinite(l.result), l.id).toBe(true);
  });

  it('KL in the reward is said to be outside ℓ', () => {
    const view = explainView(detail({ klCoef: 0.1, klPlacement: 'reward' }), 0);
    expect(view.lines.some((l) => l.id === 'kl-term')).toBe(false);
    expect(view.notes.join(' ')).toMatch(/in the reward, not in ℓ/);
  });
});
