// What the self-play loops share: seeded streams, a policy-gradient step over several separately
// normalised parts (roles), summed completion log-probs (SPIN), a held-out evaluation with a prompt
// prefix (role token), and the small statistics the loops report (distinct ratio, length histogram).
// Everything per-token is engine ops, so the loops run unchanged on the CPU and WebGPU backends.
import {
  AdamW, add, backward, concat, full, logProbs, mul, noGrad, readAll, reshape, scale, sum, tensor, tidy, type AdamWConfig, type Tensor,
} from '../engine';
import { packBatch, type PackedBatch } from '../model/batch';
import type { GptConfig } from '../model/config';
import { gptForward } from '../model/forward';
import { generate } from '../model/generate';
import type { GptParams } from '../model/params';
import { grpoAdvantages } from '../rl/advantages';
import { kValues, meanPassAtK } from '../rl/passAtK';
import { aggregateLoss, maskedTokenMean } from '../rl/aggregation';
import { perTokenPolicyLoss } from '../rl/policyLoss';
import type { Problem, Task } from '../tasks/task';
import { BOS_ID, decodeCompletion, encode } from '../tasks/tokenizer';

/** A u32 mix of (seed, iteration, purpose): one reproducible stream per purpose and iteration (the
 *  trainer's recipe, so a loop's draws do not depend on how many draws another purpose made). */
