import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { parameter, setBackend, tensor, tidy, type Tensor } from '../engine';
import {
  ADVANTAGE_ESTIMATORS, computeAdvantages, drGrpoAdvantages, fracRewardZeroStd, grpoAdvantages, reinforceAdvantages, reinforcePlusPlusAdvantages, rlooAdvantages,
} from './advantages';
import { expectClose, values } from './testUtils';

beforeAll(() => setBackend(new CpuBackend()));

/** A [N, L] mask whose row i has lengths[i] ones then zeros (right padding). */
function rightPadded(lengths: number[], L: number): Tensor {
  return tensor(lengths.flatMap((n) => Array.from({ length: L }, (_, t) => (t < n ? 1 : 0))), [lengths.length, L]);
}

/** Expected [N, L] values: sample i's advantage on its first lengths[i] tokens, 0 after. */
function perToken(perSample: number[], lengths: number[], L: number): number[] {
  return perSample.flatMap((a, i) => Array.from({ length: L }, (_, t) => (t < lengths[i] ? a : 0)));
}

// B = 2 prompts × G = 4 samples, group-major. Group 0 = [1, 0, 0, 1]: mean 0.5, Bessel std
// sqrt(4·0.25/3) = 0.5773503 (the biased std would be 0.5). Group 1 = [1, 1, 1, 1]: zero std.
const REWARDS = [1, 0, 0, 1, 1, 1, 1, 1];
const LENGTHS = [3, 2, 1, 0, 3, 3, 2, 1]; // padding in every row but two; row 3 is empty
const L = 3;

describe('GRPO family (TRL)', () => {
  it('scale=group: (r − mean_g)/(Bessel std_g + 1e-4); a zero-variance group gets 0', async () => {
    const a = 0.5 / (Math.sqrt(1 / 3) + 1e-4); // 0.5/0.5774503 = 0.8658754
    const adv = tidy(() => grpoAdvantages(REWARDS, 4, rightPadded(LENGTHS, L)));
    expectClose(await values(adv), perToken([a, -a, -a, a, 0, 0, 0, 0], LENGTHS, L), 1e-6);
    expect(adv.shape).toEqual([8, 3]);
  });

  it('scale=batch: group mean, batch Bessel std', async () => {
    // batch mean 0.75; Σ(r − 0.75)² = 6·0.0625 + 2·0.5625 = 1.5; std = sqrt(1.5/7) = 0.4629100
    const a = 0.5 / (Math.sqrt(1.5 / 7) + 1e-4); // 1.0798902
    const adv = tidy(() => grpoAdvantages(REWARDS, 4, rightPadded(LENGTHS, L), 'batch'));
    expectClose(await values(adv), perToken([a, -a, -a, a, 0, 0, 0, 0], LENGTHS, L), 1e-6);
  });

  it('scale=none and Dr. GRPO: r − mean_g only', async () => {
    const expected = perToken([0.5, -0.5, -0.5, 0.5, 0, 0, 0, 0], LENGTHS, L);
    expectClose(await values(tidy(() => grpoAdvantages(REWARDS, 4, rightPadded(LENGTHS, L), 'none'))), expected);
    expectClose(await values(tidy(() => drGrpoAdvantages(REWARDS, 4, rightPadded(LENGTHS, L)))), expected);
  });

  it('non-binary rewards: [3, 1, 2] -> mean 2, std sqrt((1+1+0)/2) = 1 -> (±1, 0)/1.0001', async () => {
    const adv = tidy(() => grpoAdvantages([3, 1, 2], 3, rightPadded([1, 1, 1], 1)));
    expectClose(await values(adv), [1 / 1.0001, -1 / 1.0001, 0], 1e-6);
  });

  it('G = 1: a lone sample has std 0, so GRPO and Dr. GRPO give 0, and every group counts as zero-std', async () => {
    const mask = rightPadded([2, 1], 2);
    expectClose(await values(tidy(() => grpoAdvantages([0.3, 2], 1, mask))), [0, 0, 0, 0]);
    expectClose(await values(tidy(() => grpoAdvantages([0.3, 2], 1, mask, 'batch'))), [0, 0, 0, 0]);
    expectClose(await values(tidy(() => drGrpoAdvantages([0.3, 2], 1, mask))), [0, 0, 0, 0]);
    expect(fracRewardZeroStd([0.3, 2], 1)).toBe(1);
  });
});

