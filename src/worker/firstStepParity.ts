// One experiment's first step, recorded in Node (npm run train, CPU backend) and compared with the same
// experiment in the page's training worker (WebGPU): same seed, same run builder, same session, so the
// same prompts, arms, sampled tokens and rewards; floats agree to the backends' rounding. Used by
// scripts/trainScript.test.ts (which writes the fixture with UPDATE_FIXTURES=1) and
// src/worker/nodeParity.gpu.test.ts. Not a test file itself: both sides import it.
import type { CurriculumState } from '../curriculum';
import type { StepMetrics } from '../rl/metrics';

/** The parts of a step that must agree: exact ones (counts, rewards) and floats (to a tolerance). */
export interface FirstStep {
  exact: {
    reward: number;
    reward_trained: number | undefined;
    rewards: Record<string, number>;
    frac_reward_zero_std: number;
    completions: StepMetrics['completions'];
    num_tokens: number;
    armSamples: Record<string, { samples: number; reward: number }>;
  };
  floats: { entropy: number; loss: number; k3: number; grad_norm: number; armProbabilities: Record<string, number> };
}

export function firstStepView(m: StepMetrics, curriculum: CurriculumState | null | undefined): FirstStep {
  return {
    exact: {
      reward: m.reward,
      reward_trained: m.reward_trained,
      rewards: m.rewards,
      frac_reward_zero_std: m.frac_reward_zero_std,
      completions: m.completions,
      num_tokens: m.num_tokens,
      armSamples: Object.fromEntries(Object.entries(m.arms).map(([arm, a]) => [arm, { samples: a.samples, reward: a.reward }])),
    },
    floats: {
      entropy: m.entropy,
      loss: m.loss,
      k3: m.kl.k3,
      grad_norm: m.grad_norm,
      armProbabilities: Object.fromEntries((curriculum?.arms ?? []).map((a) => [a.id, a.probability])),
    },
  };
}

/** Differences beyond tolerance, in words (empty: the steps agree). */
export function firstStepDifferences(actual: FirstStep, expected: FirstStep, relTol: number): string[] {
  const out: string[] = [];
  if (JSON.stringify(actual.exact) !== JSON.stringify(expected.exact)) out.push(`exact parts differ: ${JSON.stringify(actual.exact)} vs ${JSON.stringify(expected.exact)}`);
  const close = (a: number, e: number) => Math.abs(a - e) <= relTol * Math.max(1e-3, Math.abs(e));
  for (const key of ['entropy', 'loss', 'k3', 'grad_norm'] as const) {
    if (!close(actual.floats[key], expected.floats[key])) out.push(`${key}: ${actual.floats[key]} vs ${expected.floats[key]}`);
  }
  for (const [arm, p] of Object.entries(expected.floats.armProbabilities)) {
    const a = actual.floats.armProbabilities[arm];
    if (a === undefined || !close(a, p)) out.push(`P(${arm}): ${a} vs ${p}`);
  }
  return out;
}
