import { describe, expect, it } from 'vitest';
import { layer } from '../experiment/layer';
import { presetConfig } from '../experiment/presets';
import { defaultExperiment, experimentSchema, type ExperimentConfig } from '../experiment/schema';
import { configChanges, configDifferences, formatValue, runLabel } from './runLabel';

function withAlgorithm(a: Partial<ExperimentConfig['algorithm']>, preset = ''): ExperimentConfig {
  const base = preset ? presetConfig(preset) : defaultExperiment();
  return experimentSchema.parse(layer(base, { algorithm: a }));
}

describe('formatValue', () => {
  it('writes small and large numbers in short exponent form, others with 3 significant digits', () => {
    expect(formatValue(0.003)).toBe('3e-3');
    expect(formatValue(0.00012345)).toBe('1.23e-4');
    expect(formatValue(0.05)).toBe('0.05');
    expect(formatValue(1.23456)).toBe('1.23');
    expect(formatValue(300)).toBe('300');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(true)).toBe('on');
    expect(formatValue(null)).toBe('off');
    expect(formatValue(['a', 'b'])).toBe('a+b');
  });
});

describe('runLabel', () => {
  it('says "defaults" for the plain defaults', () => {
    expect(runLabel(defaultExperiment())).toBe('defaults');
  });

  it('names learning rate and KL coefficient changes', () => {
    expect(runLabel(withAlgorithm({ lr: 3e-3, klCoef: 0.05 }))).toBe('KL β=0.05, lr=3e-3') // config order;
  });

  it('shows both sample weights when one changes', () => {
    expect(runLabel(withAlgorithm({ positiveWeight: 0 }))).toBe('λ−=1, λ+=0');
  });

  it('leads with the preset and lists only what differs from it', () => {
    expect(runLabel(presetConfig('negative-only'))).toBe('negative-only');
    expect(runLabel(withAlgorithm({ lr: 0.01 }, 'kl-k3-loss'))).toBe('kl-k3-loss · lr=0.01');
    // The default preset is the defaults: no prefix.
    expect(runLabel(presetConfig('default'))).toBe('defaults');
  });

  it('names the seed, task and a custom reward, never the reward code', () => {
    const c = experimentSchema.parse({ seed: 7, reward: { kind: 'code', code: 'function reward() { return 1 }' } });
    expect(configChanges(c)).toEqual(['seed=7', 'custom reward']);
  });

  it('counts changes beyond the first few', () => {
    const c = withAlgorithm({ lr: 0.01, temperature: 0.7, samplesPerPrompt: 4, ppoEpochs: 2, topK: 5, entropyCoef: 0.01 });
    expect(runLabel(c)).toMatch(/ \+2 more$/);
    expect(runLabel(c).split(', ')).toHaveLength(4);
  });

  it('sets several configs apart by every path where any two differ (a card\'s arms)', () => {
    const arms = ['negative-only', 'positive-only', 'default'].map((id) => presetConfig(id));
    expect(configDifferences(arms)).toEqual([
      ['λ−=1', 'λ+=0'],
      ['λ−=0', 'λ+=1'],
      ['λ−=1', 'λ+=1'],
    ]);
    // Identical configs: nothing sets them apart.
    expect(configDifferences([arms[0], arms[0]])).toEqual([[], []]);
  });
});