describe('RLOO', () => {
  it('r_i − mean of the others: [3, 1, 2] -> 3 − 1.5, 1 − 2.5, 2 − 2 = (1.5, −1.5, 0)', async () => {
    // Two groups: the second, [0, 0, 4], gives 0 − 2, 0 − 2, 4 − 0 = (−2, −2, 4).
    const lengths = [2, 1, 2, 2, 0, 1];
    const adv = tidy(() => rlooAdvantages([3, 1, 2, 0, 0, 4], 3, rightPadded(lengths, 2)));
    expectClose(await values(adv), perToken([1.5, -1.5, 0, -2, -2, 4], lengths, 2), 1e-6);
  });

  it('needs G >= 2', () => {
    expect(() => rlooAdvantages([1, 0], 1, rightPadded([1, 1], 1))).toThrow(/at least 2/);
  });
});

describe('REINFORCE with the verifier\'s sign (PSR/NSR)', () => {
  it('2r − 1 per sample, no baseline: an all-right group keeps +1 and an all-wrong one −1 (GRPO gives both 0)', async () => {
    // Group 0 mixed, group 1 all right, group 2 all wrong.
    const rewards = [1, 0, 1, 1, 0, 0];
    const lengths = [2, 1, 2, 1, 2, 0];
    const adv = tidy(() => reinforceAdvantages(rewards, 2, rightPadded(lengths, 2)));
    expectClose(await values(adv), perToken([1, -1, 1, 1, -1, -1], lengths, 2));
    const grpo = tidy(() => grpoAdvantages(rewards, 2, rightPadded(lengths, 2)));
    const a = 0.5 / (Math.SQRT1_2 + 1e-4); // group [1, 0]: mean 0.5, Bessel std √0.5
    expectClose(await values(grpo), perToken([a, -a, 0, 0, 0, 0], lengths, 2), 1e-6);
    expect(computeAdvantages(rewards, rightPadded(lengths, 2), { estimator: 'reinforce', groupSize: 2 }).fracRewardZeroStd).toBeCloseTo(2 / 3);
  });
});

describe('REINFORCE++ (OpenRLHF)', () => {
  it('outcome reward on the last token, reward-to-go, whitened with the biased std over valid tokens', async () => {
    // rewards [1, 0], masks [1,1,1] and [1,1,0]. Token rewards [0,0,1] and [0,0]; returns [1,1,1] and [0,0].
    // Valid returns [1,1,1,0,0]: mean 0.6, var (3·0.16 + 2·0.36)/5 = 0.24, std 0.4898979.
    const adv = tidy(() => reinforcePlusPlusAdvantages([1, 0], 2, rightPadded([3, 2], 3)));
    const hi = 0.4 / Math.sqrt(0.24); // 0.8164966
    const lo = -0.6 / Math.sqrt(0.24); // −1.2247449
    expectClose(await values(adv), [hi, hi, hi, lo, lo, 0], 1e-6);
  });

  it('−β·KL_t on every completion token, the outcome reward clipped to ±10, padding ignored', async () => {
    // β = 0.5, KL [[0.1, 0.2, 0.3], [0.4, 0.5, 9 (padding)]], rewards [2, −20 -> −10].
    // Token rewards: [−0.05, −0.1, −0.15 + 2] = [−0.05, −0.1, 1.85]; [−0.2, −0.25 − 10] = [−0.2, −10.25].
    // Returns: [1.7, 1.75, 1.85] and [−10.45, −10.25]; mean −15.4/5 = −3.08;
    // var = (4.78² + 4.83² + 4.93² + 7.37² + 7.17²)/5 = 176.208/5 = 35.2416; std = 5.9364636.
    const kl = tensor([0.1, 0.2, 0.3, 0.4, 0.5, 9], [2, 3]);
    const adv = tidy(() => reinforcePlusPlusAdvantages([2, -20], 2, rightPadded([3, 2], 3), { klCoef: 0.5, tokenKl: kl }));
    const std = Math.sqrt(35.2416);
    expectClose(await values(adv), [4.78 / std, 4.83 / std, 4.93 / std, -7.37 / std, -7.17 / std, 0], 1e-5);
  });

  it('-baseline subtracts the group mean before the clip', async () => {
    // rewards [2, −20]: mean −9 -> [11, −11] -> clipped [10, −10]; same KL as above.
    // Returns [9.7, 9.75, 9.85] and [−10.45, −10.25]; mean 8.6/5 = 1.72;
    // deviations 7.98, 8.03, 8.13, −12.17, −11.97; var = 485.648/5 = 97.1296; std = 9.8554350.
    const kl = tensor([0.1, 0.2, 0.3, 0.4, 0.5, 9], [2, 3]);
    const adv = tidy(() => reinforcePlusPlusAdvantages([2, -20], 2, rightPadded([3, 2], 3), { baseline: true, klCoef: 0.5, tokenKl: kl }));
    const std = Math.sqrt(97.1296);
    expectClose(await values(adv), [7.98 / std, 8.03 / std, 8.13 / std, -12.17 / std, -11.97 / std, 0], 1e-5);
  });

  it('-baseline works per group: B = 2 groups of 2', async () => {
    // Groups [1, 0] and [5, 5]: centred [0.5, −0.5] and [0, 0]; one token each (L = 1), β = 0.
    // Valid returns [0.5, −0.5, 0, 0]: mean 0, var 0.125, std 0.3535534 -> [1.4142136, −1.4142136, 0, 0].
    // (Without the per-group baseline, [5, 5] would dominate: the group boundaries matter.)
    const adv = tidy(() => reinforcePlusPlusAdvantages([1, 0, 5, 5], 2, rightPadded([1, 1, 1, 1], 1), { baseline: true }));
    expectClose(await values(adv), [Math.SQRT2, -Math.SQRT2, 0, 0], 1e-6);
  });

  it('finds the last completion token when the mask starts after a prompt', async () => {
    // Masks [0,1,1,0] and [1,1,0,0], rewards [1, 0]. Returns on valid tokens: [1, 1] and [0, 0]
    // (the reward sits at column 2 of row 0, column 1 of row 1). mean 0.5, var 0.25, std 0.5 -> ±1.
    const mask = tensor([0, 1, 1, 0, 1, 1, 0, 0], [2, 4]);
    expectClose(await values(tidy(() => reinforcePlusPlusAdvantages([1, 0], 2, mask))), [0, 1, 1, 0, -1, -1, 0, 0], 1e-6);
  });

  it('equal returns everywhere (zero variance) give 0, not NaN (var clamped at 1e-8)', async () => {
    expectClose(await values(tidy(() => reinforcePlusPlusAdvantages([1, 1], 2, rightPadded([2, 2], 2)))), [0, 0, 0, 0]);
  });

  it('advantages are constants: a tokenKl that carries a gradient does not make them require one', () => {
    const kl = parameter(new Float32Array([0.1, 0.2]), [1, 2]);
    const adv = tidy(() => reinforcePlusPlusAdvantages([1], 1, rightPadded([2], 2), { klCoef: 0.1, tokenKl: kl }));
    expect(adv.requiresGrad).toBe(false);
    kl.dispose();
  });

  it('klCoef > 0 needs tokenKl', () => {
    expect(() => reinforcePlusPlusAdvantages([1, 0], 2, rightPadded([1, 1], 1), { klCoef: 0.1 })).toThrow(/tokenKl/);
  });
});

