// The train-step benchmarks' reference workload: one rollout batch of the default preset, as the
// trainer would hand it to the optimisation step — B prompts × G samples, addition prompts (1- and
// 2-digit arms, so the longest is `<bos>99+99=`, 7 tokens) right-aligned to 7 columns, completions
// (answer digits, then EOS; some run to the 8-token budget without one) padded to 8 — packed with
// packBatch, with fixed per-sequence advantages (group-normalised, as GRPO gives) and old log-probs
// equal to the current ones (one optimisation pass per batch, the default preset).
//
// Everything every contender needs is built here on the host once, so all three see the same numbers:
// the packed layout, the completion mask, a one-hot of the targets and the additive attention bias
// (causal + key padding) for the two baselines, which have no fused log-prob or masked softmax.
import { packBatch, type PackedBatch } from '../../src/model/batch';
import { createRng } from '../../src/tasks/random';
import { getTask } from '../../src/tasks/registry';
import { EOS_ID, encode, encodePrompt } from '../../src/tasks/tokenizer';
import { MASKED } from '../gptConstants';

export const PROMPT_WIDTH = 7;
export const COMPLETION_WIDTH = 8;

export interface TrainBatch {
  prompts: number;
  samplesPerPrompt: number;
  /** N = prompts × samplesPerPrompt sequences of T = PROMPT_WIDTH + COMPLETION_WIDTH columns. */
  N: number;
  T: number;
  packed: PackedBatch;
  promptTexts: string[];
  completionLengths: number[];
  /** f32 [N]: one advantage per sequence (group-normalised rewards). */
  advantages: Float32Array;
  /** f32 [N*T]: the sequence's advantage at every token (the baselines' layout). */
  tokenAdvantages: Float32Array;
  /** f32 [N*T, vocab]: one-hot of the targets, all-zero rows where there is no target. */
  targetOneHot: Float32Array;
  /** f32 [N, 1, T, T]: 0 where query i may attend key j (j ≤ i and j is a real token), else -1e9. */
  attentionBias: Float32Array;
  /** 1 / max(Σ mask, 1): the token-mean normaliser. */
  invTokenCount: number;
  completionTokens: number;
}

export function makeTrainBatch(prompts: number, samplesPerPrompt: number, vocab: number, seed = 7): TrainBatch {
  const task = getTask('addition');
  const rng = createRng(seed);
  const promptTexts: string[] = [];
  const rowPrompts: number[][] = [];
  const completions: number[][] = [];
  const advantages = new Float32Array(prompts * samplesPerPrompt);
  for (let b = 0; b < prompts; b++) {
    const problem = task.generate(rng.pick(['d1', 'd2']), rng);
    promptTexts.push(problem.prompt);
    const rewards: number[] = [];
    for (let g = 0; g < samplesPerPrompt; g++) {
      rowPrompts.push(encodePrompt(problem.prompt));
      // A sampled answer: right half the time; a random digit string otherwise, now and then without EOS.
      const right = rng.nextFloat() < 0.5;
      const digits = right ? problem.answer : String(rng.nextInt(0, 10 ** rng.nextInt(1, 4) - 1));
      const ids = encode(digits);
      const stops = right || rng.nextFloat() < 0.8;
      const completion = stops ? [...ids, EOS_ID] : [...ids, ...encode('0000000')].slice(0, COMPLETION_WIDTH);
      completions.push(completion.slice(0, COMPLETION_WIDTH));
      rewards.push(right ? 1 : 0);
    }
    const mean = rewards.reduce((a, r) => a + r, 0) / samplesPerPrompt;
    const std = Math.sqrt(rewards.reduce((a, r) => a + (r - mean) ** 2, 0) / Math.max(samplesPerPrompt - 1, 1));
    rewards.forEach((r, g) => (advantages[b * samplesPerPrompt + g] = (r - mean) / (std + 1e-4)));
  }
  const packed = packBatch(rowPrompts, completions, PROMPT_WIDTH, COMPLETION_WIDTH);
  const N = packed.B;
  const T = packed.T;
  const tokenAdvantages = new Float32Array(N * T);
  const targetOneHot = new Float32Array(N * T * vocab);
  const attentionBias = new Float32Array(N * T * T);
  let count = 0;
  for (let r = 0; r < N; r++) {
    for (let i = 0; i < T; i++) {
      const at = r * T + i;
      tokenAdvantages[at] = advantages[r];
      if (packed.targets[at] >= 0) targetOneHot[at * vocab + packed.targets[at]] = 1;
      count += packed.completionMask[at];
      for (let j = 0; j < T; j++) attentionBias[(r * T + i) * T + j] = j <= i && packed.keyMask[r * T + j] > 0 ? 0 : MASKED;
    }
  }
  return {
    prompts,
    samplesPerPrompt,
    N,
    T,
    packed,
    promptTexts,
    completionLengths: completions.map((c) => c.length),
    advantages,
    tokenAdvantages,
    targetOneHot,
    attentionBias,
    invTokenCount: 1 / Math.max(count, 1),
    completionTokens: count,
  };
}

/** Model FLOPs of one forward pass over the batch (multiply-adds × 2): the matmuls of every layer
 *  (q, k, v, o: 4·2·M·D²; MLP: 2·2·M·D·F), attention (q·kᵀ and att·v: 2·2·N·T²·D) and the tied head
 *  (2·M·D·V), M = N·T tokens. Element-wise work, LayerNorm and softmax are not counted. */
export function forwardFlops(c: { nLayers: number; dModel: number; mlpRatio: number; vocabSize: number }, N: number, T: number): number {
  const M = N * T;
  const D = c.dModel;
  const F = D * c.mlpRatio;
  const perLayer = 8 * M * D * D + 4 * M * D * F + 4 * N * T * T * D;
  return c.nLayers * perLayer + 2 * M * D * c.vocabSize;
}
