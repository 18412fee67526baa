// The training worker's logic, free of Worker APIs so Node tests and scripts can drive it: commands in
// through `handle`, events out through `emit`. It owns the backend (it alone touches the device) and
// the run, built by the one run builder (src/experiment/runBuilder.ts) and driven through its phases
// (./phases: SFT warm-up, RL, self-play). Here lives only what every phase shares: the job chain, the
// state machine, device-loss recovery and one failure policy (failurePolicy.ts). A run is a set of
// replicas (./replicaSet.ts: N seeds advanced together; one for a single-seed run): every command acts
// on all of them.
//
// Concurrency: everything that touches the run runs as a job on one promise chain, so jobs never
// interleave; the loop queues one advance (one round: a step of every replica) at a time and yields
// between them, so pause / stop / updateConfig arriving mid-round take effect right after it (after
// `status paused`, no more metrics).
//
// Device loss (generation, backward or readback): a resumable phase (RL) keeps a host copy of its state
// after each completed step; a new backend comes up, the phase is rebuilt from that copy, and a running
// run keeps running from the next step, no metric lost or sent twice. A failure whose error does not
// name the lost device (a readback failing as the device goes) is first checked against its `lost` signal.
import { RunConfigError, type CheckpointLoader } from '../experiment/runBuilder';
import { experimentSchema, type ExperimentConfig } from '../experiment/schema';
import { CheckpointError, serializeCheckpoint } from '../model/checkpoint';
import { defaultGptConfig, parameterCount, type GptConfig } from '../model/config';
import { readParams } from '../model/params';
import type { RewardFunction } from '../rl/rollout';
import type { Task } from '../tasks/task';
import { isDeviceLostError, selectBackend, type BackendFactory } from './backendSelection';
import { DeviceWatch } from './deviceWatch';
import { failureAction, rootCause } from './failurePolicy';
import { createPhase } from './phases/createPhase';
import { PhaseStopError, type Phase, type PhaseContext } from './phases/phase';
import { buildReplicas, ReplicaError, ReplicaSet, type Replica } from './replicaSet';
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

