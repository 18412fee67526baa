import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backend/cpu/cpuBackend';
import { backward, parameter, setBackend, tensor, tidy } from '../engine';
import type { LossAggregation } from './aggregation';
import { perTokenPolicyLoss, policyLoss, type PolicyLossConfig } from './policyLoss';
import { expectClose, scalar, values } from './testUtils';

beforeAll(() => setBackend(new CpuBackend()));

// [N=2, L=4] tokens as (ρ, A), ε_low = ε_high = 0.2 (clip range [0.8, 1.2]), logπ_old = −1:
//  row 0: (1.5, +1)  (1.5, −1)  (0.5, +1)  (0.5, −1)
//  row 1: (1.1, +2)  (4, −1)    (2.5, −1)  (5, +1)
// ℓ = max(−Aρ, −A·clip(ρ)):
//  (1.5,+1): max(−1.5, −1.2) = −1.2  clipped high (counts in clip_ratio/high)
//  (1.5,−1): max( 1.5,  1.2) =  1.5  unclipped (ρ > 1.2 but A < 0: not counted)
//  (0.5,+1): max(−0.5, −0.8) = −0.5  unclipped (ρ < 0.8 but A > 0: not counted)
//  (0.5,−1): max( 0.5,  0.8) =  0.8  clipped low (counts in clip_ratio/low)
//  (1.1,+2): −2.2 either way         inside the range
//  (4,  −1): max( 4,    1.2) =  4    dual clip c = 3: min(4, 3) = 3 (active)
//  (2.5,−1): max( 2.5,  1.2) =  2.5  dual clip: min(2.5, 3) = 2.5 (inactive)
//  (5,  +1): max(−5,   −1.2) = −1.2  clipped high; the dual clip never touches A > 0
const RHO = [1.5, 1.5, 0.5, 0.5, 1.1, 4, 2.5, 5];
const ADV = [1, -1, 1, -1, 2, -1, -1, 1];
const OLD = RHO.map(() => -1);
const LOGP = RHO.map((r) => -1 + Math.log(r));
const FULL = RHO.map(() => 1);
const LOSS_NO_DUAL = [-1.2, 1.5, -0.5, 0.8, -2.2, 4, 2.5, -1.2];
const LOSS_DUAL = [-1.2, 1.5, -0.5, 0.8, -2.2, 3, 2.5, -1.2];
// dℓ/dlogπ = dℓ/dρ · ρ: −A·ρ on the unclipped branch, 0 where clipped (and where the dual clip holds).
const GRAD_NO_DUAL = [0, 1.5, -0.5, 0, -2.2, 4, 2.5, 0];
const GRAD_DUAL = [0, 1.5, -0.5, 0, -2.2, 0, 2.5, 0];

const t = (v: number[], shape = [2, 4]) => tensor(v, shape);

async function perToken(config: PolicyLossConfig, mask = FULL, adv = ADV): Promise<number[]> {
  return values(tidy(() => perTokenPolicyLoss({ logp: t(LOGP), oldLogp: t(OLD), advantages: t(adv), mask: t(mask) }, config).perToken));
}

/** d(Σ_t ℓ_t)/dlogπ by the engine's autograd (sum aggregation so each entry is one token's derivative). */
async function gradient(config: PolicyLossConfig, adv = ADV): Promise<number[]> {
  const logp = parameter(new Float32Array(LOGP), [2, 4]);
  tidy(() => {
    const { loss } = policyLoss({ logp, oldLogp: t(OLD), advantages: t(adv), mask: t(FULL) }, config, 'seq-mean-token-sum');
    backward(loss); // seq-mean-token-sum over N = 2 rows: each token's gradient is halved
  });
  const g = (await values(logp.grad!)).map((v) => v * 2);
  logp.dispose();
  return g;
}

