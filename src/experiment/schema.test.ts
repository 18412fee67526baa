import { describe, expect, it } from 'vitest';
import { defaultRlConfig } from '../rl/trainerConfig';
import { defaultExperiment, experimentSchema } from './schema';
import { toRlConfig } from './toTrainerConfig';

describe('experiment schema', () => {
  it('its defaults are the trainer defaults', () => {
    const rl = toRlConfig(defaultExperiment());
    expect({ ...rl, totalSteps: defaultRlConfig.totalSteps }).toEqual(defaultRlConfig);
  });

  it('defaults the SFT warm-up settings, which matter only for init sft', () => {
    expect(defaultExperiment().model).toEqual({ init: 'base', sftSteps: 300, sftLr: 5e-3, sftBatch: 32 });
    expect(experimentSchema.parse({ model: { init: 'sft' } }).model).toEqual({ init: 'sft', sftSteps: 300, sftLr: 5e-3, sftBatch: 32 });
    expect(experimentSchema.safeParse({ model: { init: 'sft', sftSteps: 0 } }).success).toBe(false);
    expect(experimentSchema.safeParse({ model: { init: 'sft', sftBatch: 257 } }).success).toBe(false);
    expect(experimentSchema.safeParse({ model: { init: 'sft', sftLr: Infinity } }).success).toBe(false);
  });

  it('rejects out-of-range numbers and unknown enums', () => {
    expect(experimentSchema.safeParse({ algorithm: { lr: 5 } }).success).toBe(false);
    expect(experimentSchema.safeParse({ algorithm: { estimator: 'ppo-magic' } }).success).toBe(false);
    expect(experimentSchema.safeParse({ task: { id: 'chess' } }).success).toBe(false);
    expect(experimentSchema.safeParse({ algorithm: { samplesPerPrompt: 8.5 } }).success).toBe(false);
  });
});
