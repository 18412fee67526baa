// Runs as files: the JSON a run is saved as, by `npm run train` (Node) and by the lab's Export button,
// and read back by the lab's Import button and `npm run compare`. One schema for both, defined here
// (zod), so a file made by either side reads on the other:
//   rlvr-lab-run/1    one seed: config, per-step metrics, the curriculum's state after each step,
//                     held-out evaluations;
//   rlvr-lab-seeds/1  several seeds of one experiment: every replica's rlvr-lab-run/1 record, in seed
//                     order, and (Node) the aggregate over seeds per metric and step (seedAggregate.ts).
// A file is untrusted input, read like a link (restore.ts): every number must be a finite number (JSON
// writes NaN as null, so a NaN metric arrives as null and is refused here, naming where it is), the
// config must pass the experiment schema, and unknown keys are dropped.
import { z } from 'zod';
import type { CurriculumState } from '../curriculum/types';
import type { GptConfig } from '../model/config';
import type { ArmEvaluation } from '../rl/evaluate';
import type { StepMetrics } from '../rl/metrics';
import { experimentSchema, MAX_SEEDS, type ExperimentConfig } from './schema';

export const RUN_FORMAT = 'rlvr-lab-run/1';
export const SEEDS_FORMAT = 'rlvr-lab-seeds/1';

const n = z.number(); // zod 4: finite only (NaN and ±Infinity are refused)
const counts = z.number().int().min(0);

const stepMetricsSchema = z.object({
  step: counts,
  reward: n,
  reward_std: n,
  reward_trained: n.optional(),
  rewards: z.record(z.string(), n),
  frac_reward_zero_std: n,
  entropy: n,
  kl: z.object({ k1: n, k2: n, k3: n }),
  clip_ratio: z.object({ low_mean: n, high_mean: n, region_mean: n }),
  loss: n,
  grad_norm: n,
  learning_rate: n,
  completions: z.object({ mean_length: n, min_length: n, max_length: n, clipped_ratio: n }),
  num_tokens: n,
  step_time: n,
  tokens_per_second: n,
  arms: z.record(z.string(), z.object({ samples: n, reward: n, meanAbsAdvantage: n })),
  dynamic_sampling: z.object({ kept_groups: n, generated_groups: n, rounds: n }).optional(),
  filtering: z.object({ frac_filtered: n, kept_groups: n, passed_groups: n, generated_groups: n, rounds: n, budget_exhausted: z.boolean() }).optional(),
  samples_spent: n.optional(),
  reference_reset: z.boolean().optional(),
}) satisfies z.ZodType<StepMetrics>;

const armEvaluationSchema = z.object({
  task: z.string(),
  arm: z.string(),
  prompts: counts,
  samplesPerPrompt: counts,
  passAtK: z.record(z.string().regex(/^[0-9]+$/, 'a pass@k key must be a whole number k'), n),
  meanAtN: n,
  greedyAccuracy: n.nullable(),
  cutOff: n.optional(),
}) satisfies z.ZodType<ArmEvaluation>;

const evaluationSchema = z.object({
  /** Training steps done when it was taken (0 = the starting policy). */
  afterSteps: counts,
  arms: z.array(armEvaluationSchema),
});

const nullableNumber = n.nullable();
const curriculumStateSchema = z.object({
  kind: z.string(),
  name: z.string(),
  step: counts,
  scoreLabel: z.enum(['UCB', 'Q', 'ALP', 'weight']).nullable(),
  window: n,
  arms: z.array(
    z.object({ id: z.string(), level: n, probability: n, score: nullableNumber, meanAbsAdvantage: nullableNumber, accuracy: nullableNumber, samples: n, chosen: n }),
  ),
});

const modelInfoSchema = z.object({
  init: z.enum(['base', 'random', 'sft']),
  checkpoint: z.string().nullable(),
  config: z.custom<GptConfig>((v) => typeof v === 'object' && v !== null, 'the model config must be an object'),
  parameters: n,
});

export const runFileSchema = z.object({
  format: z.literal(RUN_FORMAT),
  /** What the lab showed the run as (lab exports); Node records name the preset instead. */
  label: z.string().max(200).optional(),
  preset: z.string(),
  /** The experiment as a link hash: open the lab with it to see the same experiment. */
  link: z.string(),
  config: experimentSchema,
  backend: z.string(),
  model: modelInfoSchema.optional(),
  arms: z.array(z.string()),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  seconds: n,
  steps: z.array(stepMetricsSchema),
  /** The curriculum's state after each step (arm probabilities for the next one), aligned with steps. */
  curriculum: z.array(curriculumStateSchema.nullable()).default([]),
  evaluations: z.array(evaluationSchema).default([]),
  /** A self-play run (selfplay.loop ≠ 'none'): its loop and every iteration's flattened metrics
   *  (selfplayRecord.ts); its `steps` are then empty. */
  selfplay: z.object({ loop: z.string(), iterations: z.array(z.record(z.string(), n)) }).optional(),
});

/** Per metric, per step: the mean over seeds, its 95 % t-band (null with one seed) and the min–max. */
const aggregatePointSchema = z.object({ step: counts, n: counts, mean: n, tLow: nullableNumber, tHigh: nullableNumber, min: n, max: n });

export const seedsFileSchema = z.object({
  format: z.literal(SEEDS_FORMAT),
  label: z.string().max(200).optional(),
  seeds: z.array(counts).min(1).max(MAX_SEEDS),
  /** Wall time of the whole set, and the sum of the replicas' own times (what one after another costs). */
  seconds: n,
  sequentialSeconds: n,
  parallelism: counts,
  replicas: z.array(z.object({ seed: counts, record: runFileSchema })).min(1).max(MAX_SEEDS),
  /** Raw (unsmoothed) values aggregated over the replicas, keyed by metric path (`reward`, `kl.k3`). */
  aggregate: z.record(z.string(), z.array(aggregatePointSchema)).optional(),
});

export type RunFile = z.output<typeof runFileSchema>;
export type SeedsFile = z.output<typeof seedsFileSchema>;
export type RunFileEvaluation = z.output<typeof evaluationSchema>;
export type SeedAggregatePoint = z.output<typeof aggregatePointSchema>;

// The parsed types must be what the run code produces, so a Node record type-checks as a file.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameCurriculum: Same<z.output<typeof curriculumStateSchema>['arms'][number], CurriculumState['arms'][number]> = true;
const sameConfig: Same<RunFile['config'], ExperimentConfig> = true;
void sameCurriculum;
void sameConfig;
