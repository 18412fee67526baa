// The gallery's recorded arms (issue 18): each arm is an experiment — the default preset with what the
// arm changes laid over it and the run budget of its task family — recorded with several training seeds
// by `npm run gallery:record` into docs/gallery/runs/<arm>/seed-<s>.json. Cards (docs/gallery/claims.json)
// name these ids; several cards share an arm (the plain GRPO arms), so it is recorded once.
// An arm's settings are part of the gallery's pre-registered design: change one and its records are
// stale (the recorder re-records an arm whose link differs from the record's).
import { layer, type DeepPartial } from './layer';
import { presetConfig } from './presets';
import { experimentSchema, type ExperimentConfig } from './schema';

/** The seeds every arm is recorded with (STATISTICS.md: ≥ 3; paired across arms by seed). */
export const GALLERY_SEEDS = [1, 2, 3] as const;

/** Addition d2: cheap (answers of 2–3 tokens), so 60 steps and an evaluation every 10. Evaluation takes
 *  64 samples per prompt, so pass@k is measured up to k = 64. */
const ADDITION_RUN: ExperimentConfig['run'] = { steps: 60, evalEvery: 10, evalPrompts: 64, evalSamples: 64, evalSeed: 0x5eed, evalTemperature: 1 };
/** Sorting and countdown: answers of 6–13 tokens cost 3–4× an addition step, so 40 steps and fewer
 *  evaluation prompts (still 64 samples each, for pass@64). */
const LONG_RUN: ExperimentConfig['run'] = { steps: 40, evalEvery: 20, evalPrompts: 32, evalSamples: 64, evalSeed: 0x5eed, evalTemperature: 1 };
/** The curriculum race evaluates four arms, so fewer prompts per arm. */
const RACE_RUN: ExperimentConfig['run'] = { ...LONG_RUN, evalEvery: 10, evalPrompts: 16, evalSamples: 16 };

export interface GalleryArmSpec {
  label: string;
  /** What the arm changes from the default preset (task, algorithm, reward, curriculum). */
  change: DeepPartial<ExperimentConfig>;
  run: ExperimentConfig['run'];
}

type Change = DeepPartial<ExperimentConfig>;
const SORT8: Change = { task: { id: 'sorting', arms: ['len8'] } };
const COUNTDOWN3: Change = { task: { id: 'countdown', arms: ['n3'] } };
const FOUR_PASSES: Change['algorithm'] = { ppoEpochs: 4, lr: 1e-3 };
const BINDING_KL = 0.5;
/** Reward hacking (issue 18's measured setting): hot sampling, a short budget, a length bonus that pays
 *  more than being right is worth. */
const HACKABLE: Change['algorithm'] = { temperature: 1.3, maxNewTokens: 6 };
const hackReward = (correctness: number): Change['reward'] => ({ kind: 'weighted', weights: { correctness, format: 1, partial: 0, lengthPenalty: -0.6 } });
/** The spurious-rewards arm: a coin flip per (prompt, completion), nothing for being right. */
const COIN_REWARD: Change['reward'] = { kind: 'weighted', weights: { correctness: 0, format: 0, partial: 0, lengthPenalty: 0, coin: 1 } };
const SORT_ALL: Change = { task: { id: 'sorting', arms: ['len3', 'len5', 'len8', 'len12'] } };
/** A base that barely knows the task (base pass@1 ≈ 0.04): the far end of model–task alignment. */
const SORT12: Change = { task: { id: 'sorting', arms: ['len12'] } };
/** One-shot RL: one fixed training problem per arm (a different one per training seed). */
const ONE_SHOT = { trainPool: 1 } as const;
/** B-STaR: the curated self-consuming loop (rejection-sampling fine-tuning, STaR / RFT) on countdown n3,
 *  where a target has many right expressions, so "distinct correct answers" can be more than one.
 *  k = 8 samples per prompt and n* = 2 (the paper: n* ≈ 6 of 64 samples; with 8 samples, 2 distinct
 *  right answers is the same order of ambition). Held-out: 64 prompts × 8 samples, pass@1…8. */
