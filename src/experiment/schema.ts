// The experiment config: the single source of truth. Defaults, the UI's fields and ranges, the URL
// codec and the worker all derive from this schema. Every number has a range (links from strangers
// are clamped into it), every choice is an allow-listed enum.
import { z } from 'zod';
import { CURRICULUM_PARAMS, MIXTURE_WEIGHT_MAX, SEC_UPDATE_DEFAULT, SEC_UPDATE_RULES, type CurriculumKind, type NumberParam } from '../curriculum/curriculum';
import { DEFAULT_BAND, OVERSAMPLING_PARAMS } from '../curriculum/filtering';
import { TRAINING_POOL_MAX } from '../tasks/trainingPool';
import { ADVANTAGE_ESTIMATORS } from '../rl/advantages';
import { LOSS_AGGREGATIONS } from '../rl/aggregation';
import { KL_ESTIMATORS } from '../rl/kl';
import { defaultRlConfig } from '../rl/trainerConfig';
import { TRUNCATION_POLICIES } from '../rl/truncation';
import type { LoopParam, LoopParams } from '../selfplay/params';
import { SELFPLAY_LOOP_IDS, SELFPLAY_REGISTRY } from '../selfplay/registry';
import { MAX_COMPLETION_LENGTH, TASK_IDS } from '../tasks/registry';

export const SCHEMA_VERSION = 1;
/** The most replicas one experiment runs (8: a band needs a few, a tab's GPU memory bounds the rest). */
export const MAX_SEEDS = 8;

const int = (min: number, max: number, fallback: number) => z.number().int().min(min).max(max).default(fallback);
const num = (min: number, max: number, fallback: number) => z.number().min(min).max(max).default(fallback);

const d = defaultRlConfig;

/** The largest answer budget a config may ask for: every task's need (its longest answer + EOS) fits,
 *  with room to study what a longer budget does. */
export const MAX_ANSWER_BUDGET = Math.max(32, MAX_COMPLETION_LENGTH + 1);

export const algorithmSchema = z.object({
  promptsPerStep: int(1, 256, d.promptsPerStep),
  samplesPerPrompt: int(1, 64, d.samplesPerPrompt),
  /** The answer budget (new tokens, EOS included); null = the task's own budget (Task.answerBudget),
   *  so changing the task changes it unless the user set a number. Links carry it only when set. */
  maxNewTokens: z.number().int().min(1).max(MAX_ANSWER_BUDGET).nullable().default(null),
  /** How a completion that hits the budget without EOS is scored (src/rl/truncation.ts). */
  truncation: z.enum(TRUNCATION_POLICIES).default('wrong'),
  temperature: num(0, 3, d.temperature),
  topK: int(0, 64, d.topK),
  topP: num(0.01, 1, d.topP),
  estimator: z.enum(ADVANTAGE_ESTIMATORS as unknown as [string, ...string[]]).default(d.estimator),
  rewardScale: z.enum(['group', 'batch', 'none']).default(d.rewardScale),
  clipLow: num(0, 0.99, d.clipLow),
  clipHigh: num(0, 10, d.clipHigh),
  dualClip: z.number().min(1.01).max(100).nullable().default(d.dualClip),
  positiveWeight: num(0, 10, d.positiveWeight),
  negativeWeight: num(0, 10, d.negativeWeight),
  entropyCoef: num(-1, 1, d.entropyCoef),
  klCoef: num(0, 10, d.klCoef),
  klEstimator: z.enum(KL_ESTIMATORS as unknown as [string, ...string[]]).default(d.klEstimator),
  klInReward: z.boolean().default(d.klInReward),
  refResetEvery: int(0, 100000, d.refResetEvery),
  /** A reference reset also resets AdamW's moments (ProRL does both). */
  refResetOptimizer: z.boolean().default(d.refResetOptimizer),
  aggregation: z.enum(LOSS_AGGREGATIONS as unknown as [string, ...string[]]).default(d.aggregation),
  ppoEpochs: int(1, 8, d.ppoEpochs),
  dynamicSampling: z.boolean().default(d.dynamicSampling),
  dynamicSamplingMaxTries: int(1, 10, d.dynamicSamplingMaxTries),
  lr: num(1e-6, 1, d.lr),
  lrSchedule: z.enum(['constant', 'warmup-cosine']).default(d.lrSchedule),
  warmupSteps: int(0, 100000, d.warmupSteps),
  beta1: num(0, 0.9999, d.optimizer.beta1),
  beta2: num(0, 0.99999, d.optimizer.beta2),
  weightDecay: num(0, 1, d.optimizer.weightDecay),
  maxGradNorm: num(0, 1000, d.optimizer.maxGradNorm),
});

