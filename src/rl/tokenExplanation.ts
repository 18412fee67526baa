// "Explain this number": one token's loss term rebuilt on the host, step by step, from the numbers the
// step read back (lossDetail.ts) and the loss as configured — the same formula policyLoss.ts,
// kl.ts and aggregation.ts compute with engine ops (docs/rl-reference.md):
//
//   ρ   = exp(clamp(logπ − logπ_old, ±20))
//   A_w = λ+·A (A > 0), λ−·A (A < 0)
//   pg  = max(−A_w·ρ, −A_w·clip(ρ, 1−ε_low, 1+ε_high)), then min(pg, c·|A_w|) with the dual clip
//   ℓ   = pg + β·k_t (KL in the loss) − c_H·H_t
//   contribution = m_t·ℓ / normaliser (token-mean: Σm over the batch; seq-mean-token-mean: N·|o_i|;
//                  seq-mean-token-sum: N; seq-mean-token-sum-norm: N·max_completion_length)
//
// The contributions of every token of the batch sum to the step's loss (tokenExplanation.test.ts checks
// it against the trainer), so each number the inspector shows is the one that was trained on.
import { K3_LOG_RATIO_CLAMP, K3_VALUE_CLAMP } from './kl';
import type { LossSettings, SampleLossDetail } from './metrics';
import { LOG_RATIO_CLAMP } from './policyLoss';

/** Where the token's ratio sits: inside the trust region, clipped below (A < 0), above (A > 0), or
 *  capped by the dual clip (A < 0, ρ large). Same tests as the step's clip_ratio metrics. */
export type ClipRegion = 'none' | 'low' | 'high' | 'dual';

export interface TokenExplanation {
  oldLogProb: number;
  logProb: number;
  refLogProb: number;
  ratio: number;
  /** A before, λ± applied to it, and after. */
  advantage: number;
  weight: number;
  weightedAdvantage: number;
  clippedRatio: number;
  unclippedTerm: number;
  clippedTerm: number;
  region: ClipRegion;
  /** The policy-gradient part of ℓ (after the dual clip, if any). */
  pg: number;
  /** k_t as configured (k1/k2/k3) against the reference, and β·k_t where it enters ℓ (0 otherwise). */
  kl: number;
  klTerm: number;
  entropy: number;
  /** −c_H·H_t. */
  entropyTerm: number;
  /** ℓ_t = pg + klTerm + entropyTerm. */
  loss: number;
  /** ℓ_t as the device computed it. */
  deviceLoss: number;
  /** m_t: 0 when the row is masked out of the loss. */
  mask: number;
  normaliser: number;
  /** What the normaliser counts, in words. */
  normaliserLabel: string;
  /** m_t·ℓ_t / normaliser: this token's share of the step's loss. */
  contribution: number;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);

/** k1, k2 or k3 of d = logπ − logπ_ref, with verl's clamps on k3 (kl.ts). */
export function klEstimate(logp: number, refLogp: number, estimator: LossSettings['klEstimator']): number {
  const d = logp - refLogp;
  if (estimator === 'k1') return d;
  if (estimator === 'k2') return 0.5 * d * d;
  const u = clamp(-d, -K3_LOG_RATIO_CLAMP, K3_LOG_RATIO_CLAMP);
  return clamp(Math.exp(u) - u - 1, -K3_VALUE_CLAMP, K3_VALUE_CLAMP);
}

/** The aggregation's divisor for a token of a row with `rowTokens` loss tokens, and what it counts. */
export function lossNormaliser(s: LossSettings, rowTokens: number): { value: number; label: string } {
  switch (s.aggregation) {
    case 'token-mean':
      return { value: Math.max(s.batchTokens, 1), label: `${s.batchTokens} tokens in the batch` };
    case 'seq-mean-token-mean':
      return { value: s.batchSequences * Math.max(rowTokens, 1), label: `${s.batchSequences} sequences × ${rowTokens} tokens in this one` };
    case 'seq-mean-token-sum':
      return { value: s.batchSequences, label: `${s.batchSequences} sequences` };
    case 'seq-mean-token-sum-norm':
      return { value: s.batchSequences * s.maxCompletionLength, label: `${s.batchSequences} sequences × ${s.maxCompletionLength} (answer budget)` };
  }
}

/** Token t of a sample's detail, explained. */
export function explainToken(detail: SampleLossDetail, t: number): TokenExplanation {
  const s = detail.settings;
  const oldLogProb = detail.oldLogProbs[t];
  const logProb = detail.logProbs[t];
  const refLogProb = detail.refLogProbs[t];
  const advantage = detail.advantages[t];
  const ratio = Math.exp(clamp(logProb - oldLogProb, -LOG_RATIO_CLAMP, LOG_RATIO_CLAMP));
  const weight = advantage > 0 ? s.positiveWeight : advantage < 0 ? s.negativeWeight : 1;
  const weightedAdvantage = weight * advantage;
  const clippedRatio = clamp(ratio, 1 - s.clipLow, 1 + s.clipHigh);
  const unclippedTerm = -weightedAdvantage * ratio;
  const clippedTerm = -weightedAdvantage * clippedRatio;
  let pg = Math.max(unclippedTerm, clippedTerm);
  let region: ClipRegion = advantage < 0 && ratio < 1 - s.clipLow ? 'low' : advantage > 0 && ratio > 1 + s.clipHigh ? 'high' : 'none';
  if (s.dualClip !== null && pg > s.dualClip * Math.abs(weightedAdvantage)) {
    pg = s.dualClip * Math.abs(weightedAdvantage);
    region = 'dual';
  }
  const kl = klEstimate(logProb, refLogProb, s.klEstimator);
  const klTerm = s.klPlacement === 'loss' ? s.klCoef * kl : 0;
  const entropy = detail.entropies[t];
  const entropyTerm = s.entropyCoef !== 0 ? -s.entropyCoef * entropy : 0;
  const loss = pg + klTerm + entropyTerm;
  const mask = detail.counted ? 1 : 0;
  const normaliser = lossNormaliser(s, detail.counted ? detail.logProbs.length : 0);
  return {
    oldLogProb,
    logProb,
    refLogProb,
    ratio,
    advantage,
    weight,
    weightedAdvantage,
    clippedRatio,
    unclippedTerm,
    clippedTerm,
    region,
    pg,
    kl,
    klTerm,
    entropy,
    entropyTerm,
    loss,
    deviceLoss: detail.losses[t],
    mask,
    normaliser: normaliser.value,
    normaliserLabel: normaliser.label,
    contribution: mask === 0 ? 0 : loss / normaliser.value,
  };
}

/** Σ over a sample's tokens of their contributions: its share of the step's loss. */
export function sampleLossShare(detail: SampleLossDetail): number {
  let total = 0;
  for (let t = 0; t < detail.logProbs.length; t++) total += explainToken(detail, t).contribution;
  return total;
}