export function streamSeed(seed: number, iteration: number, purpose: number): number {
  let h = (seed ^ Math.imul(iteration + 1, 0x9e3779b1) ^ Math.imul(purpose + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** AdamW settings of the self-play loops (RlConfig's defaults: β2 0.99, clip 1.0, no decay). */
export const SELFPLAY_ADAMW: Omit<AdamWConfig, 'lr'> = { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 };

/** A prompt (BOS and any role token included) and a completion (EOS included when it stopped). */
export interface Sequence {
  prompt: number[];
  completion: number[];
}

/** Tensors of a packed batch, created in the caller's scope. */
function packedTensors(p: PackedBatch) {
  return {
    ids: tensor(p.ids, [p.B, p.T], 'i32'),
    positions: tensor(p.positions, [p.B, p.T], 'i32'),
    keyMask: tensor(p.keyMask, [p.B, p.T]),
    targets: tensor(p.targets, [p.B * p.T], 'i32'),
  };
}

export function packSequences(rows: Sequence[]): PackedBatch {
  const promptWidth = Math.max(1, ...rows.map((r) => r.prompt.length));
  const completionWidth = Math.max(1, ...rows.map((r) => r.completion.length));
  return packBatch(
    rows.map((r) => r.prompt),
    rows.map((r) => r.completion),
    promptWidth,
    completionWidth,
  );
}

/** Per-token log π [N, T] and entropy [N, T] of a packed batch (logits divided by the temperature). */
export function tokenLogProbs(config: GptConfig, params: GptParams, packed: PackedBatch, temperature = 1): { logp: Tensor; entropy: Tensor } {
  const inputs = packedTensors(packed);
  const logits = gptForward(config, params, inputs);
  const r = logProbs(logits, inputs.targets, temperature > 0 ? temperature : 1);
  return { logp: reshape(r.logp, [packed.B, packed.T]), entropy: reshape(r.entropy, [packed.B, packed.T]) };
}

/** Σ_t log π(y_t | x, y_<t) over each row's completion tokens (EOS included): f32 [N]. Differentiable
 *  through the params (wrap in noGrad for a frozen opponent). Call inside a tidy. */
export function completionLogProbSums(config: GptConfig, params: GptParams, packed: PackedBatch, temperature = 1): Tensor {
  const { logp } = tokenLogProbs(config, params, packed, temperature);
  return sum(mul(logp, tensor(packed.completionMask, [packed.B, packed.T])), 1);
}

/** Summed completion log-probs as host numbers (one readback), in chunks of `chunk` rows. */
export async function readCompletionLogProbSums(config: GptConfig, params: GptParams, rows: Sequence[], chunk = 128, temperature = 1): Promise<Float64Array> {
  const out = new Float64Array(rows.length);
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const sums = tidy(() => noGrad(() => completionLogProbSums(config, params, packSequences(part), temperature)));
    const [values] = await readAll([sums]);
    sums.dispose();
    out.set(values, start);
  }
  return out;
}

/** One role's share of a policy-gradient batch. */
export interface PgPart {
  rows: Sequence[];
  /** One reward per row, group-major (row i of group g at g·groupSize + i). */
  rewards: number[];
  /** Rows normalised together (GRPO's group). rows.length must be a multiple of it. */
  groupSize: number;
  /** Weight of this part's token-mean loss in the sum; default 1. */
  weight?: number;
}

export interface PgStepResult {
  loss: number;
  gradNorm: number;
  /** Token-mean entropy over every part's completion tokens. */
  entropy: number;
  /** No part had reward spread in any group: every advantage is 0, and the optimiser step was skipped. */
  skipped: boolean;
}

/** True when some group of the part has rewards that are not all equal (a non-zero advantage). */
function hasSignal(p: PgPart): boolean {
  for (let g = 0; g < p.rewards.length; g += p.groupSize) {
    const group = p.rewards.slice(g, g + p.groupSize);
    if (group.some((r) => r !== group[0])) return true;
  }
  return false;
}

/**
 * One on-policy policy-gradient update over several parts, each with its own advantage normalisation
 * (the GRPO group advantage of src/rl/advantages, TRL's definition) and its own token-mean loss:
 * loss = Σ_parts weight · token-mean(ℓ). One pass per batch, so ρ ≡ 1 and nothing clips (the clipped
 * loss of src/rl/policyLoss reduces to −A·logπ's gradient). One readback. A batch with no reward spread
 * anywhere is not stepped on (see `skipped`).
 */
export async function policyGradientStep(
  config: GptConfig,
  params: GptParams,
  optimizer: AdamW,
  parts: PgPart[],
  options: { lr: number; temperature: number },
): Promise<PgStepResult> {
  const used = parts.filter((p) => p.rows.length > 0);
  for (const p of used) {
    if (p.rewards.length !== p.rows.length) throw new Error(`policyGradientStep: ${p.rewards.length} rewards for ${p.rows.length} rows.`);
  }
  // Every advantage 0: no gradient. AdamW would still move the weights along its momentum, so the step
  // is skipped instead (e.g. a propose/solve batch in which every proposal is malformed).
  if (!used.some(hasSignal)) return { loss: 0, gradNorm: 0, entropy: 0, skipped: true };
  const rows = used.flatMap((p) => p.rows);
  const packed = packSequences(rows);
  const N = packed.B;
  const T = packed.T;
  // Host masks: part k's completion tokens only.
  const partMasks: Float32Array[] = [];
  let offset = 0;
  for (const p of used) {
    const m = new Float32Array(N * T);
    m.set(packed.completionMask.subarray(offset * T, (offset + p.rows.length) * T), offset * T);
    partMasks.push(m);
    offset += p.rows.length;
  }
  const outputs = tidy(() => {
    const mask = tensor(packed.completionMask, [N, T]);
    const advantages = noGrad(() =>
      concat(
        used.map((p) => grpoAdvantages(p.rewards, p.groupSize, full([p.rows.length, 1], 1))),
        0,
      ),
    );
    const { logp, entropy } = tokenLogProbs(config, params, packed, options.temperature);
    const { perToken } = perTokenPolicyLoss({ logp, advantages, mask });
    let loss: Tensor | null = null;
    used.forEach((p, k) => {
      const partLoss = scale(aggregateLoss(perToken, tensor(partMasks[k], [N, T]), 'token-mean'), p.weight ?? 1);
      loss = loss ? add(loss, partLoss) : partLoss;
    });
    backward(loss!);
    return { loss: loss!, entropy: noGrad(() => maskedTokenMean(entropy, mask)) };
  });
  const { gradNormSquared } = optimizer.update(options.lr);
  const [l, g, e] = await readAll([outputs.loss, gradNormSquared, outputs.entropy]);
  outputs.loss.dispose();
  outputs.entropy.dispose();
  gradNormSquared.dispose();
  return { loss: l[0], gradNorm: Math.sqrt(g[0]), entropy: e[0], skipped: false };
}

/** A policy's samples for a list of prompts: completions decoded, with their token counts. */
export interface Samples {
  /** Row r is prompt floor(r / samplesPerPrompt). */
  completionIds: number[][];
  texts: string[];
  lengths: number[];
  stopped: boolean[];
  /** Token-mean entropy of the sampled completions (full vocabulary, at the sampling temperature). */
  meanEntropy: number;
  /** Per row: mean log π(token) over its completion tokens, at the sampling temperature (the policy's
   *  confidence in what it wrote; 0 for an empty row). */
  meanLogProbs: number[];
}

export async function sample(
  config: GptConfig,
  params: GptParams,
  prompts: number[][],
  o: { samplesPerPrompt: number; maxNewTokens: number; temperature: number; seed: number },
): Promise<Samples> {
  if (prompts.length === 0) return { completionIds: [], texts: [], lengths: [], stopped: [], meanEntropy: 0, meanLogProbs: [] };
  const g = await generate(config, params, prompts, { ...o, topK: 0, topP: 1 });
  const completionIds: number[][] = [];
  const texts: string[] = [];
  const lengths: number[] = [];
  const stopped: boolean[] = [];
  const meanLogProbs: number[] = [];
  let entropySum = 0;
  let tokens = 0;
  for (let r = 0; r < g.rows; r++) {
    const ids = g.completion(r);
    completionIds.push(ids);
    texts.push(decodeCompletion(ids));
    lengths.push(g.lengths[r]);
    stopped.push(g.stopped[r] === 1);
    let logProbSum = 0;
    for (let t = 0; t < g.lengths[r]; t++) {
      entropySum += g.entropies[r * g.maxNewTokens + t];
      logProbSum += g.logProbs[r * g.maxNewTokens + t];
    }
    meanLogProbs.push(g.lengths[r] > 0 ? logProbSum / g.lengths[r] : 0);
    tokens += g.lengths[r];
  }
  return { completionIds, texts, lengths, stopped, meanEntropy: tokens > 0 ? entropySum / tokens : 0, meanLogProbs };
}

/** The held-out evaluation every loop reports: a FIXED set (task.evalSet with a fixed seed) per arm. */
export interface EvalConfig {
  arms: string[];
  /** Held-out prompts per arm. */
  prompts: number;
  /** Samples per prompt at temperature 1: accuracy is their mean correctness (= pass@1). */
  samples: number;
  /** Also greedy accuracy (one more generation per arm). */
  greedy: boolean;
  /** Seed of the held-out set and of the sampling: fixed, so every iteration sees the same prompts. */
  seed: number;
}

export interface HeldOutResult {
  /** Mean correctness of the samples, per arm. */
  accuracy: Record<string, number>;
  /** Mean over arms. */
  mean: number;
  /** Greedy accuracy per arm (absent when not asked for). */
  greedy?: Record<string, number>;
  /** Per arm, pass@k (unbiased estimator) at k = 1, 2, 4 … samples. */
  passAtK: Record<string, Record<string, number>>;
  /** Mean over prompts of (distinct completions / samples): how varied the policy's answers are. */
  diversity: number;
  /** Completion lengths (tokens, EOS included) of every sample. */
  lengths: number[];
  /** Token-mean entropy of the samples. */
  entropy: number;
}

/** The held-out figures a loop's metrics carry (without the per-sample lengths). */
export interface HeldOutSummary {
  accuracy: Record<string, number>;
  mean: number;
  greedy?: Record<string, number>;
}

export function summariseHeldOut(h: HeldOutResult): HeldOutSummary {
  return { accuracy: h.accuracy, mean: h.mean, ...(h.greedy ? { greedy: h.greedy } : {}) };
}

/** The fixed held-out problems of the eval config, arm by arm. */
export function heldOutSet(task: Task, e: EvalConfig): Map<string, Problem[]> {
  return new Map(e.arms.map((arm) => [arm, task.evalSet(arm, e.prompts, e.seed)]));
}

/** Held-out accuracy with a prompt prefix (BOS, or BOS + a role token) before each problem's prompt. */
export async function evaluateHeldOut(config: GptConfig, params: GptParams, task: Task, sets: Map<string, Problem[]>, e: EvalConfig, prefix: number[] = [BOS_ID]): Promise<HeldOutResult> {
  const accuracy: Record<string, number> = {};
  const greedy: Record<string, number> = {};
  const passAtK: Record<string, Record<string, number>> = {};
  let diversity = 0;
  let prompts = 0;
  const lengths: number[] = [];
  let entropy = 0;
  for (const [arm, problems] of sets) {
    const encoded = problems.map((p) => [...prefix, ...encode(p.prompt)]);
    const maxNewTokens = task.maxCompletionLength + 1;
    const s = await sample(config, params, encoded, { samplesPerPrompt: e.samples, maxNewTokens, temperature: 1, seed: e.seed });
    let correct = 0;
    const correctPerPrompt = problems.map((problem, i) => {
      const texts = s.texts.slice(i * e.samples, (i + 1) * e.samples);
      const right = texts.filter((t) => task.verify(problem, t).reward > 0).length;
      correct += right;
      diversity += new Set(texts).size / e.samples;
      prompts++;
      return right;
    });
    passAtK[arm] = Object.fromEntries(kValues(e.samples).map((k) => [String(k), meanPassAtK(correctPerPrompt, e.samples, k)]));
    lengths.push(...s.lengths);
    entropy += s.meanEntropy / sets.size;
    accuracy[arm] = correct / (problems.length * e.samples);
    if (e.greedy) {
      const gs = await sample(config, params, encoded, { samplesPerPrompt: 1, maxNewTokens, temperature: 0, seed: e.seed });
      greedy[arm] = problems.reduce((n, problem, i) => n + (task.verify(problem, gs.texts[i]).reward > 0 ? 1 : 0), 0) / problems.length;
    }
  }
  const values = Object.values(accuracy);
  return {
    accuracy,
    mean: values.reduce((a, b) => a + b, 0) / Math.max(1, values.length),
    ...(e.greedy ? { greedy } : {}),
    passAtK,
    diversity: diversity / Math.max(1, prompts),
    lengths,
    entropy,
  };
}

/** distinct / total (1 for an empty list). */
export function distinctRatio(items: readonly string[]): number {
  return items.length === 0 ? 1 : new Set(items).size / items.length;
}

/** Counts of each length 0..max (index = length; longer values land in the last bin). */
export function lengthHistogram(lengths: readonly number[], max: number): number[] {
  const bins = new Array<number>(max + 1).fill(0);
  for (const l of lengths) bins[Math.max(0, Math.min(max, l))]++;
  return bins;
}

export function meanOf(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Digits of each operand of an `a+b=`-style prompt (every maximal run of digits), or [] if none. */
export function operandDigits(prompt: string): number[] {
  return (prompt.match(/[0-9]+/g) ?? []).map((d) => d.length);
}
