import { describe, expect, it } from 'vitest';
import { layer } from './layer';
import { PRESETS, getPreset, isPresetId, presetConfig } from './presets';
import { defaultExperiment, experimentSchema } from './schema';
import { toRlConfig } from './toTrainerConfig';

describe('presets', () => {
  it('have unique ids, a paragraph of expectations and a paper, and are marked unverified for now', () => {
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
    expect(PRESETS[0].id).toBe('default');
    for (const p of PRESETS) {
      expect(p.id).toMatch(/^[a-z0-9-]{1,64}$/);
      expect(p.title.length).toBeGreaterThan(3);
      expect(p.whatYouShouldSee.length).toBeGreaterThan(100);
      expect(p.paper.length).toBeGreaterThan(10);
      expect(p.dynamicsVerified).toBe(false);
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
