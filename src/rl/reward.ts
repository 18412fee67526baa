// What a reward function sees and returns: the contract between the rollout (rollout.ts), the truncation
// policy (truncation.ts) and the reward layers above (src/rewards). Types only, in their own module so
// that rollout.ts and truncation.ts, which both use them, do not import each other.
import type { Problem } from '../tasks/task';

export interface RewardSample {
  problem: Problem;
  completion: string;
  /** Completion tokens, EOS included when the row stopped. */
  length: number;
  /** The row sampled EOS (false: it ran out of answer budget — "clipped"; such a row is scored by the
   *  run's truncation policy, never by its text: truncation.ts). */
  stopped: boolean;
}

export interface RewardBatch {
  rewards: number[];
  /** Per-sample named components (correctness, format, ...), for per-component metrics. */
  components: Record<string, number>[];
}

/** Scores a batch of samples. May reject (e.g. user code that throws): the trainer then pauses. */
export type RewardFunction = (samples: RewardSample[]) => Promise<RewardBatch>;
