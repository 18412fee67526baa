import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { backward, parameter, setBackend, sum, tensor, tidy } from '../engine';
import { KL_ESTIMATORS, klPerToken, measureKl, type KlEstimator } from './kl';
import { expectClose, scalar, values } from './testUtils';

beforeAll(() => setBackend(new CpuBackend()));

// d = logπ − logπ_ref = [0.5, −1, 0, −29, 29, 5].
const LOGP = [-1, -2, -0.5, -30, -1, -1];
const REF = [-1.5, -1, -0.5, -1, -30, -6];

describe('KL estimators', () => {
  it('k1 = d and k2 = d²/2, unclamped as in verl', async () => {
    expectClose(await values(klPerToken(tensor(LOGP), tensor(REF), 'k1')), [0.5, -1, 0, -29, 29, 5]);
    expectClose(await values(klPerToken(tensor(LOGP), tensor(REF), 'k2')), [0.125, 0.5, 0, 420.5, 420.5, 12.5]);
  });

  it('k3 = exp(−d) + d − 1, clamped to ±10 (verl), default and finite far from the reference', async () => {
    const expected = [
      Math.exp(-0.5) - 0.5, // d = 0.5: 0.6065307 + 0.5 − 1 = 0.1065307
      Math.E - 2, //           d = −1: e − 1 − 1 = 0.7182818
      0, //                    d = 0
      10, //                   d = −29: exp(min(29, 20)) − 20 − 1 ≈ 4.85e8 -> 10
      10, //                   d = 29: exp(−20) + 20 − 1 ≈ 19 -> 10
      Math.exp(-5) + 4, //     d = 5: 0.0067379 + 5 − 1 = 4.0067379
    ];
    expectClose(await values(klPerToken(tensor(LOGP), tensor(REF))), expected, 1e-6);
    // |d| = 1000: the value clamp alone would already give 10 on the CPU; clamping d first keeps the
    // exp's intermediate finite too, which WGSL needs (it may assume no infinities).
    expect(await values(klPerToken(tensor([-1001, 0]), tensor([-1, -1000]), 'k3'))).toEqual([10, 10]);
  });

  it('gradients w.r.t. logπ: 1, d, and 1 − exp(−d) inside the k3 clamp (0 outside)', async () => {
    const expected: Record<KlEstimator, number[]> = {
      k1: [1, 1, 1, 1, 1, 1],
      k2: [0.5, -1, 0, -29, 29, 5],
      k3: [1 - Math.exp(-0.5), 1 - Math.E, 0, 0, 0, 1 - Math.exp(-5)], // 0.3934693, −1.7182818
    };
    for (const k of KL_ESTIMATORS) {
      const logp = parameter(new Float32Array(LOGP), [6]);
      tidy(() => backward(sum(klPerToken(logp, tensor(REF), k))));
      expectClose(await values(logp.grad!), expected[k], 1e-5);
      logp.dispose();
    }
  });

  it('measures all three as token-means over the completion mask', async () => {
    // [N=2, L=2]; the masked token has d = −29 and would dominate every mean.
    const m = tidy(() => measureKl(tensor([-1, -2, -0.5, -30], [2, 2]), tensor([-1.5, -1, -0.5, -1], [2, 2]), tensor([1, 1, 1, 0], [2, 2])));
    expect(await scalar(m.k1)).toBeCloseTo((0.5 - 1 + 0) / 3, 6); // −1/6
    expect(await scalar(m.k2)).toBeCloseTo((0.125 + 0.5 + 0) / 3, 6); // 0.2083333
    expect(await scalar(m.k3)).toBeCloseTo((0.10653066 + 0.71828183 + 0) / 3, 6); // 0.2749375
  });
});
