// The reward of a run, as the trainer sees it (a RewardFunction), with every failure turned into one
// error type the session recognises: RewardFailedError carries the sentence for the page and, where
// known, the failing sample. The trainer's step rejects before any update, so the run's state is intact.
import type { RewardErrorKind, RewardInput, RewardOutcome } from '../rewards/sandbox/protocol';
import type { RewardFunction, RewardSample } from '../rl/rollout';
import { componentNameProblem, MAX_ABS_REWARD } from '../rewards/sandbox/validate';

export class RewardFailedError extends Error {
  constructor(
    message: string,
    readonly sample?: RewardInput,
    readonly sampleIndex?: number,
    readonly rewardError?: RewardErrorKind,
  ) {
    super(message);
    this.name = 'RewardFailedError';
  }
}

export function toRewardInput(s: RewardSample): RewardInput {
  return { prompt: s.problem.prompt, completion: s.completion, answer: s.problem.answer, task: s.problem.task, arm: s.problem.arm };
}

/** What the worker needs of the reward sandbox host (src/rewards/sandbox): one batch in, one outcome out. */
export interface CodeRewardRunner {
  evaluate(code: string, samples: RewardInput[]): Promise<RewardOutcome>;
  dispose?(): void;
}

/** User code as a reward: `code()` is read per batch, so a fix made while paused applies on resume. */
export function codeReward(runner: CodeRewardRunner, code: () => string): RewardFunction {
  return async (samples) => {
    const outcome = await runner.evaluate(code(), samples.map(toRewardInput));
    if (!outcome.ok) {
      const { error } = outcome;
      throw new RewardFailedError(error.message, error.sample, error.sampleIndex, error.kind);
    }
    return { rewards: outcome.rewards, components: outcome.components };
  };
}

/** Wraps a reward function: rejections and malformed results become RewardFailedError. */
export function guardReward(reward: RewardFunction): RewardFunction {
  return async (samples) => {
    let result: Awaited<ReturnType<RewardFunction>>;
    try {
      result = await reward(samples);
    } catch (e) {
      if (e instanceof RewardFailedError) throw e;
      throw new RewardFailedError(`The reward function failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!result || !Array.isArray(result.rewards) || result.rewards.length !== samples.length) {
      throw new RewardFailedError(`The reward function returned ${result?.rewards?.length ?? 'no'} rewards for ${samples.length} samples.`);
    }
    const bad = result.rewards.findIndex((r) => typeof r !== 'number' || !Number.isFinite(r));
    if (bad >= 0) {
      throw new RewardFailedError(`The reward function returned ${String(result.rewards[bad])} for sample ${bad}; rewards must be finite numbers.`, toRewardInput(samples[bad]), bad, 'invalid');
    }
    const huge = result.rewards.findIndex((r) => Math.abs(r) > MAX_ABS_REWARD);
    if (huge >= 0) {
      throw new RewardFailedError(
        `The reward function returned ${result.rewards[huge]} for sample ${huge}, which is too large: rewards must lie within ±${MAX_ABS_REWARD} (larger values overflow the advantages and the loss).`,
        toRewardInput(samples[huge]),
        huge,
        'invalid',
      );
    }
    const components = Array.isArray(result.components) && result.components.length === samples.length ? result.components : samples.map(() => ({}));
    // Component names become metric series: one an object already answers to (toString, __proto__ …) is refused.
    for (const c of components) {
      for (const name of Object.keys(c)) {
        const problem = componentNameProblem(name);
        if (problem) throw new RewardFailedError(`The reward function returned ${problem}.`, undefined, undefined, 'invalid');
      }
    }
    return { rewards: result.rewards, components };
  };
}

/** The reward of reward.kind 'code': the sandbox when this build has one, else a reward that fails
 *  with the reason (the run pauses on its first step and says so). */
export function sandboxOrExplain(runner: CodeRewardRunner | null, code: () => string): RewardFunction {
  if (runner) return codeReward(runner, code);
  return async () => {
    throw new RewardFailedError('Reward code needs the reward sandbox, which this build does not have; use the verifier reward.', undefined, undefined, 'crash');
  };
}