describe('PPO-clip per-token loss', () => {
  it('ρ outside the range on both sides, with A of both signs', async () => {
    expectClose(await perToken({}), LOSS_NO_DUAL, 1e-5);
  });

  it('dual clip (c = 3) caps the loss of A < 0 tokens at −A·c and leaves A > 0 alone', async () => {
    expectClose(await perToken({ dualClip: 3 }), LOSS_DUAL, 1e-5);
  });

  it('gradients through logπ: −A·ρ on the unclipped branch, 0 when clipped or dual-clipped', async () => {
    expectClose(await gradient({}), GRAD_NO_DUAL, 1e-5);
    expectClose(await gradient({ dualClip: 3 }), GRAD_DUAL, 1e-5);
  });

  it('DAPO clip-higher: ε_high = 0.28 moves the upper bound to 1.28', async () => {
    // (1.5, +1): max(−1.5, −1.28) = −1.28; (5, +1): −1.28; the rest as before (none sits in (1.2, 1.28]).
    expectClose(await perToken({ clipHigh: 0.28 }), [-1.28, 1.5, -0.5, 0.8, -2.2, 4, 2.5, -1.28], 1e-5);
  });

  it('λ+ scales A > 0 tokens and λ− scales A < 0 tokens (PSR/NSR weights)', async () => {
    // λ+ = 0.5, λ− = 2: [−0.6, 3, −0.25, 1.6, −1.1, 8, 5, −0.6]; with the dual clip 2·3 = 6 for the (4, −1) token.
    expectClose(await perToken({ positiveWeight: 0.5, negativeWeight: 2 }), [-0.6, 3, -0.25, 1.6, -1.1, 8, 5, -0.6], 1e-5);
    expectClose(await perToken({ positiveWeight: 0.5, negativeWeight: 2, dualClip: 3 }), [-0.6, 3, -0.25, 1.6, -1.1, 6, 5, -0.6], 1e-5);
    // λ− = 0 (positive samples only, PSR): negative-advantage tokens contribute nothing, loss or gradient.
    expectClose(await perToken({ negativeWeight: 0 }), [-1.2, 0, -0.5, 0, -2.2, 0, 0, -1.2], 1e-5);
    expectClose(await gradient({ negativeWeight: 0 }), [0, 0, -0.5, 0, -2.2, 0, 0, 0], 1e-5);
    // The clip branches are unchanged by the weights: gradients are the unweighted ones times λ±.
    expectClose(await gradient({ positiveWeight: 0.5, negativeWeight: 2 }), [0, 3, -0.25, 0, -1.1, 8, 5, 0], 1e-5);
  });

  it('the log-ratio is clamped to ±20 before the exp (verl)', async () => {
    // logπ − logπ_old = 30 -> ρ = e^20 = 4.85e8; A = −1: ℓ = max(e^20, 1.2) = e^20, and the gradient is 0
    // (the clamp is saturated). −30 -> ρ = e^−20; A = +1: ℓ = max(−e^−20, −0.8) = −2.06e−9 ≈ 0.
    const logp = parameter(new Float32Array([29, -31]), [1, 2]);
    const r = tidy(() => {
      const out = perTokenPolicyLoss({ logp, oldLogp: t([-1, -1], [1, 2]), advantages: t([-1, 1], [1, 2]), mask: t([1, 1], [1, 2]) });
      backward(policyLoss({ logp, oldLogp: t([-1, -1], [1, 2]), advantages: t([-1, 1], [1, 2]), mask: t([1, 1], [1, 2]) }).loss);
      return out.perToken;
    });
    expectClose(await values(r), [Math.exp(20), -Math.exp(-20)], 1e-6);
    expectClose(await values(logp.grad!), [0, 0]);
    logp.dispose();
  });

  it('without logπ_old (one pass per batch) ρ ≡ 1: ℓ = −A, gradient −A, nothing clips', async () => {
    // If logπ_old were not a constant, ρ = exp(logπ − logπ) would have zero gradient.
    const logp = parameter(new Float32Array([-1, -2, -3, -4]), [2, 2]);
    const adv = t([1, -2, 0.5, 0], [2, 2]);
    const r = tidy(() => {
      const out = policyLoss({ logp, advantages: adv, mask: t([1, 1, 1, 1], [2, 2]) }, {}, 'seq-mean-token-sum');
      backward(out.loss);
      return [out.perToken, out.metrics.values];
    });
    expectClose(await values(r[0]), [-1, 2, -0.5, 0]);
    expectClose(await values(logp.grad!), [-0.5, 1, -0.25, 0]); // −A / N with N = 2
    expect(await values(r[1])).toEqual([0, 0, 0, 0]);
    logp.dispose();
  });
});