describe('computeAdvantages and frac_reward_zero_std', () => {
  it('counts zero-std groups (all right or all wrong) whatever the estimator', async () => {
    // Groups [1,0,0,1] (signal) and [1,1,1,1] (none): 1/2. Also [0,0] [0,1] [1,1] -> 2/3.
    expect(fracRewardZeroStd(REWARDS, 4)).toBe(0.5);
    expect(fracRewardZeroStd([0, 0, 0, 1, 1, 1], 2)).toBeCloseTo(2 / 3, 12);
    for (const estimator of ADVANTAGE_ESTIMATORS) {
      const r = tidy(() => computeAdvantages(REWARDS, rightPadded(LENGTHS, L), { estimator, groupSize: 4 }));
      expect(r.fracRewardZeroStd).toBe(0.5);
      expect(r.advantages.shape).toEqual([8, 3]);
      // Every estimator leaves padding at exactly 0.
      const v = await values(r.advantages);
      LENGTHS.forEach((n, i) => {
        for (let t = n; t < L; t++) expect(v[i * L + t]).toBe(0);
      });
    }
  });

  it('dispatches to the named estimator', async () => {
    const mask = rightPadded([1, 1, 1], 1);
    const rloo = tidy(() => computeAdvantages([3, 1, 2], mask, { estimator: 'rloo', groupSize: 3 }));
    expectClose(await values(rloo.advantages), [1.5, -1.5, 0], 1e-6);
    const grpoNone = tidy(() => computeAdvantages([3, 1, 2], mask, { estimator: 'grpo', groupSize: 3, scale: 'none' }));
    expectClose(await values(grpoNone.advantages), [1, -1, 0], 1e-6);
  });

  it('rejects rewards that do not fill the groups or the mask, and non-finite rewards', () => {
    expect(() => grpoAdvantages([1, 0, 1], 2, rightPadded([1, 1, 1], 1))).toThrow(/groups of 2/);
    expect(() => grpoAdvantages([1, 0], 2, rightPadded([1, 1, 1], 1))).toThrow(/mask/);
    expect(() => grpoAdvantages([1, NaN], 2, rightPadded([1, 1], 1))).toThrow(/finite/);
  });
});
