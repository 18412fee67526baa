// A self-play loop (src/selfplay) driven by the training session: built from the experiment config
// over the run's params, one iteration per call of `next`, its metrics flattened to numbers for the
// `selfplayMetrics` event. Before the first iteration, `prepare` runs propose/solve's SFT warm-up on seed
// problems and evaluates the starting policy, reported as iteration 0, as an RL run evaluates at step 0.
import { toSelfplayLoopConfig, type SelfplayLoopId } from '../experiment/toSelfplayConfig';
import type { ExperimentConfig } from '../experiment/schema';
import type { GptConfig } from '../model/config';
import type { GptParams } from '../model/params';
import { summariseHeldOut } from '../selfplay/common';
import { CreatorSolverLoop, runCreatorSolverIteration } from '../selfplay/creatorSolver';
import { ProposeSolveLoop, runProposeSolveIteration } from '../selfplay/proposeSolve';
import { SelfConsumingLoop, runSelfConsumingGeneration } from '../selfplay/selfConsuming';
import { SpinLoop, runSpinIteration } from '../selfplay/spin';
import type { Task } from '../tasks/task';

export type { SelfplayLoopId };

/** Keys of a loop's metrics that are not plotted: the iteration index (the event carries it). */
const SKIPPED_KEYS = new Set(['iteration', 'generation']);

/**
 * Nested numeric metrics as one flat record: `{ difficulty: { solver_accuracy: 0.5 } }` →
 * `{ 'difficulty/solver_accuracy': 0.5 }`. Strings, booleans, nulls, arrays (examples, histograms) and
 * non-finite numbers are left out: the record holds exactly what a chart can draw.
 */
export function flattenMetrics(value: unknown, prefix = '', out: Record<string, number> = {}): Record<string, number> {
  if (typeof value === 'number') {
    if (prefix && Number.isFinite(value)) out[prefix] = value;
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (!prefix && SKIPPED_KEYS.has(key)) continue;
      flattenMetrics(v, prefix ? `${prefix}/${key}` : key, out);
    }
  }
  return out;
}

/** One step of a loop's preparation (propose/solve's SFT warm-up): step n of total, its loss. */
export interface PrepareProgress {
  step: number;
  total: number;
  loss: number;
}

interface LoopImpl {
  /** One step of the preparation before `start` (propose/solve's warm-up), null when none is left. */
  prepareStep?(): Promise<PrepareProgress | null>;
  /** Metrics of the starting policy (iteration 0): its held-out evaluation. */
  start(): Promise<unknown>;
  iterate(): Promise<unknown>;
  dispose(): void;
  /** The arms the loop trains on (fresh prompts, seed problems, the SFT dataset). */
  trainArms: string[];
  /** What the preparation did, for the log (propose/solve's warm-up). */
  note?: string;
}

function buildLoop(config: ExperimentConfig, modelConfig: GptConfig, params: GptParams, task: Task): LoopImpl {
  const spec = toSelfplayLoopConfig(config, task);
  const evaluate = config.selfplay.evalEvery > 0;
  switch (spec.loop) {
    case 'propose-solve': {
      const loop = new ProposeSolveLoop(modelConfig, params, spec.config);
      const impl: LoopImpl = {
        trainArms: loop.config.warmup.arms,
        prepareStep: () => loop.warmUpStep(),
        async start() {
          // The warm-up runs first, step by step (prepareStep); a start that failed after it and is retried
          // does not warm up twice.
          const w = await loop.warmUp();
          if (w.steps > 0) impl.note = `Propose/solve warm-up: ${w.steps} SFT steps on seed problems (mean loss ${w.loss.toFixed(3)}).`;
          return { warmup: { loss: w.steps > 0 ? w.loss : undefined }, heldout: evaluate ? summariseHeldOut(await loop.evaluate()) : undefined };
        },
        iterate: () => runProposeSolveIteration(loop),
        dispose: () => loop.dispose(),
      };
      return impl;
    }
    case 'spin': {
      const loop = new SpinLoop(modelConfig, params, spec.config);
      return {
        trainArms: loop.config.arms,
        start: async () => ({ heldout: evaluate ? summariseHeldOut(await loop.evaluate()) : undefined }),
        iterate: () => runSpinIteration(loop),
        dispose: () => loop.dispose(),
      };
    }
    case 'creator-solver': {
      const loop = new CreatorSolverLoop(modelConfig, params, spec.config);
      return {
        trainArms: loop.config.arms,
        start: async () => ({ heldout: evaluate ? summariseHeldOut(await loop.evaluate()) : undefined }),
        iterate: () => runCreatorSolverIteration(loop),
        dispose: () => loop.dispose(),
      };
    }
    case 'self-consuming': {
      const loop = new SelfConsumingLoop(modelConfig, params, spec.config);
      return {
        trainArms: loop.config.arms,
        // Generation 0 is the starting policy: the same evaluation every generation gets.
        start: () => loop.evaluate(),
        iterate: () => runSelfConsumingGeneration(loop),
        dispose: () => loop.dispose(),
      };
    }
  }
}

export class SelfplayDriver {
  readonly loop: SelfplayLoopId;
  /** Iterations done. */
  iteration = 0;
  private started = false;
  private disposed = false;
  private readonly impl: LoopImpl;

  /** Throws (with the loop's message) when the loop cannot run on this model and task. */
  constructor(
    readonly config: ExperimentConfig,
    modelConfig: GptConfig,
    params: GptParams,
    task: Task,
  ) {
    if (config.selfplay.loop === 'none') throw new Error('SelfplayDriver: the experiment runs no self-play loop.');
    this.loop = config.selfplay.loop;
    this.impl = buildLoop(config, modelConfig, params, task);
  }

  get trainArms(): string[] {
    return this.impl.trainArms;
  }

  get done(): boolean {
    return this.iteration >= this.config.selfplay.iterations;
  }

  /** Whether prepare() has run (it runs once, before the first iteration). */
  get prepared(): boolean {
    return this.started;
  }

  /** One step of the loop's preparation (propose/solve's warm-up), so that pause and stop act between
   *  steps; null once there is nothing left to prepare and `prepare` may run. */
  async prepareStep(): Promise<PrepareProgress | null> {
    if (this.disposed) throw new Error('SelfplayDriver: the loop was disposed (the run was stopped).');
    return (await this.impl.prepareStep?.()) ?? null;
  }

  /** Finishes the loop's preparation (what prepareStep left, if anything) and evaluates the starting
   *  policy: the metrics of iteration 0, and what the preparation did in words (for the log). */
  async prepare(): Promise<{ metrics: Record<string, number>; note?: string }> {
    const metrics = flattenMetrics(await this.impl.start());
    this.started = true;
    return { metrics, ...(this.impl.note ? { note: this.impl.note } : {}) };
  }

  /** One loop iteration; returns the iterations done (1 after the first) and its flattened metrics. */
  async iterate(): Promise<{ iteration: number; metrics: Record<string, number> }> {
    if (this.disposed) throw new Error('SelfplayDriver: the loop was disposed (the run was stopped).');
    if (this.done) throw new Error(`SelfplayDriver: all ${this.config.selfplay.iterations} iterations are done.`);
    const metrics = flattenMetrics(await this.impl.iterate());
    this.iteration++;
    return { iteration: this.iteration, metrics };
  }

  /** Frees the loop's optimiser state (the params belong to the run). Idempotent; no iteration after it. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.impl.dispose();
  }
}
