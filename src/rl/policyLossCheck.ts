// Test helper shared by the Node and WebGPU tests of the fused policy loss: the fused op and the
// op-by-op graph on the current backend, same inputs, every option; returns the largest relative
// differences of the per-token loss, the aggregated loss, the metrics and the gradient.
import { backward, parameter, readAll, tensor, tidy } from '../engine';
import { mulberry32 } from '../engine/random';
import { relMaxDiff } from '../model/fusedCheck';
import type { LossAggregation } from './aggregation';
import { policyLoss, type PolicyLossConfig } from './policyLoss';

/** Random inputs for [N, L] tokens: log-ratios spread over the clip kinks and, now and then, past ±20. */
export function policyLossInputs(N: number, L: number, advCols: number, seed: number) {
  const rand = mulberry32(seed);
  const logp = Float32Array.from({ length: N * L }, () => -0.1 - rand() * 4);
  const old = Float32Array.from(logp, (v, i) => v - (i % 23 === 5 ? 50 * (rand() - 0.5) : 2 * (rand() - 0.5)));
  const adv = Float32Array.from({ length: N * advCols }, (_, i) => (i % 7 === 3 ? 0 : 4 * (rand() - 0.5)));
  const mask = Float32Array.from({ length: N * L }, () => (rand() < 0.8 ? 1 : 0));
  return { logp, old, adv, mask };
}

export interface PolicyLossCase {
  N: number;
  L: number;
  advCols: number;
  withOld: boolean;
  config: PolicyLossConfig;
  aggregation: LossAggregation;
}

export async function comparePolicyLoss(c: PolicyLossCase, seed: number): Promise<{ perToken: number; loss: number; metrics: number; grad: number }> {
  const x = policyLossInputs(c.N, c.L, c.advCols, seed);
  const run = async (fused: boolean) => {
    const logp = parameter(x.logp, [c.N, c.L], 'logp');
    const out = tidy(() => {
      const inputs = {
        logp,
        oldLogp: c.withOld ? tensor(x.old, [c.N, c.L]) : undefined,
        advantages: tensor(x.adv, [c.N, c.advCols]),
        mask: tensor(x.mask, [c.N, c.L]),
        // For the KL and entropy terms (used only when the config turns them on).
        refLogp: tensor(x.old, [c.N, c.L]),
        entropy: tensor(Float32Array.from(x.logp, (v) => -v), [c.N, c.L]),
      };
      const r = policyLoss(inputs, { ...c.config, fused }, c.aggregation, { maxCompletionLength: c.L + 2 });
      backward(r.loss);
      return [r.perToken, r.loss, r.metrics.values];
    });
    const values = await readAll([...out, logp.grad!]);
    for (const t of [...out, logp]) t.dispose();
    return values;
  };
  const fused = await run(true);
  const reference = await run(false);
  const [perToken, loss, metrics, grad] = fused.map((v, i) => relMaxDiff(v, reference[i]));
  return { perToken, loss, metrics, grad };
}

/** Awkward shapes and every option of the loss (dual clip, PSR/NSR weights, per-token advantages, no oldLogp). */
export const POLICY_LOSS_CASES: PolicyLossCase[] = [
  { N: 1, L: 1, advCols: 1, withOld: true, config: {}, aggregation: 'token-mean' },
  { N: 3, L: 17, advCols: 1, withOld: true, config: { dualClip: 3 }, aggregation: 'token-mean' },
  { N: 17, L: 3, advCols: 3, withOld: true, config: { clipHigh: 0.28, positiveWeight: 0.5, negativeWeight: 1.5 }, aggregation: 'seq-mean-token-mean' },
  { N: 65, L: 130, advCols: 1, withOld: false, config: {}, aggregation: 'token-mean' },
  { N: 130, L: 17, advCols: 17, withOld: true, config: { dualClip: 2.5, clipLow: 0.1 }, aggregation: 'seq-mean-token-sum' },
  { N: 17, L: 65, advCols: 1, withOld: true, config: { klCoef: 0.04, entropyCoef: 0.01, klEstimator: 'k3' }, aggregation: 'token-mean' },
];