const BSTAR_ITERATIONS = 6;
const BSTAR_RUN: ExperimentConfig['run'] = { steps: BSTAR_ITERATIONS, evalEvery: 1, evalPrompts: 64, evalSamples: 8, evalSeed: 0x5eed, evalTemperature: 1 };
const bstarLoop = (schedule: 'fixed' | 'bstar'): Change => ({
  task: { id: 'countdown', arms: ['n3'] },
  selfplay: {
    loop: 'self-consuming',
    iterations: BSTAR_ITERATIONS,
    evalEvery: 1,
    selfConsuming: { prompts: 64, samplesPerPrompt: 8, curate: true, sftSteps: 16, temperature: 1, temperatureSchedule: schedule, bstarTarget: 2 },
  },
});

/** Self-play over seeds (issue 18), on addition d2 (base pass@1 ≈ 0.6), evaluated on d2 only (the
 *  loops' held-out set: 4 samples per prompt at temperature 1, so pass@1 = mean correctness).
 *  SPIN: 128 (prompt, answer) pairs of d2; SFT on them until the epoch loss moves < 2 % or < 0.005 nats
 *  (cap 40 epochs, lr 1e-3) — the converged SFT model both arms start from — then 10 iterations of SPIN
 *  or of plain SFT on the same pairs (2 epochs of batches of 16 each, lr 1e-4). */
const SELFPLAY_ITERATIONS = 10;
const SPIN_RUN: ExperimentConfig['run'] = { steps: SELFPLAY_ITERATIONS, evalEvery: 1, evalPrompts: 64, evalSamples: 4, evalSeed: 0x5eed, evalTemperature: 1 };
const spinLoop = (objective: 'spin' | 'sft'): Change => ({
  task: { id: 'addition', arms: ['d2'] },
  selfplay: { loop: 'spin', iterations: SELFPLAY_ITERATIONS, evalEvery: 1, spin: { objective, sftEpochs: 40, datasetSize: 128 } },
});
/** Propose/solve with K = 2 reference problems from its buffer (Absolute Zero) against K = 0: the
 *  250-step warm-up on seed problems (with references in the proposer's examples when K > 0), then 20
 *  iterations of 16 proposals × 8 solver samples; held-out every 4 iterations. */
const PS_ITERATIONS = 20;
const PS_RUN: ExperimentConfig['run'] = { steps: PS_ITERATIONS, evalEvery: 4, evalPrompts: 64, evalSamples: 4, evalSeed: 0x5eed, evalTemperature: 1 };
const proposeSolveLoop = (references: number): Change => ({
  task: { id: 'addition', arms: ['d2'] },
  selfplay: { loop: 'propose-solve', iterations: PS_ITERATIONS, evalEvery: 4, proposeSolve: { references, warmupSteps: 250 } },
});