describe('KL and entropy terms', () => {
  it('ℓ = −A·ρ + β·k3 − c_H·H, with gradients through logπ and H', async () => {
    // ρ ≡ 1, A = [1, −1]: pg = [−1, 1]. d = logπ − ref = [0.5, −1]: k3 = [0.1065307, 0.7182818].
    // β = 0.04, c_H = 0.1, H = [2, 0.5]:
    //   ℓ_0 = −1 + 0.04·0.1065307 − 0.2  = −1.1957388
    //   ℓ_1 =  1 + 0.04·0.7182818 − 0.05 =  0.9787313
    // dℓ/dlogπ = −A + β(1 − e^−d): −1 + 0.04·0.3934693 = −0.9842612; 1 + 0.04·(1 − e) = 0.9312687. dℓ/dH = −c_H.
    const logp = parameter(new Float32Array([-1, -2]), [1, 2]);
    const entropy = parameter(new Float32Array([2, 0.5]), [1, 2]);
    const per = tidy(() => {
      const out = policyLoss(
        { logp, advantages: t([1, -1], [1, 2]), mask: t([1, 1], [1, 2]), refLogp: t([-1.5, -1], [1, 2]), entropy },
        { klCoef: 0.04, entropyCoef: 0.1 },
        'seq-mean-token-sum',
      );
      backward(out.loss);
      return out.perToken;
    });
    expectClose(await values(per), [-1.1957388, 0.9787313], 1e-6);
    expectClose(await values(logp.grad!), [-0.9842612, 0.9312687], 1e-6);
    expectClose(await values(entropy.grad!), [-0.1, -0.1], 1e-6);
    logp.dispose();
    entropy.dispose();
  });

  it('the KL estimator is selectable: k1 adds β·d, k2 adds β·d²/2', async () => {
    const run = async (klEstimator: 'k1' | 'k2') =>
      values(tidy(() => perTokenPolicyLoss(
        { logp: t([-1, -2], [1, 2]), advantages: t([0, 0], [1, 2]), mask: t([1, 1], [1, 2]), refLogp: t([-1.5, -1], [1, 2]) },
        { klCoef: 0.5, klEstimator },
      ).perToken));
    expectClose(await run('k1'), [0.25, -0.5], 1e-6); // 0.5·[0.5, −1]
    expectClose(await run('k2'), [0.0625, 0.25], 1e-6); // 0.5·[0.125, 0.5]
  });

  it('needs refLogp for β > 0 and entropy for c_H ≠ 0; rejects bad settings', () => {
    const inputs = { logp: t(LOGP), advantages: t(ADV), mask: t(FULL) };
    expect(() => perTokenPolicyLoss(inputs, { klCoef: 0.1 })).toThrow(/refLogp/);
    expect(() => perTokenPolicyLoss(inputs, { entropyCoef: 0.01 })).toThrow(/entropy/);
    expect(() => perTokenPolicyLoss(inputs, { dualClip: 1 })).toThrow(/dualClip/);
    expect(() => perTokenPolicyLoss(inputs, { clipLow: 1 })).toThrow(/clipLow/);
    expect(() => perTokenPolicyLoss(inputs, { negativeWeight: -1 })).toThrow(/negativeWeight/);
  });
});

describe('clip-ratio metrics (TRL)', () => {
  it('low = [ρ < 1−ε_low]·[A < 0], high = [ρ > 1+ε_high]·[A > 0], region = either, as token-means', async () => {
    const metrics = async (mask: number[], config: PolicyLossConfig) => {
      const m = tidy(() => perTokenPolicyLoss({ logp: t(LOGP), oldLogp: t(OLD), advantages: t(ADV), mask: t(mask) }, config).metrics);
      return values(m.values);
    };
    // Low: (0.5, −1) only. High: (1.5, +1) and (5, +1). Dual: (4, −1) only. Over 8 tokens:
    expectClose(await metrics(FULL, { dualClip: 3 }), [1 / 8, 2 / 8, 3 / 8, 1 / 8], 1e-7);
    expectClose(await metrics(FULL, {}), [1 / 8, 2 / 8, 3 / 8, 0], 1e-7);
    // Masking out (5, +1) and (4, −1): 6 tokens, low 1, high 1, dual 0.
    expectClose(await metrics([1, 1, 1, 1, 1, 0, 1, 0], { dualClip: 3 }), [1 / 6, 1 / 6, 2 / 6, 0], 1e-7);
    // ε_low = 0.6 (bound 0.4) unclips (0.5, −1); ε_high = 4.5 (bound 5.5) unclips both highs.
    expectClose(await metrics(FULL, { clipLow: 0.6, clipHigh: 4.5 }), [0, 0, 0, 0], 1e-7);
  });
});

