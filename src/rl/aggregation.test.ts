import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { backward, parameter, setBackend, tensor, tidy } from '../engine';
import { aggregateLoss, LOSS_AGGREGATIONS, maskedTokenMean, type LossAggregation } from './aggregation';
import { expectClose, scalar, values } from './testUtils';

beforeAll(() => setBackend(new CpuBackend()));

// ℓ [N=2, L=3]; the padded positions hold 100 so that forgetting the mask is loud.
const LOSS = [1, 2, 100, 4, 100, 100];
const MASK = [1, 1, 0, 1, 0, 0]; // |o_0| = 2, |o_1| = 1

async function aggregate(mode: LossAggregation, loss = LOSS, mask = MASK, maxCompletionLength?: number): Promise<number> {
  return scalar(tidy(() => aggregateLoss(tensor(loss, [2, 3]), tensor(mask, [2, 3]), mode, { maxCompletionLength })));
}

describe('loss aggregation', () => {
  it('token-mean: Σ m·ℓ / Σ m', async () => {
    expect(await aggregate('token-mean')).toBeCloseTo((1 + 2 + 4) / 3, 6); // 7/3
  });

  it('seq-mean-token-mean: mean over sequences of each sequence’s token-mean', async () => {
    expect(await aggregate('seq-mean-token-mean')).toBeCloseTo(((1 + 2) / 2 + 4 / 1) / 2, 6); // (1.5 + 4)/2 = 2.75
  });

  it('seq-mean-token-sum: mean over sequences of Σ_t m·ℓ', async () => {
    expect(await aggregate('seq-mean-token-sum')).toBeCloseTo((3 + 4) / 2, 6); // 3.5
  });

  it('seq-mean-token-sum-norm: Σ m·ℓ / (N · max_completion_length), the configured budget, not L', async () => {
    expect(await aggregate('seq-mean-token-sum-norm', LOSS, MASK, 4)).toBeCloseTo(7 / (2 * 4), 6); // 0.875, not 7/6
    await expect(aggregate('seq-mean-token-sum-norm')).rejects.toThrow(/maxCompletionLength/);
  });

  it('an empty completion counts as 0 in the sequence mean; an empty batch gives 0, not NaN', async () => {
    const oneEmpty = [1, 1, 0, 0, 0, 0];
    expect(await aggregate('seq-mean-token-mean', LOSS, oneEmpty)).toBeCloseTo((1.5 + 0) / 2, 6); // TRL clamp(min=1)
    expect(await aggregate('token-mean', LOSS, oneEmpty)).toBeCloseTo(1.5, 6);
    for (const mode of LOSS_AGGREGATIONS) expect(await aggregate(mode, LOSS, [0, 0, 0, 0, 0, 0], 3)).toBe(0);
  });

  it('gradients: m/Σm for token-mean, m/(N·|o_i|) for seq-mean-token-mean, m/N, m/(N·Lmax)', async () => {
    const expected: Record<LossAggregation, number[]> = {
      'token-mean': [1 / 3, 1 / 3, 0, 1 / 3, 0, 0],
      'seq-mean-token-mean': [1 / 4, 1 / 4, 0, 1 / 2, 0, 0], // 1/(2·2), 1/(2·1)
      'seq-mean-token-sum': [1 / 2, 1 / 2, 0, 1 / 2, 0, 0],
      'seq-mean-token-sum-norm': [1 / 8, 1 / 8, 0, 1 / 8, 0, 0], // 1/(2·4)
    };
    for (const mode of LOSS_AGGREGATIONS) {
      const l = parameter(new Float32Array(LOSS), [2, 3]);
      tidy(() => backward(aggregateLoss(l, tensor(MASK, [2, 3]), mode, { maxCompletionLength: 4 })));
      expectClose(await values(l.grad!), expected[mode]);
      l.dispose();
    }
  });

  it('maskedTokenMean is the token-mean of a measurement', async () => {
    expect(await scalar(maskedTokenMean(tensor([2, 4, 6, 8], [2, 2]), tensor([1, 0, 1, 1], [2, 2])))).toBeCloseTo(16 / 3, 6);
  });
});
