import { describe, expect, it } from 'vitest';
import { defaultRlConfig } from '../rl/trainerConfig';
import { defaultExperiment, experimentSchema } from './schema';
import { toRlConfig } from './toTrainerConfig';

describe('experiment schema', () => {
  it('its defaults are the trainer defaults', () => {
    const rl = toRlConfig(defaultExperiment());
    expect({ ...rl, totalSteps: defaultRlConfig.totalSteps }).toEqual(defaultRlConfig);
  });

  it('rejects out-of-range numbers and unknown enums', () => {
    expect(experimentSchema.safeParse({ algorithm: { lr: 5 } }).success).toBe(false);
    expect(experimentSchema.safeParse({ algorithm: { estimator: 'ppo-magic' } }).success).toBe(false);
    expect(experimentSchema.safeParse({ task: { id: 'chess' } }).success).toBe(false);
    expect(experimentSchema.safeParse({ algorithm: { samplesPerPrompt: 8.5 } }).success).toBe(false);
  });
});
