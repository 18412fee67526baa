// A self-play loop (src/selfplay/registry.ts) driven by the training session: built from the experiment config
// over the run's params, one iteration per call of `next`, its metrics flattened to numbers for the
// `selfplayMetrics` event. Before the first iteration, `prepare` runs propose/solve's SFT warm-up on seed
// problems and evaluates the starting policy, reported as iteration 0, as an RL run evaluates at step 0.
import { toSelfplayLoopConfig } from '../experiment/toSelfplayConfig';
import type { ExperimentConfig } from '../experiment/schema';
import type { GptConfig } from '../model/config';
import type { GptParams } from '../model/params';
import { flattenMetrics } from '../selfplay/flattenMetrics';
import { createSelfplayRunner, type PrepareProgress, type SelfplayLoopId, type SelfplayRunner } from '../selfplay/registry';
import type { Task } from '../tasks/task';

export type { PrepareProgress, SelfplayLoopId };

/** The registered loop (src/selfplay/registry.ts) the experiment names, over the run's params. */
function buildLoop(config: ExperimentConfig, modelConfig: GptConfig, params: GptParams, task: Task): SelfplayRunner {
  return createSelfplayRunner(toSelfplayLoopConfig(config, task), modelConfig, params, { evaluate: config.selfplay.evalEvery > 0 });
}

export class SelfplayDriver {
  readonly loop: SelfplayLoopId;
  /** Iterations done. */
  iteration = 0;
  private started = false;
  private disposed = false;
  private readonly impl: SelfplayRunner;

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
