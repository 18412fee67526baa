// For the tests of "Explain this number" (Node and WebGPU): rebuilds a step's loss from the inspected
// samples' per-token explanations. Only meaningful when every row of the batch was inspected.
import type { SampleLossDetail, StepResult } from './metrics';
import { explainToken, sampleLossShare, type ClipRegion } from './tokenExplanation';

export interface ExplainedLoss {
  /** Σ of every explained token's contribution: the step's loss when every row is inspected. */
  total: number;
  /** The largest |host ℓ_t − device ℓ_t| / max(1, |device ℓ_t|). */
  worstTokenGap: number;
  regions: Set<ClipRegion>;
  /** Samples without loss detail (should be none). */
  missing: number;
}

export function explainedLoss(result: StepResult): ExplainedLoss {
  const out: ExplainedLoss = { total: 0, worstTokenGap: 0, regions: new Set(), missing: 0 };
  for (const s of result.samples) {
    const d: SampleLossDetail | undefined = s.lossDetail;
    if (!d) {
      out.missing++;
      continue;
    }
    out.total += sampleLossShare(d);
    for (let t = 0; t < d.logProbs.length; t++) {
      const e = explainToken(d, t);
      out.worstTokenGap = Math.max(out.worstTokenGap, Math.abs(e.loss - e.deviceLoss) / Math.max(1, Math.abs(e.deviceLoss)));
      out.regions.add(e.region);
    }
  }
  return out;
}
