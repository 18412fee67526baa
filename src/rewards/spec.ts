// How an experiment says what its reward is: built-in verifier terms with weights, or user-written code
// that runs in the reward sandbox (./sandbox). The zod schema in src/experiment mirrors these types.
import type { OverlongParams } from './overlong';

/**
 * Weight of each term of the built-in reward; an absent key weighs 0. The reward is Σ weight · term:
 *   correctness    1 when the completion is right (the task's verifier)
 *   format         1 when it has the expected shape
 *   partial        partial credit in [0, 1]; tasks without one use correctness (full credit iff right)
 *   lengthPenalty  −(completion tokens): the weight is the penalty per token (0.01 → −0.01 per token)
 *   overlong       DAPO's soft overlong punishment in [−1, 0] (see overlong.ts)
 *   coin           a coin flip, 0 or 1, fixed by a hash of the prompt and the completion: a reward that says
 *                  nothing about correctness (the spurious-rewards study; see builtin.ts coinFlip)
 * Any other name weighs the task verifier's component of that name (0 for tasks that lack it).
 */
export interface BuiltinWeights {
  correctness?: number;
  format?: number;
  partial?: number;
  lengthPenalty?: number;
  overlong?: number;
  coin?: number;
  [component: string]: number | undefined;
}

export interface BuiltinRewardSpec {
  kind: 'builtin';
  components: BuiltinWeights;
  /** L_max and L_cache of the overlong term; default: L_max = the task's maxCompletionLength, L_cache = L_max / 4. */
  overlong?: OverlongParams;
}

export interface CodeRewardSpec {
  kind: 'code';
  /** JavaScript defining `function reward({ prompt, completion, answer, task, arm })`. */
  code: string;
  /** Budget of one batch in the sandbox, in ms (default DEFAULT_REWARD_TIMEOUT_MS). */
  timeoutMs?: number;
}

export type RewardSpec = BuiltinRewardSpec | CodeRewardSpec;

/** The plain verifiable reward: 1 for a right answer, 0 otherwise. */
export const DEFAULT_REWARD_SPEC: BuiltinRewardSpec = { kind: 'builtin', components: { correctness: 1 } };

/** Per-batch budget of user reward code: generous for JS over a few hundred short strings. */
export const DEFAULT_REWARD_TIMEOUT_MS = 2_000;