/** A numeric parameter from its descriptor (a curriculum's, src/curriculum/params.ts, or a self-play
 *  loop's). An open lower bound (a temperature of 0 is not allowed) becomes a small positive minimum,
 *  so a link can always be clamped into range. */
export function numberParam(range: Pick<NumberParam, 'min' | 'max' | 'default' | 'integer' | 'exclusiveMin'>) {
  const min = range.exclusiveMin ? Math.max(range.min + 1e-3, range.min * 1.001) : range.min;
  const n = range.integer ? z.number().int() : z.number();
  return n.min(min).max(range.max).default(range.default);
}

/** The zod fields of a descriptor's numeric parameters, keyed as the descriptor keys them. */
export function numberParams<P extends Record<string, NumberParam>>(params: P): { [K in keyof P]: ReturnType<typeof numberParam> } {
  return Object.fromEntries(Object.entries(params).map(([key, range]) => [key, numberParam(range)])) as { [K in keyof P]: ReturnType<typeof numberParam> };
}

const P = CURRICULUM_PARAMS;

/** The curriculum: which arm each prompt comes from (src/curriculum), a union on `kind` mirroring
 *  CurriculumConfig; each kind's parameters, ranges and defaults come from its sampler's descriptor. */
export const curriculumSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('uniform') }),
  /** Weights keyed by arm id; arms left out get 0 (restore drops keys that are not arms of the task). */
  z.object({ kind: z.literal('mixture'), weights: z.record(z.string().max(32), z.number().min(0).max(MIXTURE_WEIGHT_MAX)).default({}) }),
  z.object({ kind: z.literal('fixed-order'), ...numberParams(P['fixed-order']) }),
  z.object({ kind: z.literal('easy-to-hard'), ...numberParams(P['easy-to-hard']) }),
  z.object({ kind: z.literal('cyclical'), ...numberParams(P.cyclical) }),
  z.object({ kind: z.literal('dump'), ...numberParams(P.dump) }),
  z.object({ kind: z.literal('sec'), ...numberParams(P.sec), update: z.enum(SEC_UPDATE_RULES).default(SEC_UPDATE_DEFAULT) }),
  z.object({ kind: z.literal('alp'), ...numberParams(P.alp) }),
]);

/** The defaults of a curriculum kind (what choosing it in the panel starts from). */
export function defaultCurriculum(kind: CurriculumKind): CurriculumSettings {
  return curriculumSchema.parse({ kind });
}

const OS = OVERSAMPLING_PARAMS;

/** Online difficulty filtering (src/curriculum/filtering.ts): keep groups whose accuracy is in the band,
 *  over-sampling up to `budget` × B prompts in at most `maxRounds` rounds per step. */
export const filterSchema = z
  .object({
    enabled: z.boolean().default(false),
    lo: num(0, 1, DEFAULT_BAND.lo),
    hi: num(0, 1, DEFAULT_BAND.hi),
    mode: z.enum(['inclusive', 'strict']).default(DEFAULT_BAND.mode),
    budget: num(OS.budget.min, OS.budget.max, OS.budget.default),
    maxRounds: int(OS.maxRounds.min, OS.maxRounds.max, OS.maxRounds.default),
  })
  .refine((f) => f.lo <= f.hi, { message: 'the band\'s lower edge must not exceed its upper edge', path: ['lo'] });

