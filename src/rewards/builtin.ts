// The built-in reward: a weighted sum of the task verifier's components plus length shaping terms.
// The verifier's own `reward` is binary correctness; turning components into a scalar is this layer's
// job, so an experiment can weight format, partial credit or length without touching a task.
import type { RewardFunction } from '../rl/rollout';
import { getTask } from '../tasks/registry';
import type { Problem, Task } from '../tasks/task';
import { dapoOverlongPenalty, defaultOverlongParams, overlongParamsProblem, type OverlongParams } from './overlong';
import type { BuiltinRewardSpec } from './spec';

export interface ScoredReward {
  /** Σ weight · term: what the advantage estimator sees. */
  reward: number;
  /** Unweighted value of every term (all verifier components, plus lengthPenalty/overlong when the spec names
   * them): the per-component series the metrics plot. */
  components: Record<string, number>;
  /** weight · term of every term with a nonzero weight (sums to `reward`). */
  weighted: Record<string, number>;
  /** The verifier's reason, for the inspector. */
  detail?: string;
}

/** Why the spec cannot be used (non-finite weights, bad overlong parameters), or null. */
export function builtinSpecProblem(spec: BuiltinRewardSpec): string | null {
  for (const [name, weight] of Object.entries(spec.components)) {
    if (weight !== undefined && !Number.isFinite(weight)) return `reward weight ${JSON.stringify(name)} must be a finite number, got ${weight}`;
  }
  return spec.overlong ? overlongParamsProblem(spec.overlong) : null;
}

function overlongParams(spec: BuiltinRewardSpec, task: Task): OverlongParams {
  return spec.overlong ?? defaultOverlongParams(task.maxCompletionLength);
}

/** A coin flip that is the same every time the same completion answers the same prompt (FNV-1a of both,
 *  one bit of its avalanche): a reward independent of whether the answer is right, as in the spurious-
 *  rewards study, yet reproducible run to run. Unlike the study's i.i.d. Bernoulli draw it is one fixed
 *  labelling — the same for every training seed — so a policy can learn which strings pay, and an interval
 *  over seeds does not cover the draw of the labelling. */
export function coinFlip(prompt: string, completion: string): 0 | 1 {
  let h = 0x811c9dc5;
  const text = `${prompt}\u0000${completion}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h & 1) as 0 | 1;
}

/**
 * Scores one completion. `completionTokens` is what the length terms count; by default the completion's
 * length (one character is one token; the trainer passes its own count, e.g. to include EOS or a truncation).
 * Throws only for an invalid spec (see builtinSpecProblem) — never for any completion.
 */
export function scoreBuiltin(
  spec: BuiltinRewardSpec,
  task: Task,
  problem: Problem,
  completion: string,
  completionTokens: number = completion.length,
): ScoredReward {
  const problemText = builtinSpecProblem(spec);
  if (problemText) throw new Error(problemText);
  const verdict = task.verify(problem, completion);

  const components: Record<string, number> = {};
  for (const [name, value] of Object.entries(verdict.components)) {
    if (typeof value === 'number' && Number.isFinite(value)) components[name] = value;
  }
  if (components.partial === undefined && 'partial' in spec.components) components.partial = components.correctness ?? 0;
  if ('lengthPenalty' in spec.components) components.lengthPenalty = -completionTokens;
  if ('overlong' in spec.components) components.overlong = dapoOverlongPenalty(completionTokens, overlongParams(spec, task));
  if (spec.components.coin) components.coin = coinFlip(problem.prompt, completion);

  let reward = 0;
  const weighted: Record<string, number> = {};
  for (const [name, weight] of Object.entries(spec.components)) {
    if (!weight) continue;
    // A component this task's verifier lacks contributes 0 (weights can name task-specific components).
    const term = components[name] ?? 0;
    weighted[name] = weight * term;
    reward += weighted[name];
  }
  return { reward, components, weighted, ...(verdict.detail ? { detail: verdict.detail } : {}) };
}

export interface BuiltinSample {
  problem: Problem;
  completion: string;
  completionTokens?: number;
}

/** Scores a batch (problems of several tasks may share it), in the same shape as the sandbox's outcome. */
export function scoreBuiltinBatch(
  spec: BuiltinRewardSpec,
  samples: readonly BuiltinSample[],
): { rewards: number[]; components: Record<string, number>[]; details: (string | undefined)[] } {
  const problemText = builtinSpecProblem(spec);
  if (problemText) throw new Error(problemText);
  const rewards: number[] = [];
  const components: Record<string, number>[] = [];
  const details: (string | undefined)[] = [];
  for (const { problem, completion, completionTokens } of samples) {
    const scored = scoreBuiltin(spec, getTask(problem.task), problem, completion, completionTokens);
    rewards.push(scored.reward);
    components.push(scored.components);
    details.push(scored.detail);
  }
  return { rewards, components, details };
}

/** Mean of every component over a batch (a component missing from a sample is skipped, not counted as 0). */
export function meanComponents(components: readonly Record<string, number>[]): Record<string, number> {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const row of components) {
    for (const [name, value] of Object.entries(row)) {
      const acc = sums.get(name) ?? { sum: 0, n: 0 };
      acc.sum += value;
      acc.n += 1;
      sums.set(name, acc);
    }
  }
  return Object.fromEntries([...sums].map(([name, { sum, n }]) => [name, sum / n]));
}

/**
 * The built-in reward as the trainer's RewardFunction: each sample scored by `spec`, its length terms
 * counting the completion's tokens (EOS included). Every verifier component is reported (correctness
 * among them), so a shaped or gameable reward still shows the true accuracy beside it.
 */
export function builtinReward(spec: BuiltinRewardSpec): RewardFunction {
  const problemText = builtinSpecProblem(spec);
  if (problemText) throw new Error(problemText);
  return async (samples) => scoreBuiltinBatch(spec, samples.map((s) => ({ problem: s.problem, completion: s.completion, completionTokens: s.length })));
}