export const GALLERY_ARMS = {
  'add-grpo': { label: 'GRPO (addition d2)', change: {}, run: ADDITION_RUN },
  'add-k2-loss': { label: `k2 in the loss, β ${BINDING_KL}`, change: { algorithm: { klCoef: BINDING_KL, klEstimator: 'k2', klInReward: false } }, run: ADDITION_RUN },
  'add-k3-loss': { label: `k3 in the loss, β ${BINDING_KL}`, change: { algorithm: { klCoef: BINDING_KL, klEstimator: 'k3', klInReward: false } }, run: ADDITION_RUN },
  'add-k3-reset': {
    label: `k3, β ${BINDING_KL}, reset every 20 (with the optimizer)`,
    change: { algorithm: { klCoef: BINDING_KL, klEstimator: 'k3', klInReward: false, refResetEvery: 20, refResetOptimizer: true } },
    run: ADDITION_RUN,
  },
  'add-hack-c05': { label: 'proxy: correctness 0.5 + 0.6 per token', change: { algorithm: HACKABLE, reward: hackReward(0.5) }, run: ADDITION_RUN },
  'add-hack-c1': { label: 'proxy: correctness 1 + 0.6 per token', change: { algorithm: HACKABLE, reward: hackReward(1) }, run: ADDITION_RUN },
  'sort8-grpo': { label: 'GRPO, 1 pass (sorting len8)', change: SORT8, run: LONG_RUN },
  'sort8-4pass': { label: 'GRPO, 4 passes, lr 1e-3, ε_high 0.2', change: { ...SORT8, algorithm: FOUR_PASSES }, run: LONG_RUN },
  'sort8-4pass-eh028': { label: 'ε_high 0.28, 4 passes', change: { ...SORT8, algorithm: { ...FOUR_PASSES, clipHigh: 0.28 } }, run: LONG_RUN },
  'sort8-4pass-eh10': { label: 'ε_high 10 (no upper clip), 4 passes', change: { ...SORT8, algorithm: { ...FOUR_PASSES, clipHigh: 10 } }, run: LONG_RUN },
  'sort8-reinforce': { label: 'REINFORCE ±1 (PSR + NSR)', change: { ...SORT8, algorithm: { estimator: 'reinforce' } }, run: LONG_RUN },
  'sort8-psr': { label: 'PSR only (λ− = 0)', change: { ...SORT8, algorithm: { estimator: 'reinforce', negativeWeight: 0 } }, run: LONG_RUN },
  'sort8-nsr': { label: 'NSR only (λ+ = 0)', change: { ...SORT8, algorithm: { estimator: 'reinforce', positiveWeight: 0 } }, run: LONG_RUN },
  'sort8-wreinforce': { label: 'W-REINFORCE (λ+ = 0.1)', change: { ...SORT8, algorithm: { estimator: 'reinforce', positiveWeight: 0.1 } }, run: LONG_RUN },
  'cd3-grpo': { label: 'GRPO, seq-mean-token-mean (countdown n3)', change: { ...COUNTDOWN3, algorithm: { aggregation: 'seq-mean-token-mean' } }, run: LONG_RUN },
  'cd3-drgrpo': { label: 'Dr. GRPO (countdown n3)', change: { ...COUNTDOWN3, algorithm: { estimator: 'dr-grpo', aggregation: 'seq-mean-token-sum-norm' } }, run: LONG_RUN },
  'sort8-k2-loss': { label: `k2 in the loss, β ${BINDING_KL} (sorting len8)`, change: { ...SORT8, algorithm: { klCoef: BINDING_KL, klEstimator: 'k2', klInReward: false } }, run: LONG_RUN },
  'sort8-k3-loss': { label: `k3 in the loss, β ${BINDING_KL} (sorting len8)`, change: { ...SORT8, algorithm: { klCoef: BINDING_KL, klEstimator: 'k3', klInReward: false } }, run: LONG_RUN },
  'add-coin': { label: 'random reward (addition d2)', change: { reward: COIN_REWARD }, run: ADDITION_RUN },
  'sort8-coin': { label: 'random reward (sorting len8)', change: { ...SORT8, reward: COIN_REWARD }, run: LONG_RUN },
  'add-oneshot': { label: 'one-shot RL (addition d2)', change: { task: { id: 'addition', ...ONE_SHOT } }, run: ADDITION_RUN },
  'sort8-oneshot': { label: 'one-shot RL (sorting len8)', change: { task: { ...SORT8.task, ...ONE_SHOT } }, run: LONG_RUN },
  'sort12-grpo': { label: 'GRPO (sorting len12)', change: SORT12, run: LONG_RUN },
  'sort12-coin': { label: 'random reward (sorting len12)', change: { ...SORT12, reward: COIN_REWARD }, run: LONG_RUN },
  'sort12-oneshot': { label: 'one-shot RL (sorting len12)', change: { task: { ...SORT12.task, ...ONE_SHOT } }, run: LONG_RUN },
  'race-uniform': { label: 'uniform', change: SORT_ALL, run: RACE_RUN },
  'race-dump': { label: 'DUMP', change: { ...SORT_ALL, curriculum: { kind: 'dump' } }, run: RACE_RUN },
  'race-sec': { label: 'SEC, α 0.5', change: { ...SORT_ALL, curriculum: { kind: 'sec', alpha: 0.5 } }, run: RACE_RUN },
  'bstar-fixed': { label: 'RFT loop, temperature 1 (countdown n3)', change: bstarLoop('fixed'), run: BSTAR_RUN },
  'bstar-tuned': { label: 'RFT loop, B-STaR temperature (countdown n3)', change: bstarLoop('bstar'), run: BSTAR_RUN },
  'spin-converged': { label: 'SPIN after a converged SFT (addition d2)', change: spinLoop('spin'), run: SPIN_RUN },
  'spin-sft-control': { label: 'SFT on the same pairs after the converged SFT (control)', change: spinLoop('sft'), run: SPIN_RUN },
  'ps-refs': { label: 'propose/solve, 2 reference problems from the buffer', change: proposeSolveLoop(2), run: PS_RUN },
  'ps-norefs': { label: 'propose/solve, no references (K = 0)', change: proposeSolveLoop(0), run: PS_RUN },
} as const satisfies Record<string, GalleryArmSpec>;