type Run = ReplicaSet;

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
    return this.run?.step ?? 0;
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
    // The old loop ends after its step; a run still active is reported stopped (a `stop` just before reports its own).
    const replacing = this.state === 'running' || this.state === 'paused' ? this.run : null;
    if (replacing) this.state = 'stopped';
    await this.exclusive(async () => {
      if (replacing) this.emitStoppedStatus(replacing, 'Replaced by a new run.');
      this.disposeRun();
      if (this.deviceLost || !this.device.ready) await this.initBackend();
      const ids = command.runIds ?? [];
      const firstId = ids[0] ?? null;
      const parsed = experimentSchema.safeParse(command.config);
      if (parsed.success && ids.length !== parsed.data.seeds) {
        const issue = `runIds: ${ids.length} record ids for ${parsed.data.seeds} seeds (one per replica is needed)`;
        this.setState('error', issue);
        this.fail('config', issue, { issues: [issue] }, firstId);
        return;
      }
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
        this.setState('error', `The experiment config is invalid: ${issues.join('; ')}`);
        this.fail('config', `The experiment config is invalid: ${issues.join('; ')}`, { issues }, firstId);
        return;
      }
      this.setState('loading');
      let built: Run | null = null;
      let run: Run;
      try {
        run = built = await this.buildRun(ids, parsed.data);
        await run.begin();
      } catch (e) {
        built?.dispose(this.deviceLost); // its replicas' weights and phases, built before begin failed
        const cause = e instanceof ReplicaError ? e.cause : e;
        const message = (cause as Error).message;
        if (cause instanceof CheckpointError) this.fail('checkpoint', message, { url: (cause as { url?: string }).url }, firstId);
        else if (cause instanceof RunConfigError || cause instanceof PhaseStopError) this.fail('config', message, { issues: [message] }, firstId);
        else this.fail('internal', `The run could not start: ${message}`, { stack: (cause as Error).stack }, firstId);
        this.setState('error', message);
        return;
      }
      this.run = run;
      run.pauseAt = command.pauseAtStep ?? null;
      for (const r of run.replicas) {
        this.emit({ type: 'runInfo', runId: r.id, task: r.built.task.id, arms: r.phase.arms, init: r.built.config.model.init, parameters: parameterCount(r.built.modelConfig) });
      }
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
    const run = this.run;
    this.state = 'stopped';
    await this.idle();
    // A start queued right behind this stop ("Load and run" during a run) may have replaced the run by
    // now: the stop is the old run's alone (a self-play phase's `stopped()` frees its loop).
    if (run && this.run !== run) return this.emitStoppedStatus(run, 'Stopped.');
    run?.stopped();
    if (this.state === 'stopped') this.emitStatus('Stopped.');
  }

  private async updateConfig(command: CommandOf<'updateConfig'>): Promise<void> {
    await this.exclusive(async () => {
      const run = this.run;
      const fields = Object.keys(command.patch ?? {});
      const refuse = (reason: string) => this.emit({ type: 'configUpdated', runId: run?.id ?? null, step: this.step, applied: [], refused: fields.map((field) => ({ field, reason })) });
      if (!run) return refuse('There is no run to change; start one with the new config.');
      const refusal = run.refuseLiveChange();
      if (refusal) return refuse(refusal);
      const result = run.applyLivePatch(command.patch ?? {});
      this.emit({ type: 'configUpdated', runId: run.id, step: this.step, applied: result.applied, refused: result.refused });
    });
  }

  private async snapshot(command: CommandOf<'snapshot'>): Promise<void> {
    await this.exclusive(async () => {
      const run = this.run;
      if (!run) {
        this.fail('internal', 'There is no run to take a snapshot of.', undefined, null);
        return;
      }
      const { id, built, phase } = run.replica(command.runId);
      const values = await readParams(built.params);
      const bytes = serializeCheckpoint({
        config: built.modelConfig,
        values,
        metadata: { task: built.task.id, run_id: id, step: String(phase.step), experiment: JSON.stringify(built.config) },
      });
      this.emit({ type: 'snapshot', runId: id, step: phase.step, bytes, ...(command.requestId !== undefined ? { requestId: command.requestId } : {}) }, [bytes.buffer as ArrayBuffer]);
    });
  }

  private async evaluateNow(command: CommandOf<'evaluate'>): Promise<void> {
    await this.exclusive(async () => {
      const run = this.run;
      if (!run) return;
      try {
        await run.evaluateNow(command.requestId);
      } catch (e) {
        await this.failed(run, e, false);
      }
    });
  }

  // ------------------------------------------------------------------------------------ the run

  /** One replica per id (seed replicaSeed(config, k)), each a whole run of the one run builder. */
  private async buildRun(ids: string[], config: ExperimentConfig): Promise<Run> {
    const replicas = await buildReplicas(
      ids,
      config,
      {
        ...(this.options.loadCheckpoint ? { loadCheckpoint: this.options.loadCheckpoint } : {}),
        randomModelConfig: this.options.randomModelConfig ?? defaultGptConfig,
        ...(this.options.reward ? { rewardOverride: this.options.reward } : {}),
        codeReward: () => this.codeRewardFunction(config),
        log: (m) => this.log(m),
      },
      (built) => void (built.reward = guardReward(built.reward)),
    );
    const set: Run = new ReplicaSet(replicas, (r, s) => this.makePhase(s, r), () => this.run !== set || this.deviceLost);
    return set;
  }

  private makePhase(set: Run, replica: Replica): Phase {
    const ctx: PhaseContext = {
      runId: replica.id,
      run: replica.built,
      emit: (event, transfer) => {
        if (this.run === set || this.run === null) this.emit(event, transfer);
      },
      // A replica's notes would repeat the first one's.
      log: (m) => void (replica.index === 0 && this.log(m)),
    };
    // The ruler: evaluation at its own seed and temperature (read when each evaluation runs), the same
    // for every replica, never the run's seed.
    const ruler = () => ({ seed: replica.built.config.run.evalSeed, temperature: replica.built.config.run.evalTemperature });
    return createPhase(replica.built.phases[replica.phaseIndex], ctx, { hostStateEvery: this.options.hostStateEvery, ruler });
  }

  private codeRewardFunction(config: ExperimentConfig): RewardFunction {
    this.codeRunner ??= this.options.createCodeRewardRunner?.() ?? null;
    return sandboxOrExplain(this.codeRunner, () => this.run?.primary.built.config.reward.code ?? config.reward.code);
  }

  private async loop(run: Run): Promise<void> {
    if (run.looping) return;
    run.looping = true;
    try {
      while (this.run === run && this.state === 'running') {
        await this.exclusive(() => this.advance(run, false));
        if (this.run === run && this.state === 'running' && run.reachedPauseAt()) this.setState('paused', `Stopped at step ${run.step} as the link asks; press Play to go on.`);
        await this.yieldBetweenSteps();
      }
    } finally {
      run.looping = false;
    }
  }

  /** One round of the run: a unit of every replica's current phase. `single`: a stepOnce while paused. */
  private async advance(run: Run, single: boolean): Promise<void> {
    if (this.run !== run || this.deviceLost || (!single && this.state !== 'running')) return;
    const phaseBefore = run.primary.phaseIndex;
    let outcome: Awaited<ReturnType<Phase['advance']>>;
    try {
      outcome = await run.advance();
    } catch (e) {
      if (this.run === run) await this.failed(run, e, true);
      return;
    }
    if (this.run !== run || this.deviceLost) return;
    if (outcome.kind === 'finished') {
      if (this.state !== 'stopped') this.setState('stopped', outcome.message);
      return;
    }
    const { phase, phaseIndex, built } = run.primary;
    if (phaseIndex !== phaseBefore) this.log(phase.kind === 'rl' ? `RL starts from the warmed-up policy on ${phase.arms.join(', ')}.` : `The ${built.config.selfplay.loop} loop starts from the warmed-up policy.`);
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
    // The error names the replica that failed (its record shows it); the state change is every replica's.
    const replica = error instanceof ReplicaError ? run.replica(error.replica.id) : run.primary;
    const action = failureAction(error, replica.phase.step, during);
    if (action.kind === 'report') {
      this.fail('internal', action.message, action.stack ? { stack: action.stack } : {}, replica.id);
    } else if (action.kind === 'stop') {
      this.fail('config', action.message, { issues: [action.message] }, replica.id);
      this.setState('stopped', action.message);
    } else {
      this.state = 'paused';
      this.fail(action.error.kind, action.error.message, action.error.detail, replica.id);
      this.emitStatus(action.status);
    }
  }

  // ------------------------------------------------------------------------------------ backend

  private async initBackend(): Promise<void> {
    this.deviceLost = false;
    const selected = await this.device.bringUp((reason) => this.onDeviceLost(reason));
    this.emit({
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
    const resumeStep = run?.resumable ? run.resumeStep : undefined;
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
      run.recover();
    } catch (e) {
      this.run = null;
      this.fail('device-lost', `The run could not resume on a new device: ${(e as Error).message}`, { reason: (e as Error).message }, run.id);
      this.setState('stopped', 'The GPU device was lost and the run could not resume.');
      return;
    }
    this.log(`Run ${run.ids.join(', ')} resumed at step ${resumeStep} on the new device.`);
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
    run?.dispose(this.deviceLost);
  }

  private setState(state: SessionState, message?: string): void {
    this.state = state;
    this.emitStatus(message);
  }

  private emitStatus(message?: string): void {
    this.emit({ type: 'status', state: this.state, step: this.step, runId: this.run?.id ?? null, runIds: this.run?.ids ?? [], ...(message ? { message } : {}) });
  }

  /** `status stopped` of a run that is no longer the session's (replaced by a newer start). */
  private emitStoppedStatus(run: Run, message: string): void {
    this.emit({ type: 'status', state: 'stopped', step: run.step, runId: run.id, runIds: run.ids, message });
  }

  private fail<K extends ErrorKind>(kind: K, message: string, detail?: ErrorDetailMap[K], runId: string | null = this.run?.id ?? null): void {
    this.emit({ type: 'error', runId, kind, message, ...(detail ? { detail } : {}) } as TrainingEvent);
  }

  private log(message: string): void {
    this.emit({ type: 'log', message });
  }
}
