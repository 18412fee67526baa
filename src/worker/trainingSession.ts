// The training worker's logic, free of Worker APIs so Node tests and scripts can drive it: commands in
// through `handle`, events out through `emit`. It owns the backend (it alone touches the device) and
// the run, built by the one run builder (src/experiment/runBuilder.ts) and driven through its phases
// (./phases: SFT warm-up, RL, self-play). Here lives only what every phase shares: the job chain, the
// state machine, device-loss recovery and one failure policy (failurePolicy.ts).
//
// Concurrency: everything that touches the run runs as a job on one promise chain, so jobs never
// interleave; the loop queues one advance at a time and yields between them, so pause / stop /
// updateConfig arriving mid-step take effect right after it (after `status paused`, no more metrics).
//
// Device loss (generation, backward or readback): a resumable phase (RL) keeps a host copy of its state
// after each completed step; a new backend comes up, the phase is rebuilt from that copy, and a running
// run keeps running from the next step, no metric lost or sent twice. A failure whose error does not
// name the lost device (a readback failing as the device goes) is first checked against its `lost` signal.
import { buildRun, RunConfigError, type BuiltRun, type CheckpointLoader } from '../experiment/runBuilder';
import { experimentSchema, type ExperimentConfig } from '../experiment/schema';
import { CheckpointError, serializeCheckpoint } from '../model/checkpoint';
import { defaultGptConfig, parameterCount, type GptConfig } from '../model/config';
import { disposeParams, readParams } from '../model/params';
import type { RewardFunction } from '../rl/rollout';
import type { Task } from '../tasks/task';
import { isDeviceLostError, selectBackend, type BackendFactory } from './backendSelection';
import { DeviceWatch } from './deviceWatch';
import { failureAction, rootCause } from './failurePolicy';
import { applyLivePatch } from './liveConfig';
import { createPhase } from './phases/createPhase';
import { PhaseStopError, type Phase, type PhaseContext } from './phases/phase';
import type { CommandOf, ErrorDetailMap, ErrorKind, SessionState, TrainingCommand, TrainingEvent } from './protocol';
import { guardReward, sandboxOrExplain, type CodeRewardRunner } from './sessionRewards';

export interface TrainingSessionOptions {
  /** Where events go (the worker posts them; tests and scripts collect them). Transfer lists ride along. */
  emit: (event: TrainingEvent, transfer?: Transferable[]) => void;
  /** Default: WebGPU if available, else the CPU backend. */
  createBackend?: BackendFactory;
  /** Loads a task's base checkpoint (model.init 'base'). Without one, only 'random' runs can start. */
  loadCheckpoint?: CheckpointLoader;
  /** The reward sandbox host, made on the first run with reward.kind 'code'. */
  createCodeRewardRunner?: () => CodeRewardRunner;
  /** Replaces the config's reward (tests; later e.g. self-play roles). */
  reward?: (config: ExperimentConfig, task: Task) => RewardFunction;
  /** The architecture of model.init 'random' and 'sft' (default: defaultGptConfig). */
  randomModelConfig?: GptConfig;
  /** How the loop gives the event loop a turn between steps (default: a macrotask). */
  yieldBetweenSteps?: () => Promise<void>;
  /** Read the trainer's state to host memory every this many completed steps (default 1: one readback
   *  of ~4 × the parameter bytes per step). A lost device resumes from it. */
  hostStateEvery?: number;
  /** How long a failed step that does not look like a lost device waits for the device's `lost`
   *  signal before calling the failure a bug (default 250 ms; a failed readback waits up to 5 s). */
  deviceLossGraceMs?: number;
}

