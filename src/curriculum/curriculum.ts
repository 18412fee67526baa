// The curriculum interface, its config (a discriminated union the experiment schema mirrors), the
// parameter ranges, and the factory. A curriculum is an ArmSampler (the trainer's interface,
// src/rl/rollout.ts) that also reports its per-arm state for the live views. It counts steps itself:
// every update() call is one step. chooseArms may be called several times per step (dynamic sampling,
// over-sampling) without advancing anything but the per-arm `chosen` counters.
import type { ArmSampler } from '../rl/rollout';
import type { Rng } from '../tasks/random';
import type { TaskArm } from '../tasks/task';
import { AlpCurriculum } from './alp';
import { CyclicalCurriculum } from './cyclical';
import { DumpCurriculum } from './dump';
import { EasyToHardCurriculum } from './easyToHard';
import { FixedOrderCurriculum } from './fixedOrder';
import { MixtureCurriculum } from './mixture';
import { SecCurriculum } from './sec';
import { UniformCurriculum } from './uniform';

export { DISPLAY_WINDOW } from './base';

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
  /** SEC: Q_c ← (1−α)Q_c + α·r_c for every arm (r = mean |A| of its samples this step, 0 if none); p = softmax(Q/τ). */
  | { kind: 'sec'; alpha?: number; tau?: number }
  /** Absolute learning progress: |fast EMA − slow EMA| of each arm's accuracy; p ∝ ALP, ε-mixed with uniform. */
  | { kind: 'alp'; fastRate?: number; slowRate?: number; epsilon?: number };

export type CurriculumKind = CurriculumConfig['kind'];

export const CURRICULUM_KINDS = ['uniform', 'mixture', 'fixed-order', 'easy-to-hard', 'cyclical', 'dump', 'sec', 'alp'] as const satisfies readonly CurriculumKind[];

export interface ParamRange {
  min: number;
  max: number;
  default: number;
  integer: boolean;
  /** When true, min itself is not allowed (e.g. a temperature of 0). */
  exclusiveMin?: boolean;
}

/**
 * The numeric parameters, their ranges and defaults — the zod schema mirrors these. createCurriculum
 * throws a RangeError for a value outside them (the schema clamps links into them first).
 * Mixture weights: each in [0, MIXTURE_WEIGHT_MAX], at least one > 0, keys must be arm ids.
 */
export const CURRICULUM_PARAMS = {
  'fixed-order': { stepsPerArm: { min: 1, max: 100_000, default: 50, integer: true } },
  'easy-to-hard': { totalSteps: { min: 1, max: 100_000, default: 200, integer: true } },
  cyclical: { period: { min: 1, max: 100_000, default: 60, integer: true } },
  dump: {
    window: { min: 1, max: 10_000, default: 300, integer: true },
    temperature: { min: 0, max: 10, default: 0.1, integer: false, exclusiveMin: true },
  },
  sec: {
    alpha: { min: 0, max: 1, default: 0.1, integer: false, exclusiveMin: true },
    tau: { min: 0, max: 100, default: 1, integer: false, exclusiveMin: true },
  },
  alp: {
    fastRate: { min: 0, max: 1, default: 0.3, integer: false, exclusiveMin: true },
    slowRate: { min: 0, max: 1, default: 0.05, integer: false, exclusiveMin: true },
    epsilon: { min: 0, max: 1, default: 0.2, integer: false },
  },
} as const satisfies Record<string, Record<string, ParamRange>>;

export const MIXTURE_WEIGHT_MAX = 1000;

/** The parameter's value, or its default; throws a RangeError naming it when out of range. */
export function param(kind: string, name: string, value: number | undefined, range: ParamRange): number {
  const v = value ?? range.default;
  const low = range.exclusiveMin ? v <= range.min : v < range.min;
  if (typeof v !== 'number' || !Number.isFinite(v) || low || v > range.max || (range.integer && !Number.isInteger(v))) {
    const lo = range.exclusiveMin ? `(${range.min}` : `[${range.min}`;
    throw new RangeError(`curriculum ${kind}: ${name} must be ${range.integer ? 'an integer ' : ''}in ${lo}, ${range.max}], got ${v}`);
  }
  return v;
}

export interface ArmInfo {
  id: string;
  level: number;
}

export function normaliseArms(arms: readonly CurriculumArm[]): ArmInfo[] {
  if (arms.length === 0) throw new Error('curriculum: no arms to sample from.');
  const out = arms.map((a, i) => (typeof a === 'string' ? { id: a, level: i + 1 } : { id: a.id, level: a.level ?? i + 1 }));
  const seen = new Set<string>();
  for (const a of out) {
    if (seen.has(a.id)) throw new Error(`curriculum: arm ${JSON.stringify(a.id)} is listed twice.`);
    seen.add(a.id);
  }
  return out;
}

/** Builds the curriculum a config describes over the run's training arms (in the given order). */
export function createCurriculum(config: CurriculumConfig, arms: readonly CurriculumArm[]): Curriculum {
  const list = normaliseArms(arms);
  const P = CURRICULUM_PARAMS;
  switch (config.kind) {
    case 'uniform':
      return new UniformCurriculum(list);
    case 'mixture':
      return new MixtureCurriculum(list, config.weights);
    case 'fixed-order':
      return new FixedOrderCurriculum(list, param('fixed-order', 'stepsPerArm', config.stepsPerArm, P['fixed-order'].stepsPerArm));
    case 'easy-to-hard':
      return new EasyToHardCurriculum(list, param('easy-to-hard', 'totalSteps', config.totalSteps, P['easy-to-hard'].totalSteps));
    case 'cyclical':
      return new CyclicalCurriculum(list, param('cyclical', 'period', config.period, P.cyclical.period));
    case 'dump':
      return new DumpCurriculum(list, {
        window: param('dump', 'window', config.window, P.dump.window),
        temperature: param('dump', 'temperature', config.temperature, P.dump.temperature),
      });
    case 'sec':
      return new SecCurriculum(list, {
        alpha: param('sec', 'alpha', config.alpha, P.sec.alpha),
        tau: param('sec', 'tau', config.tau, P.sec.tau),
      });
    case 'alp':
      return new AlpCurriculum(list, {
        fastRate: param('alp', 'fastRate', config.fastRate, P.alp.fastRate),
        slowRate: param('alp', 'slowRate', config.slowRate, P.alp.slowRate),
        epsilon: param('alp', 'epsilon', config.epsilon, P.alp.epsilon),
      });
    default: {
      const unknown: never = config;
      throw new Error(`curriculum: unknown kind ${JSON.stringify((unknown as { kind: unknown }).kind)}`);
    }
  }
}