export type GalleryArmId = keyof typeof GALLERY_ARMS;

export function isGalleryArm(id: string): id is GalleryArmId {
  return Object.hasOwn(GALLERY_ARMS, id);
}

/** The label of an arm's instant replay (its recorded seeds as one run): how the lab finds a replay it
 *  already imported, after a reload too. */
export function replayLabel(id: GalleryArmId): string {
  return `${GALLERY_ARMS[id].label} · recorded, ${GALLERY_SEEDS.length} seeds`;
}

/** The budgets an arm can run with in the lab: as recorded, or shorter for a class demo (and the e2e
 *  tests). A shorter budget shows the direction of a curve, not the recorded numbers. */
export const GALLERY_BUDGETS = {
  recorded: { label: 'as recorded (40–60 steps)', steps: null, evalEvery: null, batch: null },
  quick: { label: '20 steps, quick evaluation', steps: 20, evalEvery: 10, batch: null },
  // Two steps (the second shows the loop goes on) of a small batch, the same for every arm, so the arms
  // still differ only in what the card compares.
  smoke: { label: '2 steps of 4 × 4 samples, no evaluation (a check that it runs)', steps: 2, evalEvery: 0, batch: { promptsPerStep: 4, samplesPerPrompt: 4 } },
} as const;

export type GalleryBudget = keyof typeof GALLERY_BUDGETS;

/** The experiment an arm records with one seed (and a card's link opens), at a budget. */
export function galleryArmExperiment(id: GalleryArmId, seed: number = GALLERY_SEEDS[0], budget: GalleryBudget = 'recorded'): ExperimentConfig {
  const spec: GalleryArmSpec = GALLERY_ARMS[id];
  const config = layer(presetConfig('default'), spec.change);
  const b = GALLERY_BUDGETS[budget];
  const run = { ...spec.run, ...(b.steps !== null ? { steps: b.steps } : {}), ...(b.evalEvery !== null ? { evalEvery: b.evalEvery, evalPrompts: Math.min(spec.run.evalPrompts, 16), evalSamples: Math.min(spec.run.evalSamples, 16) } : {}) };
  const parsed = experimentSchema.parse({ ...config, seed, run, algorithm: { ...config.algorithm, ...(b.batch ?? {}) } });
  // A self-play arm runs selfplay.iterations, not run.steps: a shorter budget shortens the loop.
  if (parsed.selfplay.loop !== 'none' && b.steps !== null) parsed.selfplay.iterations = Math.min(parsed.selfplay.iterations, b.steps);
  return parsed;
}
