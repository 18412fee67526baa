// The self-play phase (selfplay.loop ≠ 'none'): the chosen loop of src/selfplay drives the run instead
// of the RL trainer, one iteration per advance (../selfplayDriver.ts). The first advances prepare the
// loop (propose/solve's warm-up, reported as the SFT warm-up is) and evaluate the start (iteration 0).
// Not resumable: the loop keeps its optimiser state on the device only.
import { SelfplayDriver } from '../selfplayDriver';
import { CONTINUE, PhaseStepError, PhaseStopError, type Phase, type PhaseContext, type PhaseOutcome } from './phase';

export class SelfplayPhase implements Phase {
  readonly kind = 'selfplay' as const;
  readonly resumable = false;
  private readonly driver: SelfplayDriver;

  constructor(private readonly ctx: PhaseContext) {
    const { config, modelConfig, params, task } = ctx.run;
    try {
      this.driver = new SelfplayDriver(config, modelConfig, params, task);
    } catch (e) {
      throw new PhaseStopError(`The self-play loop cannot run on this model: ${(e as Error).message}`);
    }
  }

  get step(): number {
    return this.driver.iteration;
  }

  get arms(): string[] {
    return this.driver.trainArms;
  }

  async advance(): Promise<PhaseOutcome> {
    const driver = this.driver;
    const finished = (): PhaseOutcome => ({ kind: 'finished', message: `Finished: ${driver.iteration} self-play iterations.` });
    if (driver.done) return finished();
    let result: Awaited<ReturnType<SelfplayDriver['iterate']>>;
    try {
      if (!driver.prepared) {
        // Propose/solve's warm-up: one step per advance (pause and stop act between them), on the SFT progress bar.
        const progress = await driver.prepareStep();
        if (progress) {
          this.ctx.emit({ type: 'sftProgress', runId: this.ctx.runId, ...progress });
          return CONTINUE;
        }
        const start = await driver.prepare();
        if (start.note) this.ctx.log(start.note);
        this.ctx.emit({ type: 'selfplayMetrics', runId: this.ctx.runId, loop: driver.loop, iteration: 0, metrics: start.metrics });
      }
      result = await driver.iterate();
    } catch (e) {
      const what = driver.prepared ? `Self-play iteration ${driver.iteration + 1} (${driver.loop})` : `Preparing the ${driver.loop} loop`;
      throw new PhaseStepError(what, e);
    }
    this.ctx.emit({ type: 'selfplayMetrics', runId: this.ctx.runId, loop: driver.loop, iteration: result.iteration, metrics: result.metrics });
    if (!driver.done) return CONTINUE;
    driver.dispose();
    return finished();
  }

  async evaluateNow(): Promise<void> {
    this.ctx.log('A self-play loop evaluates its own held-out set every selfplay.evalEvery iterations (see its plots).');
  }

  refuseLiveChange(): string {
    return 'A self-play run takes no changes mid-run; restart it with the new config.';
  }

  stopped(): void {
    this.driver.dispose(); // a stopped loop never iterates again: its optimiser state goes now
  }

  dispose(): void {
    this.driver.dispose();
  }
}
