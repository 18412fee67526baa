import { describe, expect, it } from 'vitest';
import { defaultRlConfig } from '../rl/trainerConfig';
import { getTask, TASKS } from '../tasks/registry';
import { defaultExperiment, experimentSchema, MAX_ANSWER_BUDGET } from './schema';
import { toRlConfig } from './toTrainerConfig';

describe('experiment schema', () => {
  it('its defaults are the trainer defaults, with the answer budget of the task', () => {
    const rl = toRlConfig(defaultExperiment());
    expect({ ...rl, totalSteps: defaultRlConfig.totalSteps, maxNewTokens: defaultRlConfig.maxNewTokens }).toEqual(defaultRlConfig);
    expect(rl.maxNewTokens).toBe(getTask('addition').answerBudget);
  });

  it('lets the answer budget follow the task unless the user set one', () => {
    for (const task of TASKS) {
      const config = experimentSchema.parse({ task: { id: task.id } });
      expect(config.algorithm.maxNewTokens).toBeNull();
      expect(toRlConfig(config).maxNewTokens).toBe(task.answerBudget);
      expect(task.answerBudget).toBeGreaterThan(task.maxCompletionLength); // every valid answer and its EOS fit
      expect(task.answerBudget).toBeLessThanOrEqual(MAX_ANSWER_BUDGET); // the range covers every task
    }
    expect(toRlConfig(experimentSchema.parse({ task: { id: 'sorting' }, algorithm: { maxNewTokens: 5 } })).maxNewTokens).toBe(5);
    expect(getTask('sorting').answerBudget).toBe(19);
    expect(getTask('countdown').answerBudget).toBe(31);
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
