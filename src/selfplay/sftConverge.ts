// SFT on a fixed set of pairs until it has converged on them (issue 18): SPIN assumes its starting model
// is an SFT model that has saturated on the SFT data (Chen et al. 2024 start from zephyr-7b-sft-full),
// so SPIN's gain is read against "more SFT would not help". Epoch after epoch over the SAME pairs (a
// fresh shuffle each), until the epoch's mean loss changes by less than `tolerance` (relative) or by less
// than `minDelta` nats from the epoch before, or `maxEpochs` is reached. The absolute rule is there because
// a model memorising a few pairs drives the loss towards 0, where a relative change stays large while
// nothing more is learned (a pilot on 64 addition pairs: 0.19 → 0.005 nats over 40 epochs). A fresh optimiser, freed at the end: the loop that follows
// (SPIN, or its SFT control) brings its own.
import type { GptConfig } from '../model/config';
import type { GptParams } from '../model/params';
import { SftTrainer, type SftExample } from '../model/sft';
import type { Rng } from '../tasks/random';
import { SELFPLAY_ADAMW } from './common';

export interface ConvergeConfig {
  /** Cap on the epochs over the pairs; 0 = no SFT before the loop. */
  maxEpochs: number;
  /** Converged when |loss_e − loss_{e−1}| / loss_{e−1} < tolerance (e.g. 0.02: under 2 % per epoch). */
  tolerance: number;
  /** …or when it changed by less than this many nats (0 = the relative rule only). */
  minDelta?: number;
  lr: number;
  batchSize: number;
}

export interface ConvergeResult {
  epochs: number;
  /** Mean training loss of each epoch. */
  losses: number[];
  /** Stopped by the tolerance rule (false: by the cap, or no epochs at all). */
  converged: boolean;
}

/** Whether the last epoch's loss changed by less than `tolerance` (relative), or by less than
 *  `minDelta` (absolute), from the one before. */
export function hasConverged(losses: readonly number[], tolerance: number, minDelta = 0): boolean {
  if (losses.length < 2) return false;
  const prev = losses[losses.length - 2];
  const change = Math.abs(losses[losses.length - 1] - prev);
  return change / Math.max(Math.abs(prev), 1e-12) < tolerance || change < minDelta;
}

/** SFT on `pairs` epoch by epoch until hasConverged or the cap. */
export async function sftUntilConverged(
  modelConfig: GptConfig,
  params: GptParams,
  pairs: readonly SftExample[],
  c: ConvergeConfig,
  rng: Rng,
): Promise<ConvergeResult> {
  const losses: number[] = [];
  if (c.maxEpochs <= 0 || pairs.length === 0) return { epochs: 0, losses, converged: false };
  const sft = new SftTrainer(modelConfig, params, { ...SELFPLAY_ADAMW, lr: c.lr });
  try {
    for (let epoch = 0; epoch < c.maxEpochs; epoch++) {
      const order = rng.shuffle(pairs.map((_, i) => i));
      let sum = 0;
      let batches = 0;
      for (let start = 0; start < order.length; start += c.batchSize) {
        sum += (await sft.step(order.slice(start, start + c.batchSize).map((i) => pairs[i]))).loss;
        batches++;
      }
      losses.push(sum / batches);
      if (hasConverged(losses, c.tolerance, c.minDelta ?? 0)) return { epochs: losses.length, losses, converged: true };
    }
    return { epochs: losses.length, losses, converged: false };
  } finally {
    sft.dispose();
  }
}