interface Run {
  id: string;
  built: BuiltRun;
  /** Index into built.phases of the phase under way. */
  index: number;
  phase: Phase;
  looping: boolean;
}

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class TrainingSession {
  private state: SessionState = 'idle';
  private run: Run | null = null;
  private deviceLost = false;
  private readonly device: DeviceWatch;
  private chain: Promise<unknown> = Promise.resolve();
  private codeRunner: CodeRewardRunner | null = null;
  private readonly emit: TrainingSessionOptions['emit'];
  private readonly yieldBetweenSteps: () => Promise<void>;

  constructor(private readonly options: TrainingSessionOptions) {
    this.emit = options.emit;
    this.device = new DeviceWatch(options.createBackend ?? selectBackend);
    this.yieldBetweenSteps = options.yieldBetweenSteps ?? macrotask;
  }

  get currentState(): SessionState {
    return this.state;
  }

  /** Optimisation steps done (self-play: loop iterations done). */
  get step(): number {
    return this.run?.phase.step ?? 0;
  }

  /** Brings the backend up and reports it (`ready`, then `status idle`). Commands wait for it. */
  init(): Promise<void> {
    return this.exclusive(() => this.initBackend());
  }

  /** Handles one command; resolves when it has taken effect (start: when the run has begun). */
  async handle(command: TrainingCommand): Promise<void> {
    try {
      const c = command as never;
      const handlers: { [K in TrainingCommand['type']]: () => Promise<void> } = {
        start: () => this.start(c),
        pause: () => this.pause(),
        resume: () => this.resume(),
        stepOnce: () => this.stepOnce(),
        stop: () => this.stop(),
        updateConfig: () => this.updateConfig(c),
        snapshot: () => this.snapshot(c),
        evaluate: () => this.evaluateNow(c),
      };
      const handler = handlers[command.type as TrainingCommand['type']];
      if (handler) return await handler();
      this.log(`Unknown command ${JSON.stringify((command as { type: unknown }).type)} ignored.`);
    } catch (e) {
      this.fail('internal', `The ${command.type} command failed: ${(e as Error).message}`, { stack: (e as Error).stack });
    }
  }

  /** Frees the run and the reward sandbox (the worker is going away, or a test is done). */
  async dispose(): Promise<void> {
    this.state = 'stopped';
    await this.idle();
    this.disposeRun();
    this.codeRunner?.dispose?.();
    this.codeRunner = null;
  }

  // ------------------------------------------------------------------------------------ commands

  private async start(command: CommandOf<'start'>): Promise<void> {
    if (this.state === 'running' || this.state === 'paused') this.state = 'stopped'; // the old loop ends after its step
    await this.exclusive(async () => {
      this.disposeRun();
      if (this.deviceLost || !this.device.ready) await this.initBackend();
      const parsed = experimentSchema.safeParse(command.config);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
        this.setState('error', `The experiment config is invalid: ${issues.join('; ')}`);
        this.fail('config', `The experiment config is invalid: ${issues.join('; ')}`, { issues }, command.runId);
        return;
      }
      this.setState('loading');
      let run: Run;
      try {
        run = await this.buildRun(command.runId, parsed.data);
        await run.phase.begin?.();
      } catch (e) {
        const message = (e as Error).message;
        if (e instanceof CheckpointError) this.fail('checkpoint', message, { url: (e as { url?: string }).url }, command.runId);
        else if (e instanceof RunConfigError || e instanceof PhaseStopError) this.fail('config', message, { issues: [message] }, command.runId);
        else this.fail('internal', `The run could not start: ${message}`, { stack: (e as Error).stack }, command.runId);
        this.setState('error', message);
        return;
      }
      this.run = run;
      this.emitEvent({
        type: 'runInfo',
        runId: run.id,
        task: run.built.task.id,
        arms: run.phase.arms,
        init: run.built.config.model.init,
        parameters: parameterCount(run.built.modelConfig),
      });
      this.setState(command.paused ? 'paused' : 'running');
      if (!command.paused) void this.loop(run);
    });
  }

  private async pause(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'paused';
    await this.idle();
    if (this.state === 'paused') this.emitStatus();
  }

  private async resume(): Promise<void> {
    const run = this.run;
    if (!run || this.state !== 'paused') return;
    this.setState('running');
    void this.loop(run);
  }

  private async stepOnce(): Promise<void> {
    const run = this.run;
    if (!run || this.state !== 'paused') return;
    await this.exclusive(() => this.advance(run, true));
  }

  private async stop(): Promise<void> {
    if (this.state !== 'running' && this.state !== 'paused') return;
    this.state = 'stopped';
    await this.idle();
    this.run?.phase.stopped?.();
    if (this.state === 'stopped') this.emitStatus('Stopped.');
  }

  private async updateConfig(command: CommandOf<'updateConfig'>): Promise<void> {
    await this.exclusive(async () => {
      const run = this.run;
      const fields = Object.keys(command.patch ?? {});
      const refuse = (reason: string) => this.emitEvent({ type: 'configUpdated', runId: run?.id ?? null, step: this.step, applied: [], refused: fields.map((field) => ({ field, reason })) });
      if (!run) return refuse('There is no run to change; start one with the new config.');
      const refusal = run.phase.refuseLiveChange?.();
      if (refusal) return refuse(refusal);
      const result = applyLivePatch(run.built.config, command.patch);
      // The run's config is what later phases are built from (RL after a warm-up takes the change too).
      run.built.config = result.config;
      run.phase.applyConfig?.(result.config);
      this.emitEvent({ type: 'configUpdated', runId: run.id, step: this.step, applied: result.applied, refused: result.refused });
    });
  }

  private async snapshot(command: CommandOf<'snapshot'>): Promise<void> {
    await this.exclusive(async () => {
      const run = this.run;
      if (!run) {
        this.fail('internal', 'There is no run to take a snapshot of.', undefined, null);
        return;
      }
      const { built } = run;
      const values = await readParams(built.params);
      const bytes = serializeCheckpoint({
        config: built.modelConfig,
        values,
        metadata: { task: built.task.id, run_id: run.id, step: String(this.step), experiment: JSON.stringify(built.config) },
      });
      this.emitEvent({ type: 'snapshot', runId: run.id, step: this.step, bytes, ...(command.requestId !== undefined ? { requestId: command.requestId } : {}) }, [bytes.buffer as ArrayBuffer]);
    });
  }

  private async evaluateNow(command: CommandOf<'evaluate'>): Promise<void> {
    await this.exclusive(async () => {
      const run = this.run;
      if (!run) return;
      try {
        await run.phase.evaluateNow(command.requestId);
      } catch (e) {
        await this.failed(run, e, false);
      }
    });
  }

  // ------------------------------------------------------------------------------------ the run

  private async buildRun(id: string, config: ExperimentConfig): Promise<Run> {
    const built = await buildRun(config, {
      ...(this.options.loadCheckpoint ? { loadCheckpoint: this.options.loadCheckpoint } : {}),
      randomModelConfig: this.options.randomModelConfig ?? defaultGptConfig,
      ...(this.options.reward ? { rewardOverride: this.options.reward } : {}),
      codeReward: () => this.codeRewardFunction(config),
      log: (m) => this.log(m),
    });
    built.reward = guardReward(built.reward);
    const run: Run = { id, built, index: 0, phase: null as unknown as Phase, looping: false };
    try {
      run.phase = this.makePhase(run);
    } catch (e) {
      disposeParams(built.params);
      throw e;
    }
    return run;
  }

  private makePhase(run: Run): Phase {
    const ctx: PhaseContext = {
      runId: run.id,
      run: run.built,
      emit: (event, transfer) => {
        if (this.run === run || this.run === null) this.emitEvent(event, transfer);
      },
      log: (m) => this.log(m),
    };
    // The ruler: evaluation at its own seed and temperature (read when each evaluation runs), not the run's.
    return createPhase(run.built.phases[run.index], ctx, { hostStateEvery: this.options.hostStateEvery, ruler: () => ({ seed: run.built.config.run.evalSeed, temperature: run.built.config.run.evalTemperature }) });
  }

  private codeRewardFunction(config: ExperimentConfig): RewardFunction {
    this.codeRunner ??= this.options.createCodeRewardRunner?.() ?? null;
    return sandboxOrExplain(this.codeRunner, () => this.run?.built.config.reward.code ?? config.reward.code);
  }

  private async loop(run: Run): Promise<void> {
    if (run.looping) return;
    run.looping = true;
    try {
      while (this.run === run && this.state === 'running') {
        await this.exclusive(() => this.advance(run, false));
        await this.yieldBetweenSteps();
      }
    } finally {
      run.looping = false;
    }
  }

  /** One unit of the run's current phase. `single`: a stepOnce while paused. */
  private async advance(run: Run, single: boolean): Promise<void> {
    if (this.run !== run || this.deviceLost || (!single && this.state !== 'running')) return;
    let outcome: Awaited<ReturnType<Phase['advance']>>;
    try {
      outcome = await run.phase.advance();
    } catch (e) {
      if (this.run === run) await this.failed(run, e, true);
      return;
    }
    if (this.run !== run || this.deviceLost) return;
    if (outcome.kind === 'finished') {
      if (this.state !== 'stopped') this.setState('stopped', outcome.message);
      return;
    }
    if (outcome.kind === 'next') await this.nextPhase(run);
  }

  /** The phase is done: the next one, built over the run's params as the last one left them. */
  private async nextPhase(run: Run): Promise<void> {
    run.phase.dispose();
    run.index++;
    try {
      run.phase = this.makePhase(run);
      await run.phase.begin?.();
    } catch (e) {
      await this.failed(run, e instanceof PhaseStopError ? e : new PhaseStopError((e as Error).message), true);
      return;
    }
    const kind = run.phase.kind;
    this.log(kind === 'rl' ? `RL starts from the warmed-up policy on ${run.phase.arms.join(', ')}.` : `The ${run.built.config.selfplay.loop} loop starts from the warmed-up policy.`);
  }

  // ------------------------------------------------------------------------------------ failures

  /** A lost device first (it must wait for the device's signal), then failurePolicy.ts decides.
   *  `during`: the failure interrupted the run's loop (else: a command's job). */
  private async failed(run: Run, error: unknown, during: boolean): Promise<void> {
    const cause = rootCause(error);
    if (isDeviceLostError(cause) || (await this.device.lostWithin(DeviceWatch.graceFor(cause, this.options.deviceLossGraceMs)))) {
      this.onDeviceLost((cause as Error)?.message ?? String(cause));
      return;
    }
    if (this.run !== run) return;
    const action = failureAction(error, run.phase.step, during);
    if (action.kind === 'report') {
      this.fail('internal', action.message, action.stack ? { stack: action.stack } : {}, run.id);
    } else if (action.kind === 'stop') {
      this.fail('config', action.message, { issues: [action.message] }, run.id);
      this.setState('stopped', action.message);
    } else {
      this.state = 'paused';
      this.fail(action.error.kind, action.error.message, action.error.detail, run.id);
      this.emitStatus(action.status);
    }
  }

  // ------------------------------------------------------------------------------------ backend

  private async initBackend(): Promise<void> {
    this.deviceLost = false;
    const selected = await this.device.bringUp((reason) => this.onDeviceLost(reason));
    this.emitEvent({
      type: 'ready',
      backend: selected.kind,
      ...(selected.adapter ? { adapter: selected.adapter } : {}),
      ...(selected.fallbackReason ? { fallbackReason: selected.fallbackReason } : {}),
    });
    if (this.state === 'idle') this.emitStatus();
  }

  /** The device is gone, and every buffer with it. A resumable phase carries on from its host copy on a
   *  new backend (WebGPU again, or the CPU one); a running run keeps running. Otherwise the run stops. */
  private onDeviceLost(reason: string): void {
    if (this.deviceLost) return;
    this.deviceLost = true;
    const run = this.run;
    const resumeStep = run?.phase.resumable ? run.phase.resumeStep : undefined;
    if (!run || resumeStep === undefined) {
      this.fail('device-lost', `${reason} The run has stopped; start it again to continue on a new device.`, { reason }, run?.id ?? null);
      // The old device's buffers are gone: drop the run without touching them.
      this.run = null;
      if (run) this.setState('stopped', reason);
      return;
    }
    this.fail('device-lost', `${reason} Resuming from step ${resumeStep} on a new device.`, { reason, resumeStep }, run.id);
    void this.exclusive(() => this.recover(run, resumeStep));
  }

  private async recover(run: Run, resumeStep: number): Promise<void> {
    if (this.run !== run) return;
    try {
      await this.initBackend();
      run.phase.recover?.();
    } catch (e) {
      this.run = null;
      this.fail('device-lost', `The run could not resume on a new device: ${(e as Error).message}`, { reason: (e as Error).message }, run.id);
      this.setState('stopped', 'The GPU device was lost and the run could not resume.');
      return;
    }
    this.log(`Run ${run.id} resumed at step ${resumeStep} on the new device.`);
    this.emitStatus(`Resumed at step ${resumeStep} after the GPU device was lost.`);
    // A running run goes on by itself (its loop may have ended while the device was being replaced).
    if (this.state === 'running') void this.loop(run);
  }

  /** Destroys the GPU device, as a driver reset would (tests of the recovery). On the CPU backend,
   *  which has no device, it reports a loss all the same. */
  loseDeviceForTesting(): void {
    if (!this.device.destroyDevice()) this.onDeviceLost('The device was lost (simulated).');
  }

  // ------------------------------------------------------------------------------------ helpers

  private exclusive<T>(job: () => Promise<T>): Promise<T> {
    const result = this.chain.then(job);
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** Resolves when every queued job (the step in flight included) has finished. */
  private async idle(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.chain;
      await seen;
    } while (seen !== this.chain);
  }

  private disposeRun(): void {
    const run = this.run;
    this.run = null;
    if (!run || this.deviceLost) return;
    run.phase.dispose();
    disposeParams(run.built.params);
  }

  private setState(state: SessionState, message?: string): void {
    this.state = state;
    this.emitStatus(message);
  }

  private emitStatus(message?: string): void {
    this.emitEvent({ type: 'status', state: this.state, step: this.step, runId: this.run?.id ?? null, ...(message ? { message } : {}) });
  }

  private emitEvent(event: TrainingEvent, transfer?: Transferable[]): void {
    this.emit(event, transfer);
  }

  private fail<K extends ErrorKind>(kind: K, message: string, detail?: ErrorDetailMap[K], runId: string | null = this.run?.id ?? null): void {
    this.emitEvent({ type: 'error', runId, kind, message, ...(detail ? { detail } : {}) } as TrainingEvent);
  }

  private log(message: string): void {
    this.emitEvent({ type: 'log', message });
  }
}
