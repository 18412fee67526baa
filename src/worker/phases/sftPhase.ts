// The SFT warm-up phase (model.init 'sft'): supervised steps on the task's problems from a fresh seeded
// init, one per advance, each reported as `sftProgress`. Not resumable: a device lost during it stops
// the run (RL from the untrained weights would be a different run).
import { SftWarmup } from '../sftWarmup';
import { CONTINUE, PhaseStepError, PhaseStopError, type Phase, type PhaseContext, type PhaseOutcome } from './phase';

export class SftPhase implements Phase {
  readonly kind = 'sft' as const;
  readonly step = 0;
  readonly resumable = false;
  private readonly warmup: SftWarmup;

  constructor(private readonly ctx: PhaseContext) {
    const { config, modelConfig, params, task } = ctx.run;
    const m = config.model;
    try {
      // Every arm, uniformly, like the shipped base checkpoints (RL then picks its arms).
      this.warmup = new SftWarmup(modelConfig, params, task, { steps: m.sftSteps, lr: m.sftLr, batchSize: m.sftBatch, seed: config.seed });
    } catch (e) {
      throw new PhaseStopError((e as Error).message);
    }
  }

  get arms(): string[] {
    return this.ctx.run.arms;
  }

  async advance(): Promise<PhaseOutcome> {
    let progress: Awaited<ReturnType<SftWarmup['next']>>;
    try {
      progress = await this.warmup.next();
    } catch (e) {
      throw new PhaseStepError(`SFT warm-up step ${this.warmup.step + 1}`, e);
    }
    this.ctx.emit({ type: 'sftProgress', runId: this.ctx.runId, ...progress });
    if (!Number.isFinite(progress.loss)) {
      // No update to undo here (the weights are already damaged): the run ends, with the remedy.
      throw new PhaseStopError(
        `The SFT warm-up's loss became non-finite at step ${progress.step}: its learning rate ${this.ctx.run.config.model.sftLr} is too high. Lower the SFT learning rate and start again.`,
      );
    }
    if (!this.warmup.done) return CONTINUE;
    this.ctx.log(`SFT warm-up done: ${progress.total} steps, last loss ${progress.loss.toFixed(3)}.`);
    return { kind: 'next' };
  }

  async evaluateNow(): Promise<void> {
    this.ctx.log('The held-out evaluation runs once the SFT warm-up is done (at RL step 0).');
  }

  dispose(): void {
    this.warmup.dispose();
  }
}
