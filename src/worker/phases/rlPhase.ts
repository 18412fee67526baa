// The RL phase: the trainer's steps, with the held-out evaluations due (step 0, every run.evalEvery,
// the last step). Resumable: after each completed step (every `hostStateEvery`) the trainer's state is
// read to host memory before the step's metrics go out, so a lost device resumes from the last
// completed step on a new backend with no metric lost or sent twice.
import { buildTrainer } from '../../experiment/runBuilder';
import type { ExperimentConfig } from '../../experiment/schema';
import { toRlConfig } from '../../experiment/toTrainerConfig';
import { createParams } from '../../model/params';
import type { RlTrainer, HostTrainingState } from '../../rl/trainer';
import { CONTINUE, PhaseStepError, type Phase, type PhaseContext, type PhaseOutcome } from './phase';

export interface RlPhaseOptions {
  /** Read the trainer's state to host memory every this many completed steps (default 1). */
  hostStateEvery?: number;
  /** The evaluation's own seed and temperature (the ruler); default: the run's. */
  ruler?: () => { seed?: number; temperature?: number };
}

export class RlPhase implements Phase {
  readonly kind = 'rl' as const;
  readonly resumable = true;
  private trainer: RlTrainer;
  /** The step the last evaluation ran at (-1: none yet). */
  private evaluatedAt = -1;
  /** The trainer's state after the last completed step that was saved: survives a lost device. */
  private saved: HostTrainingState | null = null;
  /** The highest step whose metrics were sent (-1: none): steps redone after a lost device are not resent. */
  private sentStep = -1;

  constructor(
    private readonly ctx: PhaseContext,
    private readonly options: RlPhaseOptions = {},
  ) {
    // Over the params as they are now: after a warm-up, the reference and the optimiser start there.
    this.trainer = buildTrainer(ctx.run);
  }

  get step(): number {
    return this.trainer.step;
  }

  get arms(): string[] {
    return this.ctx.run.arms;
  }

  get resumeStep(): number | undefined {
    return this.saved?.step;
  }

  /** Step 0's state: what a device lost during the first step resumes from. */
  async begin(): Promise<void> {
    this.saved = await this.trainer.readState();
  }

  private evalDue(): boolean {
    const { evalEvery, steps } = this.ctx.run.config.run;
    const step = this.trainer.step;
    return evalEvery > 0 && this.evaluatedAt !== step && (step % evalEvery === 0 || step >= steps);
  }

  async advance(): Promise<PhaseOutcome> {
    const steps = this.ctx.run.config.run.steps;
    const finished = (): PhaseOutcome => ({ kind: 'finished', message: `Finished: ${this.trainer.step} steps.` });
    if (this.evalDue()) await this.evaluate();
    if (this.trainer.step >= steps) return finished();
    const before = this.trainer.step;
    let result: Awaited<ReturnType<RlTrainer['trainStep']>>;
    try {
      result = await this.trainer.trainStep();
    } catch (e) {
      this.trainer.step = before; // the step did not happen (rewards fail before any update)
      throw e;
    }
    // Saved before the metrics go out: if the device is lost during the read, this step is redone
    // from the previous state and its metrics are sent once, after the redo.
    const every = Math.max(1, Math.floor(this.options.hostStateEvery ?? 1));
    if (this.trainer.step % every === 0) this.saved = await this.trainer.readState();
    if (result.metrics.step > this.sentStep) {
      this.sentStep = result.metrics.step;
      const runId = this.ctx.runId;
      this.ctx.emit({ type: 'metrics', runId, step: result.metrics.step, metrics: result.metrics, curriculum: this.ctx.run.curriculum.state() });
      this.ctx.emit({ type: 'samples', runId, step: result.metrics.step, samples: result.samples });
    }
    if (this.trainer.step < steps) return CONTINUE;
    if (this.evalDue()) await this.evaluate();
    return finished();
  }

  private async evaluate(requestId?: number): Promise<void> {
    const step = this.trainer.step;
    const c = this.ctx.run.config.run;
    let results: Awaited<ReturnType<RlTrainer['evaluate']>>;
    try {
      results = await this.trainer.evaluate(this.ctx.run.arms, c.evalPrompts, c.evalSamples, this.options.ruler?.() ?? {});
    } catch (e) {
      throw new PhaseStepError(`The evaluation at step ${step}`, e);
    }
    this.evaluatedAt = step;
    this.ctx.emit({ type: 'evaluation', runId: this.ctx.runId, step, results, ...(requestId !== undefined ? { requestId } : {}) });
  }

  evaluateNow(requestId?: number): Promise<void> {
    return this.evaluate(requestId);
  }

  applyConfig(config: ExperimentConfig): void {
    this.trainer.config = toRlConfig(config);
  }

  /** The old trainer's buffers died with the device: a new one from the saved state, on the new backend. */
  recover(): void {
    const saved = this.saved;
    if (!saved) throw new Error('no saved state to resume from');
    const params = createParams(this.ctx.run.modelConfig, saved.params);
    this.trainer = this.trainer.continueFrom(saved, params);
    this.ctx.run.params = params;
    this.evaluatedAt = Math.min(this.evaluatedAt, saved.step);
  }

  dispose(): void {
    this.trainer.dispose();
  }
}