/** Where the policy starts. 'base': the shipped checkpoint of the task; 'random': a fresh seeded init;
 *  'sft': a fresh seeded init, then supervised fine-tuning on the task's training problems (uniform
 *  over its arms) in the tab before RL — your own base, made the way the shipped ones were. The sft*
 *  fields matter only for 'sft' (and, being defaults, stay out of links otherwise). */
export const modelSchema = z.object({
  init: z.enum(['base', 'random', 'sft']).default('base'),
  /** Supervised steps of the warm-up. */
  sftSteps: int(1, 5000, 300),
  /** Peak learning rate of the warm-up (linear warm-up, then cosine decay to 10 %; AdamW). */
  sftLr: num(1e-5, 0.1, 5e-3),
  /** Examples (prompt + answer) per supervised step. */
  sftBatch: int(1, 256, 32),
});

/** Weights of the built-in reward terms (reward.kind 'weighted'); see BuiltinWeights in src/rewards/spec.ts.
 *  lengthPenalty is per completion token (EOS included): a negative weight is a bonus for length. */
export const rewardWeightsSchema = z.object({
  correctness: num(-10, 10, 1),
  format: num(-10, 10, 0),
  partial: num(-10, 10, 0),
  lengthPenalty: num(-1, 1, 0),
  /** A coin flip per (prompt, completion), independent of correctness (src/rewards/builtin.ts coinFlip). */
  coin: num(-10, 10, 0),
});

/** The self-play loops (src/selfplay/registry.ts). 'none': the run is RL as configured above; any
 *  other loop replaces the RL trainer, one loop iteration per step of the run. */
export const SELFPLAY_LOOPS = ['none', ...SELFPLAY_LOOP_IDS] as const;
export type SelfplayLoopKind = (typeof SELFPLAY_LOOPS)[number];

/** The zod field of one self-play knob, from its descriptor (src/selfplay/params.ts). */
type LoopParamField<P extends LoopParam> = P extends { kind: 'boolean' }
  ? z.ZodDefault<z.ZodBoolean>
  : P extends { kind: 'enum'; options: readonly (infer O extends string)[] }
    ? z.ZodDefault<z.ZodType<O, O>>
    : ReturnType<typeof numberParam>;

function loopParamField(p: LoopParam): z.ZodType {
  if (p.kind === 'boolean') return z.boolean().default(p.default);
  if (p.kind === 'enum') return z.enum(p.options).default(p.default);
  return numberParam(p);
}

/** A loop's knobs as a zod object whose default is every knob's default (the loop's own defaults). */
function loopKnobs<P extends LoopParams>(params: P) {
  const shape = Object.fromEntries(Object.entries(params).map(([key, p]) => [key, loopParamField(p)])) as { [K in keyof P]: LoopParamField<P[K]> };
  const knobs = z.object(shape);
  // The parsed defaults are the object's output type; TypeScript cannot see that for a generic P.
  return knobs.default(knobs.parse({}) as never);
}

const LOOPS = SELFPLAY_REGISTRY;

/** The few knobs per loop that matter most, from each loop's descriptor; everything else keeps the
 *  loop's own defaults (src/experiment/toSelfplayConfig.ts says how the config maps onto each loop). */
export const selfplaySchema = z.object({
  loop: z.enum(SELFPLAY_LOOPS).default('none'),
  /** Loop iterations (propose/solve rounds, SPIN iterations, creator/solver batches, generations). */
  iterations: int(1, 10000, 20),
  /** Held-out evaluation every N iterations (and of the start); 0 = never. Self-consuming always evaluates. */
  evalEvery: int(0, 10000, 1),
  proposeSolve: loopKnobs(LOOPS['propose-solve'].params),
  spin: loopKnobs(LOOPS.spin.params),
  creatorSolver: loopKnobs(LOOPS['creator-solver'].params),
  selfConsuming: loopKnobs(LOOPS['self-consuming'].params),
});

