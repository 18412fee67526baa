// The per-token numbers behind the sample inspector's "Explain this number". For the first rows of the
// trained batch (the inspected samples, a few groups at most), the tensors the step's loss was computed
// from — logπ_old, logπ, logπ_ref, A, H and the device's ℓ_t — are cut to the completion columns and
// stacked into ONE tensor, which rides along in the step's one metrics readback: no extra readback,
// and a bounded cost (6 × rows × answer budget floats) whatever the batch size.
import { concat, noGrad, reshape, slice, type Tensor } from '../engine';
import type { PackedBatch } from '../model/batch';
import type { LossSettings, SampleLossDetail } from './metrics';
import { klPlacement, type RlConfig } from './trainerConfig';

/** The stacked fields' order in the captured tensor [fields, rows, width]. */
const FIELDS = ['oldLogProbs', 'logProbs', 'refLogProbs', 'advantages', 'entropies', 'losses'] as const;

export interface LossDetailSources {
  /** f32 [N, T] logπ of this pass. */
  logp: Tensor;
  /** f32 [N, T] logπ_old; absent with one pass per batch (then logπ_old is logπ detached). */
  oldLogp?: Tensor;
  refLogp: Tensor;
  advantages: Tensor;
  entropy: Tensor;
  /** f32 [N, T] ℓ_t before the mask and aggregation. */
  perToken: Tensor;
}

/** How many leading rows of the batch get per-token detail: whole groups (the advantage is relative to
 *  the group), at least 8 samples, and never more than the batch. */
export function inspectedRows(batchRows: number, groupSize: number): number {
  return Math.min(batchRows, Math.max(8, groupSize));
}

/**
 * [6, rows, width]: the sources' completion columns of the first `rows` rows. Completion token k of a
 * row is predicted at column promptWidth − 1 + k (packBatch right-aligns prompts at promptWidth).
 */
export function captureLossDetail(src: LossDetailSources, rows: number, packed: PackedBatch, width: number): Tensor {
  return noGrad(() => {
    const list = [src.oldLogp ?? src.logp, src.logp, src.refLogp, src.advantages, src.entropy, src.perToken];
    const stacked = concat(list.map((t) => reshape(t, [1, ...t.shape])), 0);
    return slice(stacked, [0, 0, packed.promptWidth - 1], [list.length, rows, width]);
  });
}

/** The step's loss configuration, with the aggregation's normalisers from the trained batch. */
export function lossSettings(config: RlConfig, packed: PackedBatch): LossSettings {
  const batchTokens = packed.completionMask.reduce((a, m) => a + m, 0);
  return {
    clipLow: config.clipLow,
    clipHigh: config.clipHigh,
    dualClip: config.dualClip,
    positiveWeight: config.positiveWeight,
    negativeWeight: config.negativeWeight,
    entropyCoef: config.entropyCoef,
    klCoef: config.klCoef,
    klEstimator: config.klEstimator,
    klPlacement: klPlacement(config),
    aggregation: config.aggregation,
    ppoEpochs: config.ppoEpochs,
    batchTokens,
    batchSequences: packed.B,
    maxCompletionLength: config.maxNewTokens,
  };
}

export interface UnpackInput {
  /** The captured tensor's values, read back. */
  values: ArrayLike<number>;
  rows: number;
  width: number;
  settings: LossSettings;
  /** Per row: completion tokens, whether the loss counts it, the reward its advantage came from. */
  lengths: number[];
  counted: boolean[];
  shapedRewards: number[];
}

/** Per inspected row, its tokens' numbers (only the row's own completion tokens). */
export function unpackLossDetail(x: UnpackInput): SampleLossDetail[] {
  const at = (field: number, row: number, len: number) => {
    const start = (field * x.rows + row) * x.width;
    return Array.from({ length: len }, (_, k) => x.values[start + k]);
  };
  return Array.from({ length: x.rows }, (_, row) => {
    const len = Math.min(x.lengths[row], x.width);
    const fields = Object.fromEntries(FIELDS.map((name, f) => [name, at(f, row, len)])) as Record<(typeof FIELDS)[number], number[]>;
    return { settings: x.settings, ...fields, counted: x.counted[row], shapedReward: x.shapedRewards[row] };
  });
}
