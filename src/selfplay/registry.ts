// The self-play loops, registered once: id → label, what it does, what its plots show, its knobs
// (with ranges and defaults), its default config, the recorded runs' settings, and how to drive it one
// iteration at a time. The experiment schema and the Self-play panel, the worker's driver
// (src/worker/selfplayDriver.ts) and `npm run selfplay` (scripts/selfplay.ts) all read this table, so
// a new loop is one file plus one entry here.
import type { GptConfig } from '../model/config';
import type { GptParams } from '../model/params';
import { summariseHeldOut } from './common';
import type { PartialConfig } from './config';
import { CreatorSolverLoop, creatorSolverParams, defaultCreatorSolverConfig, runCreatorSolverIteration, type CreatorSolverConfig } from './creatorSolver';
import type { LoopParams } from './params';
import { ProposeSolveLoop, defaultProposeSolveConfig, proposeSolveParams, runProposeSolveIteration, type ProposeSolveConfig } from './proposeSolve';
import { SelfConsumingLoop, defaultSelfConsumingConfig, runSelfConsumingGeneration, selfConsumingParams, type SelfConsumingConfig } from './selfConsuming';
import { SpinLoop, defaultSpinConfig, runSpinIteration, spinParams, type SpinConfig } from './spin';

/** Each loop's full config type. */
export interface SelfplayLoopConfigs {
  'propose-solve': ProposeSolveConfig;
  spin: SpinConfig;
  'creator-solver': CreatorSolverConfig;
  'self-consuming': SelfConsumingConfig;
}

export type SelfplayLoopId = keyof SelfplayLoopConfigs;

/** A loop and the (partial) config to build it with. */
export type SelfplayLoopSpec = { [K in SelfplayLoopId]: { loop: K; config: PartialConfig<SelfplayLoopConfigs[K]> } }[SelfplayLoopId];

/** One step of a loop's preparation (propose/solve's SFT warm-up): step n of total, its loss. */
export interface PrepareProgress {
  step: number;
  total: number;
  loss: number;
}

/** A loop as a run drives it: prepared, evaluated at iteration 0, then one iteration per call. */
export interface SelfplayRunner {
  /** One step of the preparation before `start` (propose/solve's warm-up), null when none is left. */
  prepareStep?(): Promise<PrepareProgress | null>;
  /** Metrics of the starting policy (iteration 0): its held-out evaluation. */
  start(): Promise<unknown>;
  iterate(): Promise<unknown>;
  dispose(): void;
  /** The arms the loop trains on (fresh prompts, seed problems, the SFT dataset). */
  readonly trainArms: string[];
  /** What the preparation did, for the log (propose/solve's warm-up). */
  note?: string;
}

export interface SelfplayLoopEntry<K extends SelfplayLoopId> {
  id: K;
  /** The panel's name of the loop. */
  label: string;
  /** What the loop does, in one paragraph. */
  about: string;
  /** What its plots should show. */
  plotsAbout: string;
  /** The experiment config's key of the loop's knobs (`selfplay.<configKey>`). */
  configKey: string;
  /** The knobs the experiment config exposes; everything else keeps `defaults`. */
  params: LoopParams;
  defaults: SelfplayLoopConfigs[K];
  /** The recorded runs' length and evaluation cadence (docs/selfplay, scripts/selfplay.ts). */
  recorded: { iterations: number; evalEvery: number };
  /** Builds the loop over the run's params; `evaluate`: evaluate the starting policy held out. */
  runner(modelConfig: GptConfig, params: GptParams, config: PartialConfig<SelfplayLoopConfigs[K]>, options: { evaluate: boolean }): SelfplayRunner;
}

export const proposeSolveEntry = {
  id: 'propose-solve',
  label: 'propose/solve (Absolute Zero)',
  about:
    'One policy, two roles told apart by a role token: after <propose> it writes a problem in the task\'s grammar, an executor checks it and computes the answer, after <solve> it answers G times. Solver reward: the verifier; proposer reward: learnability 1 − acc (0 < acc < 1, else extremeReward), −1 for a malformed proposal. A short SFT warm-up on seed problems teaches the roles first.',
  plotsAbout:
    'Plots: valid proposals should rise; the proposer should drift to problems the solver sometimes solves (learnability up, operand digits toward the solver\'s frontier) while diversity stays near 1; held-out accuracy is read from iteration 0 (after the warm-up).',
  configKey: 'proposeSolve',
  params: proposeSolveParams,
  defaults: defaultProposeSolveConfig,
  recorded: { iterations: 100, evalEvery: 5 },
  runner(modelConfig, params, config, { evaluate }) {
    const loop = new ProposeSolveLoop(modelConfig, params, config);
    const runner: SelfplayRunner = {
      trainArms: loop.config.warmup.arms,
      prepareStep: () => loop.warmUpStep(),
      async start() {
        // The warm-up runs first, step by step (prepareStep); a start that failed after it and is retried
        // does not warm up twice.
        const w = await loop.warmUp();
        if (w.steps > 0) runner.note = `Propose/solve warm-up: ${w.steps} SFT steps on seed problems (mean loss ${w.loss.toFixed(3)}).`;
        return { warmup: { loss: w.steps > 0 ? w.loss : undefined }, heldout: evaluate ? summariseHeldOut(await loop.evaluate()) : undefined };
      },
      iterate: () => runProposeSolveIteration(loop),
      dispose: () => loop.dispose(),
    };
    return runner;
  },
} satisfies SelfplayLoopEntry<'propose-solve'>;

