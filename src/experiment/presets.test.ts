import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layer } from './layer';
import { PRESETS, getPreset, isPresetId, presetConfig } from './presets';
import { defaultExperiment, experimentSchema } from './schema';
import { toBuiltinRewardSpec, toRlConfig } from './toTrainerConfig';

describe('presets', () => {
  it('have unique ids, a paragraph of expectations and a paper, and are marked verified only with a recorded run', () => {
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
    expect(PRESETS[0].id).toBe('default');
    for (const p of PRESETS) {
      expect(p.id).toMatch(/^[a-z0-9-]{1,64}$/);
      expect(p.title.length).toBeGreaterThan(3);
      expect(p.whatYouShouldSee.length).toBeGreaterThan(100);
      expect(p.paper.length).toBeGreaterThan(10);
      // Verified means a recorded run confirms the paragraph: docs/runs/<id>-<task>/ (npm run train).
      if (p.dynamicsVerified) expect(readdirSync('docs/runs').some((d) => d.startsWith(`${p.id}-`)), p.id).toBe(true);
    }
  });

  it('are partial configs that layer over the defaults into valid experiments', () => {
    for (const p of PRESETS) {
      const c = presetConfig(p.id);
      expect(experimentSchema.safeParse(c).success).toBe(true);
      expect(c.preset).toBe(p.id);
      expect(c).toEqual({ ...layer(defaultExperiment(), p.config), preset: p.id });
      expect(() => toRlConfig(c)).not.toThrow();
    }
  });

  it('change what they say they change', () => {
    expect(presetConfig('default')).toEqual({ ...defaultExperiment(), preset: 'default' });
    expect(presetConfig('clip-higher').algorithm).toMatchObject({ clipHigh: 0.28, ppoEpochs: 2, clipLow: 0.2 });
    expect(presetConfig('kl-k3-loss').algorithm).toMatchObject({ klCoef: 0.05, klEstimator: 'k3', klInReward: false });
    expect(presetConfig('negative-only').algorithm).toMatchObject({ positiveWeight: 0, negativeWeight: 1 });
    expect(presetConfig('dr-grpo').algorithm).toMatchObject({ estimator: 'dr-grpo', aggregation: 'seq-mean-token-sum-norm' });
    expect(presetConfig('rloo').algorithm.estimator).toBe('rloo');
    expect(presetConfig('positive-only').algorithm).toMatchObject({ positiveWeight: 1, negativeWeight: 0 });
    expect(presetConfig('kl-reset').algorithm).toMatchObject({ klCoef: 0.05, klEstimator: 'k3', klInReward: false, refResetEvery: 20 });
    expect(presetConfig('clip-symmetric').algorithm).toMatchObject({ clipLow: 0.2, clipHigh: 0.2, ppoEpochs: 2 });
    expect(presetConfig('curriculum-dump')).toMatchObject({ task: { id: 'addition', arms: ['d1', 'd2', 'd3', 'd4'] }, curriculum: { kind: 'dump' } });
    const hacking = presetConfig('reward-hacking');
    expect(hacking.reward).toMatchObject({ kind: 'weighted', weights: { correctness: 0, format: 1, partial: 0, lengthPenalty: -0.2 } });
    expect(toBuiltinRewardSpec(hacking)).toEqual({ kind: 'builtin', components: { correctness: 0, format: 1, partial: 0, lengthPenalty: -0.2 } });
    expect(toBuiltinRewardSpec(presetConfig('default'))).toEqual({ kind: 'builtin', components: { correctness: 1 } });
  });

  it('look up by id; an unknown id gives the plain defaults', () => {
    expect(isPresetId('rloo')).toBe(true);
    expect(isPresetId('__proto__')).toBe(false);
    expect(isPresetId(3)).toBe(false);
    expect(getPreset('nope')).toBeUndefined();
    expect(presetConfig('nope')).toEqual(defaultExperiment());
    expect(presetConfig('')).toEqual(defaultExperiment());
  });

  it('do not share state: editing one preset\'s config leaves the next call untouched', () => {
    presetConfig('clip-higher').algorithm.clipHigh = 9;
    expect(presetConfig('clip-higher').algorithm.clipHigh).toBe(0.28);
  });
});