export const experimentSchema = z.object({
  version: z.literal(SCHEMA_VERSION).default(SCHEMA_VERSION),
  /** The preset this experiment starts from ('' = plain defaults). */
  preset: z.string().max(64).default(''),
  seed: int(0, 0xffffffff, 1),
  /** Replicas that differ only in their seed: seed, seed + 1, …, seed + seeds − 1 (issue 16). Each is a
   *  whole run (initialisation where random, data stream, sampling); the evaluation's ruler is shared. */
  seeds: int(1, MAX_SEEDS, 1),
  task: z
    .object({
      id: z.enum(TASK_IDS as unknown as [string, ...string[]]).default('addition'),
      /** Arms to train on; empty = the base checkpoint's RL arms. */
      arms: z.array(z.string().max(32)).max(16).default([]),
      /** One-shot / few-shot RL: training draws from this many fixed problems per arm (src/tasks/trainingPool.ts);
       *  absent or 0 = a fresh problem at every draw. Optional, so links and code that predate it are unchanged. */
      trainPool: z.number().int().min(0).max(TRAINING_POOL_MAX).optional(),
    })
    .default({ id: 'addition', arms: [] }),
  model: modelSchema.default(modelSchema.parse({})),
  algorithm: algorithmSchema.default(algorithmSchema.parse({})),
  curriculum: curriculumSchema.default({ kind: 'uniform' }),
  filter: filterSchema.default(filterSchema.parse({})),
  reward: z
    .object({
      /** verifier: the task's verifier (1 right, 0 wrong); weighted: Σ weight · term of the built-in terms
       *  below (src/rewards/builtin.ts), e.g. a gameable proxy; code: the user's JavaScript in the sandbox. */
      kind: z.enum(['verifier', 'weighted', 'code']).default('verifier'),
      /** User JavaScript defining reward({prompt, completion, answer, task, arm}); runs in the sandbox. */
      code: z.string().max(20000).default(''),
      weights: rewardWeightsSchema.default(rewardWeightsSchema.parse({})),
    })
    .default({ kind: 'verifier', code: '', weights: rewardWeightsSchema.parse({}) }),
  run: z
    .object({
      steps: int(1, 100000, 300),
      evalEvery: int(0, 10000, 25),
      evalPrompts: int(1, 512, 32),
      evalSamples: int(1, 64, 16),
      /** The evaluation's own seed (held-out prompts and sampling), fixed and apart from the training
       *  seed: a seed changes the training, never the ruler (issue 16). 0x5eed = 24301. */
      evalSeed: int(0, 0xffffffff, 0x5eed),
      /** The evaluation's own sampling temperature, not algorithm.temperature. */
      evalTemperature: num(0.01, 3, 1),
    })
    .default({ steps: 300, evalEvery: 25, evalPrompts: 32, evalSamples: 16, evalSeed: 0x5eed, evalTemperature: 1 }),
  selfplay: selfplaySchema.default(selfplaySchema.parse({})),
});

export type ExperimentConfig = z.infer<typeof experimentSchema>;
export type AlgorithmConfig = z.infer<typeof algorithmSchema>;
export type ModelSettings = z.infer<typeof modelSchema>;
export type CurriculumSettings = z.infer<typeof curriculumSchema>;
export type FilterSettings = z.infer<typeof filterSchema>;
export type RewardWeights = z.infer<typeof rewardWeightsSchema>;
export type SelfplaySettings = z.infer<typeof selfplaySchema>;

/** Replica `index`'s training seed in a multi-seed experiment: seed, seed + 1, … (wrapping at 2³²). */
export function replicaSeed(config: Pick<ExperimentConfig, 'seed'>, index: number): number {
  return (config.seed + index) >>> 0;
}

export function defaultExperiment(): ExperimentConfig {
  return experimentSchema.parse({});
}
