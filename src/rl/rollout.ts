// A rollout: B prompts (arms chosen by the sampler) × G samples from the policy, decoded and scored.
// The reward function and the arm sampler are injected: both live in layers above this one
// (src/rewards, src/curriculum), and tests pass simple ones.
import type { GptConfig } from '../model/config';
import { generate, type GenerateResult } from '../model/generate';
import type { GptParams } from '../model/params';
import type { Rng } from '../tasks/random';
import type { Problem, Task } from '../tasks/task';
import { decodeCompletion, encodePrompt } from '../tasks/tokenizer';
import type { RewardFunction, RewardSample } from './reward';
import { scoreWithTruncation, type TruncationPolicy } from './truncation';

export type { RewardBatch, RewardFunction, RewardSample } from './reward';

/** Which arm each prompt of the next batch comes from, and what the sampler learns after the step. */
export interface ArmSampler {
  chooseArms(count: number, rng: Rng): string[];
  /** advantage: the sample's token-mean A; absAdvantage: its token-mean |A| (0 for generated samples
   *  that were not trained on, e.g. groups the difficulty filter removed). */
  update?(samples: { arm: string; reward: number; advantage: number; absAdvantage?: number }[]): void;
}

export function uniformArms(arms: readonly string[]): ArmSampler {
  if (arms.length === 0) throw new Error('uniformArms: no arms to sample from.');
  return { chooseArms: (count, rng) => Array.from({ length: count }, () => rng.pick(arms)) };
}

/** The task's verifier as the reward: correctness (binary), with its components for the metrics. */
export function verifierReward(task: Task): RewardFunction {
  return async (samples) => {
    const rewards: number[] = [];
    const components: Record<string, number>[] = [];
    for (const s of samples) {
      const r = task.verify(s.problem, s.completion);
      rewards.push(r.reward);
      const c: Record<string, number> = {};
      for (const [k, v] of Object.entries(r.components)) if (typeof v === 'number') c[k] = v;
      components.push(c);
    }
    return { rewards, components };
  };
}

export interface Rollout {
  problems: Problem[];
  /** Prompt ids (BOS included), one per prompt. */
  prompts: number[][];
  generation: GenerateResult;
  /** Row r's completion ids (EOS included if it stopped). */
  completionIds: number[][];
  samples: RewardSample[];
  rewards: number[];
  components: Record<string, number>[];
}

export interface RolloutOptions {
  samplesPerPrompt: number;
  /** The answer budget: new tokens per row, EOS included. */
  maxNewTokens: number;
  /** How completions that hit the budget without EOS are scored (default 'wrong'). */
  truncation?: TruncationPolicy;
  /** The task's longest valid answer, for the soft overlong ramp (default: the longest reference answer
   *  of this batch's problems). */
  longestAnswer?: number;
  temperature: number;
  topK: number;
  topP: number;
  seed: number;
}

export async function rollout(
  config: GptConfig,
  params: GptParams,
  problems: Problem[],
  reward: RewardFunction,
  o: RolloutOptions,
): Promise<Rollout> {
  const prompts = problems.map((p) => encodePrompt(p.prompt));
  const generation = await generate(config, params, prompts, o);
  const T = generation.maxNewTokens;
  const completionIds: number[][] = [];
  const samples: RewardSample[] = [];
  for (let row = 0; row < generation.rows; row++) {
    const ids = Array.from(generation.tokens.subarray(row * T, row * T + generation.lengths[row]));
    completionIds.push(ids);
    samples.push({
      problem: problems[Math.floor(row / o.samplesPerPrompt)],
      completion: decodeCompletion(ids),
      length: generation.lengths[row],
      stopped: generation.stopped[row] === 1,
    });
  }
  const longestAnswer = Math.max(...problems.map((p) => p.answer.length));
  const scored = await scoreWithTruncation(samples, reward, o.truncation ?? 'wrong', { budget: T, longestAnswer: o.longestAnswer ?? longestAnswer });
  return { problems, prompts, generation, completionIds, samples, rewards: scored.rewards, components: scored.components };
}