export const spinEntry = {
  id: 'spin',
  label: 'SPIN (self-play fine-tuning)',
  about:
    'Each iteration the current model answers the prompts of a fixed SFT dataset; the next model is trained (−log σ(u), or hinge) to prefer the real answers to its own, against the frozen previous iterate: u = β[(log p_θ − log p_opp)(y_real) − (log p_θ − log p_opp)(y_gen)].',
  plotsAbout:
    'Plots: rewards/real above rewards/generated (margin > 0), discrimination accuracy at the end of an iteration high; as the opponent\'s answers match the real ones (ties) the signal runs out. Held-out accuracy may gain a little.',
  configKey: 'spin',
  params: spinParams,
  defaults: defaultSpinConfig,
  recorded: { iterations: 20, evalEvery: 1 },
  runner(modelConfig, params, config, { evaluate }) {
    const loop = new SpinLoop(modelConfig, params, config);
    const runner: SelfplayRunner = {
      trainArms: loop.config.arms,
      async start() {
        // SFT until converged on the pairs first (sftFirst), so iteration 0 is the converged SFT model.
        const s = await loop.prepare();
        if (s.epochs > 0) runner.note = `SPIN: SFT first on the ${loop.dataset.length} pairs, ${s.epochs} epochs (${s.converged ? 'converged' : 'cap reached'}; loss ${s.losses[0].toFixed(3)} → ${s.losses[s.losses.length - 1].toFixed(3)}).`;
        return { sft_first: { epochs: s.epochs, converged: s.converged ? 1 : 0, loss: s.epochs > 0 ? s.losses[s.losses.length - 1] : undefined, first_loss: s.losses[0] }, heldout: evaluate ? summariseHeldOut(await loop.evaluate()) : undefined };
      },
      iterate: () => runSpinIteration(loop),
      dispose: () => loop.dispose(),
    };
    return runner;
  },
} satisfies SelfplayLoopEntry<'spin'>;

export const creatorSolverEntry = {
  id: 'creator-solver',
  label: 'creator/solver (eva)',
  about:
    'A creator keeps a buffer of prompts scored by regret (max − mean reward of the solver\'s group) and evolves children of the most informative ones by digit mutations; the solver is the RL trainer (Algorithm section) on a batch of fresh, evolved and replayed prompts.',
  plotsAbout:
    'Plots: the batch\'s informativeness (groups with reward spread) should sit above what fresh prompts give, the buffer\'s difficulty near the solver\'s frontier; held-out accuracy need not follow.',
  configKey: 'creatorSolver',
  params: creatorSolverParams,
  defaults: defaultCreatorSolverConfig,
  recorded: { iterations: 100, evalEvery: 5 },
  runner(modelConfig, params, config, { evaluate }) {
    const loop = new CreatorSolverLoop(modelConfig, params, config);
    return {
      trainArms: loop.config.arms,
      start: async () => ({ heldout: evaluate ? summariseHeldOut(await loop.evaluate()) : undefined }),
      iterate: () => runCreatorSolverIteration(loop),
      dispose: () => loop.dispose(),
    };
  },
} satisfies SelfplayLoopEntry<'creator-solver'>;

export const selfConsumingEntry = {
  id: 'self-consuming',
  label: 'self-consuming generations',
  about:
    'Generation k is trained by SFT on answers sampled from generation k − 1 (model collapse); a fraction of real answers, or verifier curation of the samples (= rejection-sampling fine-tuning), are the two known remedies. With the B-STaR schedule each generation samples at several temperatures and trains on the one with the best balance score (distinct correct answers, few repeats).',
  plotsAbout:
    'Plots: with no fresh data and no curation held-out accuracy should fall generation by generation (collapse); fresh data bounds the fall; curation raises accuracy and narrows diversity. With B-STaR the chosen temperature tends to rise over the generations (the gallery\'s B-STaR card).',
  configKey: 'selfConsuming',
  params: selfConsumingParams,
  defaults: defaultSelfConsumingConfig,
  recorded: { iterations: 12, evalEvery: 1 },
  runner(modelConfig, params, config) {
    const loop = new SelfConsumingLoop(modelConfig, params, config);
    return {
      trainArms: loop.config.arms,
      // Generation 0 is the starting policy: the same evaluation every generation gets (always on).
      start: () => loop.evaluate(),
      iterate: () => runSelfConsumingGeneration(loop),
      dispose: () => loop.dispose(),
    };
  },
} satisfies SelfplayLoopEntry<'self-consuming'>;

/** Every loop, in the panel's order. */
export const SELFPLAY_REGISTRY = {
  'propose-solve': proposeSolveEntry,
  spin: spinEntry,
  'creator-solver': creatorSolverEntry,
  'self-consuming': selfConsumingEntry,
} as const satisfies { [K in SelfplayLoopId]: SelfplayLoopEntry<K> };

export const SELFPLAY_LOOP_IDS = Object.keys(SELFPLAY_REGISTRY) as SelfplayLoopId[];

export function isSelfplayLoopId(id: string): id is SelfplayLoopId {
  return Object.hasOwn(SELFPLAY_REGISTRY, id);
}

/** The registry as a mapped type, so that an entry looked up by a loop id keeps that loop's config type. */
const ENTRIES: { [K in SelfplayLoopId]: SelfplayLoopEntry<K> } = SELFPLAY_REGISTRY;

/** The registered loop a spec names, built over the run's params and ready to drive. */
export function createSelfplayRunner<K extends SelfplayLoopId>(
  spec: { loop: K; config: PartialConfig<SelfplayLoopConfigs[K]> },
  modelConfig: GptConfig,
  params: GptParams,
  options: { evaluate: boolean },
): SelfplayRunner {
  const entry: SelfplayLoopEntry<K> = ENTRIES[spec.loop];
  return entry.runner(modelConfig, params, spec.config, options);
}
