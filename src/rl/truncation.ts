// Completions that ran out of answer budget before EOS. Their text is a cut-off prefix, so it is
// never scored: a truncated "12" of the answer "123" must not earn anything, and a truncated "1" of
// "1" followed by more digits must not be rewarded as right. How they count (docs/rl-reference.md,
// "Answer budget and truncated completions"):
//   'wrong'         reward 0 (format 0, correctness 0), as an overlong answer is — the default;
//   'soft-overlong' DAPO's soft overlong punishment (Yu et al. 2025, eq. 13) with L_max = the budget and
//                   the ramp over the budget's margin beyond the longest valid answer and its EOS
//                   (L_cache = budget − (longest + 1), at least 1): a valid answer is never penalised, a
//                   longer stopped one ramps towards −1, a cut-off one gets −1;
//   'mask'          reward 0 and left out of the loss (TRL's mask_truncated_completions), so the policy
//                   is neither pushed towards nor away from them.
import { dapoOverlongPenalty } from './overlong';
import type { RewardBatch, RewardFunction, RewardSample } from './reward';

/** The policies an experiment may choose (the schema's enum). */
export const TRUNCATION_POLICIES = ['wrong', 'soft-overlong', 'mask'] as const;
/** 'score-text' scores every completion by its text, cut off or not — TRL's default without
 *  mask_truncated_completions. The lab never offers it (a cut-off prefix can look right); it exists for
 *  tests of mechanics unrelated to budgets (random policies rarely stop) and to compare against. */
export type TruncationPolicy = (typeof TRUNCATION_POLICIES)[number] | 'score-text';

/** What a truncated completion scores before any soft-overlong penalty. */
function truncatedComponents(): Record<string, number> {
  return { format: 0, correctness: 0 };
}

/** The L_max / L_cache of the soft overlong punishment for an answer budget (tokens, EOS included) and
 *  the task's longest valid answer (characters, EOS not counted). */
export function softOverlongParams(budget: number, longestAnswer: number): { maxLength: number; cacheLength: number } {
  return { maxLength: budget, cacheLength: Math.min(budget, Math.max(1, budget - (longestAnswer + 1))) };
}

/** The budget the samples were generated with, and the task's longest valid answer (soft-overlong). */
export interface BudgetInfo {
  budget: number;
  longestAnswer: number;
}

/**
 * Scores a batch under a truncation policy: only the completions that stopped reach `reward`; the
 * truncated ones get the policy's score.
 */
export async function scoreWithTruncation(samples: RewardSample[], reward: RewardFunction, policy: TruncationPolicy, info: BudgetInfo): Promise<RewardBatch> {
  const stoppedIndex = samples.flatMap((s, i) => (s.stopped || policy === 'score-text' ? [i] : []));
  const scored = stoppedIndex.length > 0 ? await reward(stoppedIndex.map((i) => samples[i])) : { rewards: [], components: [] };
  if (scored.rewards.length !== stoppedIndex.length) {
    throw new Error(`The reward function returned ${scored.rewards.length} rewards for ${stoppedIndex.length} samples.`);
  }
  const rewards = samples.map(() => 0);
  const components = samples.map(() => truncatedComponents());
  stoppedIndex.forEach((row, j) => {
    rewards[row] = scored.rewards[j];
    components[row] = scored.components[j] ?? {};
  });
  if (policy === 'soft-overlong') {
    const params = softOverlongParams(info.budget, info.longestAnswer);
    samples.forEach((s, i) => {
      // |y|: completion tokens, EOS included; a cut-off completion is past L_max.
      const penalty = s.stopped ? dapoOverlongPenalty(s.length, params) : -1;
      rewards[i] += penalty;
      components[i] = { ...components[i], overlong: penalty };
    });
  }
  return { rewards, components };
}
