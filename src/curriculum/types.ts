// The curriculum interface and its config: what the factory (curriculum.ts), the samplers (one per
// file) and their users share. Types only (and the list of kinds), so that a sampler can import them
// without importing the factory that imports the sampler.
import type { ArmSampler } from '../rl/rollout';
import type { Rng } from '../tasks/random';
import type { TaskArm } from '../tasks/task';

/** What update() receives per sample: the trainer's `{arm, reward, advantage}` (advantage = the
 *  sample's token-mean advantage), optionally with the token-mean of |A| when it differs. */
export interface CurriculumSample {
  arm: string;
  reward: number;
  advantage: number;
  /** Token-mean |A|. Absent: |advantage| is used (exact when A is constant over the sample's tokens,
   *  as for every outcome-reward estimator: GRPO, RLOO, Dr. GRPO, REINFORCE++ without token KL). */
  absAdvantage?: number;
}

/** What a sampler needs to know of an arm. A bare string is an arm whose level is its list position. */
export type CurriculumArm = string | Pick<TaskArm, 'id'> & Partial<Pick<TaskArm, 'level'>>;

/** Which quantity `score` holds: DUMP's UCB, SEC's Q value, ALP's learning progress, a mixture weight. */
export type ScoreLabel = 'UCB' | 'Q' | 'ALP' | 'weight';

export interface ArmState {
  id: string;
  level: number;
  /** Probability that the next prompt comes from this arm. */
  probability: number;
  /** The curriculum's score for the arm (see CurriculumState.scoreLabel); null where it keeps none. */
  score: number | null;
  /** Mean |Â| over the arm's recent samples (the window); null before its first sample. */
  meanAbsAdvantage: number | null;
  /** Mean reward over the arm's recent samples (binary verifier: accuracy); null before its first. */
  accuracy: number | null;
  /** Samples (completions) of the arm seen by update(), all time. */
  samples: number;
  /** Prompts chooseArms has drawn from the arm, all time (over-sampling included). */
  chosen: number;
}

export interface CurriculumState {
  kind: CurriculumKind;
  name: string;
  /** Steps seen (update() calls). */
  step: number;
  scoreLabel: ScoreLabel | null;
  /** Samples per arm that meanAbsAdvantage and accuracy average over. */
  window: number;
  arms: ArmState[];
}

export interface Curriculum extends ArmSampler {
  readonly kind: CurriculumKind;
  readonly name: string;
  chooseArms(count: number, rng: Rng): string[];
  update(samples: readonly CurriculumSample[]): void;
  state(): CurriculumState;
}

export type CurriculumConfig =
  /** Every arm equally likely (the trainer's default; draws exactly as uniformArms does). */
  | { kind: 'uniform' }
  /** Fixed probabilities ∝ weights[armId]; arms left out get 0. */
  | { kind: 'mixture'; weights: Record<string, number> }
  /** The arms in the given order, stepsPerArm steps each, then the last one for good. */
  | { kind: 'fixed-order'; stepsPerArm?: number }
  /** Arms sorted by level; a target level slides linearly from easiest (step 0) to hardest (step
   *  totalSteps), its probability split between the two neighbouring arms. */
  | { kind: 'easy-to-hard'; totalSteps?: number }
  /** Arms sorted by level, each in turn, a full easy→hard pass every `period` steps, repeated. */
  | { kind: 'cyclical'; period?: number }
  /** DUMP: UCB over mean |Â| of the arm's last `window` samples; p = softmax(UCB / temperature). */
  | { kind: 'dump'; window?: number; temperature?: number }
  /** SEC: Q_c ← (1−α)Q_c + α·r_c (r = mean |A| of its samples this step); p = softmax(Q/τ). update 'all'
   *  (default): every arm each step, r = 0 if not drawn; 'drawn': only the arms drawn this step. */
  | { kind: 'sec'; alpha?: number; tau?: number; update?: 'all' | 'drawn' }
  /** Absolute learning progress: |fast EMA − slow EMA| of each arm's accuracy; p ∝ ALP, ε-mixed with uniform. */
  | { kind: 'alp'; fastRate?: number; slowRate?: number; epsilon?: number };

export type CurriculumKind = CurriculumConfig['kind'];

export const CURRICULUM_KINDS = ['uniform', 'mixture', 'fixed-order', 'easy-to-hard', 'cyclical', 'dump', 'sec', 'alp'] as const satisfies readonly CurriculumKind[];

export interface ArmInfo {
  id: string;
  level: number;
}