describe('finite-difference gradient check of the aggregated policy loss', () => {
  it('matches autograd w.r.t. logπ with every term on, for every aggregation mode', async () => {
    // Log-ratios sit away from the kinks (ln 0.8 = −0.223, ln 1.2 = 0.182, ln 3 = 1.099) so that the
    // central difference with h = 1e-2 stays on one branch.
    const N = 3;
    const L = 4;
    const logRatio = [0.5, -0.5, 0.05, 1.5, -0.05, 0.9, -1.2, 0.3, 0.1, 1.3, -0.4, 0.0];
    const old = [-1.2, -0.7, -2.0, -0.9, -1.5, -0.3, -1.1, -2.2, -0.6, -1.9, -0.8, -1.4];
    const ref = [-1.0, -0.9, -1.7, -1.3, -1.2, -0.6, -1.5, -2.0, -0.9, -1.6, -1.1, -1.0];
    const adv = [0.7, -1.3, 0.4, -0.8, -0.6, -1.1, 1.5, 0.9, -0.2, -2.0, 0.6, 0.3];
    const mask = [1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0];
    const entropy = [1.1, 0.4, 0.9, 1.6, 0.2, 0.7, 1.3, 0.5, 0.8, 0.3, 1.0, 0.6];
    const logp0 = logRatio.map((d, i) => old[i] + d);
    const config: PolicyLossConfig = { dualClip: 3, positiveWeight: 1.3, negativeWeight: 0.6, klCoef: 0.2, entropyCoef: 0.05, clipHigh: 0.28 };
    const modes: LossAggregation[] = ['token-mean', 'seq-mean-token-mean', 'seq-mean-token-sum', 'seq-mean-token-sum-norm'];
    const lossAt = (values: number[], mode: LossAggregation) =>
      tidy(() =>
        policyLoss(
          { logp: t(values, [N, L]), oldLogp: t(old, [N, L]), advantages: t(adv, [N, L]), mask: t(mask, [N, L]), refLogp: t(ref, [N, L]), entropy: t(entropy, [N, L]) },
          config,
          mode,
          { maxCompletionLength: 6 },
        ).loss,
      );
    for (const mode of modes) {
      const logp = parameter(new Float32Array(logp0), [N, L]);
      tidy(() =>
        backward(
          policyLoss(
            { logp, oldLogp: t(old, [N, L]), advantages: t(adv, [N, L]), mask: t(mask, [N, L]), refLogp: t(ref, [N, L]), entropy: t(entropy, [N, L]) },
            config,
            mode,
            { maxCompletionLength: 6 },
          ).loss,
        ),
      );
      const analytic = await values(logp.grad!);
      logp.dispose();
      const h = 1e-2;
      const numeric: number[] = [];
      for (let i = 0; i < N * L; i++) {
        const plus = [...logp0];
        const minus = [...logp0];
        plus[i] += h;
        minus[i] -= h;
        numeric.push(((await scalar(lossAt(plus, mode))) - (await scalar(lossAt(minus, mode)))) / (2 * h));
      }
      const worst = Math.max(...analytic.map((a, i) => Math.abs(a - numeric[i])));
      expect(worst).toBeLessThan(2e-4); // gradients here are 0.01–0.5; f32 central differences are good to ~1e-5
      // Padded tokens get no gradient. Token 3 (A = −0.8·λ− = −0.48, ρ = e^1.5 = 4.48: 0.48·4.48 = 2.15 > 3·0.48)
      // is dual-clipped, so only its KL term moves: β(1 − e^−d), d = (−0.9 + 1.5) − (−1.3) = 1.9, times the
      // mode's weight for a row-0 token: 1/9 tokens, 1/(3 rows · 4 tokens), 1/3 rows, 1/(3 · 6).
      expect(analytic[7]).toBe(0);
      expect(analytic[10]).toBe(0);
      const weight = { 'token-mean': 1 / 9, 'seq-mean-token-mean': 1 / 12, 'seq-mean-token-sum': 1 / 3, 'seq-mean-token-sum-norm': 1 / 18 }[mode];
      expect(analytic[3]).toBeCloseTo(0.2 * (1 - Math.exp(-1.9)) * weight, 6);
    }
  });
});
