import { describe, expect, it } from 'vitest';
import { estimateCost, formatBytes, formatSeconds, MEMORY_CONFIRM_BYTES } from './costEstimate';
import { experimentSchema } from './schema';

describe('estimateCost', () => {
  it('lets the default configuration start without asking', () => {
    const cost = estimateCost(experimentSchema.parse({}));
    expect(cost.rows).toBe(128);
    expect(cost.memoryBytes).toBeLessThan(100 * 1024 ** 2);
    expect(cost.stepSeconds).toBeLessThan(1);
    expect(cost.reasons).toEqual([]);
  });

  it('asks for the largest configuration, whose memory matches the 6.6 GB once observed', () => {
    const largest = experimentSchema.parse({ algorithm: { promptsPerStep: 256, samplesPerPrompt: 64, maxNewTokens: 32, ppoEpochs: 8, dynamicSampling: true, dynamicSamplingMaxTries: 10 }, run: { steps: 100000 } });
    const cost = estimateCost(largest);
    expect(cost.rows).toBe(16384);
    expect(cost.memoryBytes / 1e9).toBeGreaterThan(5);
    expect(cost.memoryBytes / 1e9).toBeLessThan(9);
    expect(cost.stepSeconds).toBeGreaterThan(60);
    expect(cost.reasons).toHaveLength(2);
    expect(cost.reasons[0]).toMatch(/^about \d+\.\d GB of GPU memory \(more than 1\.0 GB\)$/);
  });

  it('grows with the batch: memory linearly in rows, time with PPO epochs', () => {
    const base = estimateCost(experimentSchema.parse({ algorithm: { promptsPerStep: 16, samplesPerPrompt: 8 } }));
    const double = estimateCost(experimentSchema.parse({ algorithm: { promptsPerStep: 32, samplesPerPrompt: 8 } }));
    expect(double.memoryBytes / base.memoryBytes).toBeCloseTo(2, 5);
    const epochs = estimateCost(experimentSchema.parse({ algorithm: { ppoEpochs: 4 } }));
    expect(epochs.stepSeconds).toBeGreaterThan(3 * base.stepSeconds);
    expect(estimateCost(experimentSchema.parse({ algorithm: { promptsPerStep: 128, samplesPerPrompt: 32 } })).memoryBytes).toBeGreaterThan(MEMORY_CONFIRM_BYTES);
  });

  it('scales with seeds: N times the time per step, and each further replica\'s model state', () => {
    const one = estimateCost(experimentSchema.parse({ algorithm: { promptsPerStep: 64, samplesPerPrompt: 16 } }));
    const four = estimateCost(experimentSchema.parse({ seeds: 4, algorithm: { promptsPerStep: 64, samplesPerPrompt: 16 } }));
    expect(four.seeds).toBe(4);
    expect(four.stepSeconds / one.stepSeconds).toBeCloseTo(4, 9);
    expect(four.runSeconds / one.runSeconds).toBeCloseTo(4, 9);
    expect(four.memoryBytes).toBeGreaterThan(one.memoryBytes);
    expect(four.memoryBytes).toBeLessThan(2 * one.memoryBytes); // activations are held by one replica at a time
    const slow = estimateCost(experimentSchema.parse({ seeds: 8, algorithm: { promptsPerStep: 64, samplesPerPrompt: 64, ppoEpochs: 4 } }));
    expect(slow.reasons.at(-1)).toMatch(/per step of 8 seeds/);
  });

  it('formats sizes and durations for the dialog', () => {
    expect(formatBytes(6.6 * 1024 ** 3)).toBe('6.6 GB');
    expect(formatBytes(52 * 1024 ** 2)).toBe('52 MB');
    expect([formatSeconds(0.15), formatSeconds(12.3), formatSeconds(600), formatSeconds(36000)]).toEqual(['150 ms', '12 s', '10 min', '10.0 h']);
  });
});
