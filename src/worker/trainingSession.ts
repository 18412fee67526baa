// The training worker's logic, free of Worker APIs so Node tests can drive it: commands in through
// `handle`, events out through the `emit` callback. It owns the backend (it alone touches the device),
// the model, the trainer and the run loop.
//
// Concurrency: everything that touches the trainer (a step, an evaluation, a snapshot, a config change)
// runs as a job on one promise chain, so jobs never interleave. The run loop queues one step at a time
// and yields to the event loop between steps, so pause / stop / updateConfig arriving mid-step are
// handled right after that step. pause and stop change the state at once (no further step starts) and
// report it once the step in flight has finished: after `status paused`, no more metrics arrive.
//
// SFT warm-up (model.init 'sft'): the run starts from a fresh seeded init and its first steps are
// supervised ones (sftWarmup.ts), taken by the same loop one per job, so pause, stop and stepOnce act
// between them as between RL steps; each reports `sftProgress`. When the last is done the RL trainer is
// rebuilt over the warmed-up weights (its reference policy is a copy of the start, so it must be made
// after the warm-up), and RL goes on as from a base checkpoint: the step-0 evaluation, then RL steps.
//
// Self-play (selfplay.loop ≠ 'none'): the run drives the chosen loop of src/selfplay instead of the RL
// trainer (selfplayDriver.ts), one loop iteration per job of the same loop, so pause, stop and stepOnce
// act between iterations as between RL steps; each reports `selfplayMetrics`, and `step` counts the
// iterations done. The first job also prepares the loop and evaluates the start (iteration 0). The
// loop keeps its optimiser state on the device only: a lost device stops a self-play run.
//
// Device loss: after each completed step (every `hostStateEvery`) the trainer's state is read to host
// memory before the step's metrics go out. When the device is lost, a new backend comes up, the
// trainer is rebuilt from that state, and the run goes on with the next step: no metric lost or resent.
import { createCurriculum, createDifficultyFilter, type Curriculum, type CurriculumConfig } from '../curriculum';
import type { Backend } from '../engine';
import { setBackend } from '../engine';
import { experimentSchema, type ExperimentConfig } from '../experiment/schema';
import { toBuiltinRewardSpec, toRlConfig } from '../experiment/toTrainerConfig';
import { CheckpointError, serializeCheckpoint } from '../model/checkpoint';
import { defaultGptConfig, parameterCount, type GptConfig } from '../model/config';
import { createParams, disposeParams, initGptParams, readParams, type GptParams } from '../model/params';
import { verifierReward, type RewardFunction } from '../rl/rollout';
import { NonFiniteStepError, RlTrainer, type HostTrainingState } from '../rl/trainer';
import { builtinReward } from '../rewards/builtin';
import { getTask } from '../tasks/registry';
import type { Task } from '../tasks/task';
import { isDeviceLostError, selectBackend, type BackendFactory } from './backendSelection';
import type { CheckpointLoader } from './checkpointLoader';
import { applyLivePatch } from './liveConfig';
import { SelfplayDriver } from './selfplayDriver';
import { SftWarmup } from './sftWarmup';
import type { CommandOf, ErrorDetailMap, ErrorKind, SessionState, TrainingCommand, TrainingEvent } from './protocol';
import { codeReward, guardReward, RewardFailedError, type CodeRewardRunner } from './sessionRewards';

export interface TrainingSessionOptions {
  /** Where events go (the worker posts them; tests collect them). Transfer lists ride along. */
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
}

interface Run {
  id: string;
  config: ExperimentConfig;
  task: Task;
  modelConfig: GptConfig;
  params: GptParams;
  trainer: RlTrainer;
  arms: string[];
  /** The arm sampler (config.curriculum over `arms`); its state() goes out with each step's metrics. */
  curriculum: Curriculum;
  /** The step the last evaluation ran at (-1: none yet). */
  evaluatedAt: number;
  looping: boolean;
  /** The trainer's state after the last completed step that was saved: survives a lost device. */
  saved: HostTrainingState | null;
  /** The highest step whose metrics were sent (-1: none): steps redone after a lost device are not resent. */
  sentStep: number;
  /** The supervised warm-up still under way (model.init 'sft'), else null. While it is, `trainer` is a
   *  placeholder made from the untrained weights, rebuilt when the warm-up ends. */
  warmup: SftWarmup | null;
  /** The self-play loop the run drives instead of `trainer` (then a placeholder), else null. With an SFT
   *  warm-up it is built when the warm-up ends, over the warmed-up weights. */
  selfplay: SelfplayDriver | null;
}

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class TrainingSession {
  private state: SessionState = 'idle';
  private run: Run | null = null;
  private backend: Backend | null = null;
  private deviceLost = false;
  private chain: Promise<unknown> = Promise.resolve();
  private codeRunner: CodeRewardRunner | null = null;
  private readonly emit: TrainingSessionOptions['emit'];
  private readonly yieldBetweenSteps: () => Promise<void>;

  constructor(private readonly options: TrainingSessionOptions) {
    this.emit = options.emit;
    this.yieldBetweenSteps = options.yieldBetweenSteps ?? macrotask;
  }

  get currentState(): SessionState {
    return this.state;
  }

  /** Optimisation steps done (self-play: loop iterations done). */
  get step(): number {
    const run = this.run;
    if (!run) return 0;
    return run.selfplay ? run.selfplay.iteration : run.trainer.step;
  }

  /** Brings the backend up and reports it (`ready`, then `status idle`). Commands wait for it. */
  init(): Promise<void> {
    return this.exclusive(() => this.initBackend());
  }

  /** Handles one command; resolves when it has taken effect (start: when the run has begun). */
  async handle(command: TrainingCommand): Promise<void> {
    try {
      switch (command.type) {
        case 'start':
          return await this.start(command);
        case 'pause':
          return await this.pause();
        case 'resume':
          return await this.resume();
        case 'stepOnce':
          return await this.stepOnce();
        case 'stop':
          return await this.stop();
        case 'updateConfig':
          return await this.updateConfig(command);
        case 'snapshot':
          return await this.snapshot(command);
        case 'evaluate':
          return await this.evaluateNow(command);
        default: {
          const unknown: never = command;
          this.log(`Unknown command ${JSON.stringify((unknown as { type: unknown }).type)} ignored.`);
        }
      }
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
      if (this.deviceLost || !this.backend) await this.initBackend();
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
      } catch (e) {
        const message = (e as Error).message;
        if (e instanceof CheckpointError) this.fail('checkpoint', message, { url: (e as { url?: string }).url }, command.runId);
        else if (e instanceof ConfigError) this.fail('config', message, { issues: [message] }, command.runId);
        else this.fail('internal', `The run could not start: ${message}`, { stack: (e as Error).stack }, command.runId);
        this.setState('error', message);
        return;
      }
      this.run = run;
      // Step 0: what a device lost during the first step resumes from. Not during a warm-up: a lost
      // device then stops the run (resuming RL from the untrained weights would be a different run).
      if (!run.warmup && !isSelfplay(run.config)) await this.saveHostState(run);
      if (this.run !== run) return;
      this.emitEvent({
        type: 'runInfo',
        runId: run.id,
        task: run.task.id,
        arms: run.arms,
        init: run.config.model.init,
        parameters: parameterCount(run.modelConfig),
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
    // A stopped self-play run never iterates again: its loop's optimiser state goes now (the weights
    // stay, for a snapshot).
    this.run?.selfplay?.dispose();
    if (this.state === 'stopped') this.emitStatus('Stopped.');
  }

  private async updateConfig(command: CommandOf<'updateConfig'>): Promise<void> {
    await this.exclusive(async () => {
      const run = this.run;
      if (!run) {
        const fields = Object.keys(command.patch ?? {});
        this.emitEvent({ type: 'configUpdated', runId: null, step: 0, applied: [], refused: fields.map((field) => ({ field, reason: 'There is no run to change; start one with the new config.' })) });
        return;
      }
      if (isSelfplay(run.config)) {
        const fields = Object.keys(command.patch ?? {});
        const reason = 'A self-play run takes no changes mid-run; restart it with the new config.';
        this.emitEvent({ type: 'configUpdated', runId: run.id, step: this.step, applied: [], refused: fields.map((field) => ({ field, reason })) });
        return;
      }
      const result = applyLivePatch(run.config, command.patch);
      run.config = result.config;
      run.trainer.config = toRlConfig(result.config);
      this.emitEvent({ type: 'configUpdated', runId: run.id, step: run.trainer.step, applied: result.applied, refused: result.refused });
    });
  }

  private async snapshot(command: CommandOf<'snapshot'>): Promise<void> {
    await this.exclusive(async () => {
      const run = this.run;
      if (!run) {
        this.fail('internal', 'There is no run to take a snapshot of.', undefined, null);
        return;
      }
      const values = await readParams(run.params);
      const bytes = serializeCheckpoint({
        config: run.modelConfig,
        values,
        metadata: { task: run.task.id, run_id: run.id, step: String(this.step), experiment: JSON.stringify(run.config) },
      });
      this.emitEvent({ type: 'snapshot', runId: run.id, step: this.step, bytes, ...(command.requestId !== undefined ? { requestId: command.requestId } : {}) }, [bytes.buffer as ArrayBuffer]);
    });
  }

  private async evaluateNow(command: CommandOf<'evaluate'>): Promise<void> {
    await this.exclusive(async () => {
      const run = this.run;
      if (!run) return;
      if (run.warmup) {
        this.log('The held-out evaluation runs once the SFT warm-up is done (at RL step 0).');
        return;
      }
      if (isSelfplay(run.config)) {
        this.log('A self-play loop evaluates its own held-out set every selfplay.evalEvery iterations (see its plots).');
        return;
      }
      await this.evaluate(run, command.requestId);
    });
  }

  // ------------------------------------------------------------------------------------ the run

  private async buildRun(id: string, config: ExperimentConfig): Promise<Run> {
    const task = getTask(config.task.id);
    let modelConfig: GptConfig;
    let params: GptParams;
    let recommendedArms: string[] = [];
    if (config.model.init === 'base') {
      if (!this.options.loadCheckpoint) throw new CheckpointError('This build cannot load base checkpoints; choose "random" as the model\'s initialisation.');
      const base = await this.options.loadCheckpoint(task.id);
      modelConfig = base.checkpoint.config;
      recommendedArms = base.rlArms;
      checkFits(task, config, modelConfig);
      params = createParams(modelConfig, base.checkpoint.values);
    } else {
      // 'random' and 'sft': a fresh init from the experiment seed ('sft' warms it up before RL).
      modelConfig = this.options.randomModelConfig ?? defaultGptConfig;
      checkFits(task, config, modelConfig);
      params = initGptParams(modelConfig, config.seed);
    }
    const known = task.arms.map((a) => a.id);
    // Empty: the base checkpoint's RL arms (where it has headroom); for a random or warmed-up policy, every arm.
    const arms = config.task.arms.length > 0 ? config.task.arms : recommendedArms.filter((a) => known.includes(a));
    const chosen = arms.length > 0 ? arms : known;
    if (config.task.arms.length === 0 && config.model.init === 'base' && arms.length === 0) {
      this.log(`The base checkpoint of "${task.id}" recommends no RL arms; training on every arm (${known.join(', ')}).`);
    }
    if (config.task.arms.length === 0 && config.model.init === 'sft') {
      this.log(`No arms ticked: RL after the SFT warm-up trains on every arm of "${task.id}" (${known.join(', ')}); tick arms to choose.`);
    }
    const unknown = chosen.filter((a) => !known.includes(a));
    if (unknown.length > 0) {
      disposeParams(params);
      throw new ConfigError(`The task "${task.id}" has no arm ${unknown.map((a) => `"${a}"`).join(', ')} (arms: ${known.join(', ')}).`);
    }
    let curriculum: Curriculum;
    try {
      curriculum = buildCurriculum(config, task, chosen);
    } catch (e) {
      disposeParams(params);
      throw new ConfigError((e as Error).message);
    }
    const trainer = this.buildTrainer(modelConfig, params, task, config, curriculum);
    let warmup: SftWarmup | null = null;
    if (config.model.init === 'sft') {
      const m = config.model;
      try {
        // Every arm, uniformly, like the shipped base checkpoints (RL then picks its arms).
        warmup = new SftWarmup(modelConfig, params, task, { steps: m.sftSteps, lr: m.sftLr, batchSize: m.sftBatch, seed: config.seed });
      } catch (e) {
        trainer.dispose();
        disposeParams(params);
        throw new ConfigError((e as Error).message);
      }
    }
    let selfplay: SelfplayDriver | null = null;
    if (isSelfplay(config) && !warmup) {
      try {
        selfplay = new SelfplayDriver(config, modelConfig, params, task);
      } catch (e) {
        trainer.dispose();
        disposeParams(params);
        throw new ConfigError((e as Error).message);
      }
    }
    return { id, config, task, modelConfig, params, trainer, arms: selfplay ? selfplay.trainArms : chosen, curriculum, evaluatedAt: -1, looping: false, saved: null, sentStep: -1, warmup, selfplay };
  }

  private buildTrainer(modelConfig: GptConfig, params: GptParams, task: Task, config: ExperimentConfig, curriculum: Curriculum): RlTrainer {
    return new RlTrainer(modelConfig, params, task, toRlConfig(config), {
      reward: this.buildReward(config, task),
      arms: curriculum,
      ...(config.filter.enabled ? { filter: createDifficultyFilter(config.filter) } : {}),
    });
  }

  private buildReward(config: ExperimentConfig, task: Task): RewardFunction {
    if (this.options.reward) return guardReward(this.options.reward(config, task));
    if (config.reward.kind === 'code') {
      this.codeRunner ??= this.options.createCodeRewardRunner?.() ?? null;
      const runner = this.codeRunner;
      if (!runner) {
        return guardReward(async () => {
          throw new RewardFailedError('Reward code needs the reward sandbox, which this build does not have; use the verifier reward.', undefined, undefined, 'crash');
        });
      }
      return guardReward(codeReward(runner, () => this.run?.config.reward.code ?? config.reward.code));
    }
    if (config.reward.kind === 'weighted') return guardReward(builtinReward(toBuiltinRewardSpec(config)));
    return guardReward(verifierReward(task));
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

  private evalDue(run: Run): boolean {
    const every = run.config.run.evalEvery;
    const step = run.trainer.step;
    return every > 0 && run.evaluatedAt !== step && (step % every === 0 || step >= run.config.run.steps);
  }

  /** One step of the run: the evaluation due first (step 0, every evalEvery, the last step), then a
   *  training step. `single`: a stepOnce while paused. */
  private async advance(run: Run, single: boolean): Promise<void> {
    if (this.run !== run || (!single && this.state !== 'running')) return;
    if (run.warmup) return this.warmupStep(run, run.warmup);
    if (run.selfplay) return this.selfplayStep(run, run.selfplay);
    if (this.evalDue(run)) {
      await this.evaluate(run);
      if (this.run !== run) return;
    }
    if (run.trainer.step >= run.config.run.steps) {
      this.setState('stopped', `Finished: ${run.trainer.step} steps.`);
      return;
    }
    const before = run.trainer.step;
    let result: Awaited<ReturnType<RlTrainer['trainStep']>>;
    try {
      result = await run.trainer.trainStep();
    } catch (e) {
      run.trainer.step = before; // the step did not happen (rewards fail before any update)
      if (this.run === run) this.stepFailed(run, e);
      return;
    }
    if (this.run !== run) return; // the run was replaced meanwhile
    // Saved before the metrics go out: if the device is lost during the read, this step is redone
    // from the previous state and its metrics are sent once, after the redo.
    const every = Math.max(1, Math.floor(this.options.hostStateEvery ?? 1));
    if (run.trainer.step % every === 0 && !(await this.saveHostState(run))) return;
    if (this.run !== run || this.deviceLost) return;
    if (result.metrics.step > run.sentStep) {
      run.sentStep = result.metrics.step;
      this.emitEvent({ type: 'metrics', runId: run.id, step: result.metrics.step, metrics: result.metrics, curriculum: run.curriculum.state() });
      this.emitEvent({ type: 'samples', runId: run.id, step: result.metrics.step, samples: result.samples });
    }
    if (run.trainer.step >= run.config.run.steps) {
      if (this.evalDue(run)) await this.evaluate(run);
      if (this.run === run && this.state !== 'stopped') this.setState('stopped', `Finished: ${run.trainer.step} steps.`);
    }
  }

  /** One supervised step of the warm-up; after the last, the RL trainer over the warmed-up weights. */
  private async warmupStep(run: Run, warmup: SftWarmup): Promise<void> {
    let progress: Awaited<ReturnType<SftWarmup['next']>>;
    try {
      progress = await warmup.next();
    } catch (e) {
      if (this.run !== run) return;
      if (isDeviceLostError(e) || this.backendLost()) {
        this.onDeviceLost((e as Error).message);
        return;
      }
      this.state = 'paused';
      this.fail('internal', `SFT warm-up step ${warmup.step + 1} failed: ${(e as Error).message}`, { stack: (e as Error).stack }, run.id);
      this.emitStatus();
      return;
    }
    if (this.run !== run) return;
    this.emitEvent({ type: 'sftProgress', runId: run.id, ...progress });
    if (!Number.isFinite(progress.loss)) {
      // No update to undo here (the weights are already damaged): the run ends, with the remedy.
      const message = `The SFT warm-up's loss became non-finite at step ${progress.step}: its learning rate ${run.config.model.sftLr} is too high. Lower the SFT learning rate and start again.`;
      this.fail('config', message, { issues: [message] }, run.id);
      this.setState('stopped', message);
      return;
    }
    if (!warmup.done) return;
    warmup.dispose();
    run.warmup = null;
    if (isSelfplay(run.config)) {
      try {
        run.selfplay = new SelfplayDriver(run.config, run.modelConfig, run.params, run.task);
      } catch (e) {
        const message = `The self-play loop cannot run on this model: ${(e as Error).message}`;
        this.fail('config', message, { issues: [message] }, run.id);
        this.setState('stopped', message);
        return;
      }
      run.arms = run.selfplay.trainArms;
      this.log(`SFT warm-up done: ${progress.total} steps, last loss ${progress.loss.toFixed(3)}. The ${run.selfplay.loop} loop starts from the warmed-up policy.`);
      return;
    }
    // The reference policy and the optimizer state start from the warmed-up weights.
    run.trainer.dispose();
    run.trainer = this.buildTrainer(run.modelConfig, run.params, run.task, run.config, run.curriculum);
    run.evaluatedAt = -1;
    this.log(`SFT warm-up done: ${progress.total} steps, last loss ${progress.loss.toFixed(3)}. RL starts from the warmed-up policy on ${run.arms.join(', ')}.`);
    await this.saveHostState(run);
  }

  /** One self-play iteration (the first also prepares the loop and reports the start as iteration 0);
   *  after the last, the run stops. A failing iteration pauses the run; resume retries it. */
  private async selfplayStep(run: Run, driver: SelfplayDriver): Promise<void> {
    if (driver.done) {
      this.setState('stopped', `Finished: ${driver.iteration} self-play iterations.`);
      return;
    }
    let result: Awaited<ReturnType<SelfplayDriver['iterate']>>;
    try {
      if (!driver.prepared) {
        // Propose/solve's warm-up: one step per call (pause and stop act between them), reported as the
        // SFT warm-up is: the same progress bar.
        const progress = await driver.prepareStep();
        if (progress) {
          if (this.run === run) this.emitEvent({ type: 'sftProgress', runId: run.id, ...progress });
          return;
        }
        const start = await driver.prepare();
        if (this.run !== run) return;
        if (start.note) this.log(start.note);
        this.emitEvent({ type: 'selfplayMetrics', runId: run.id, loop: driver.loop, iteration: 0, metrics: start.metrics });
      }
      result = await driver.iterate();
    } catch (e) {
      if (this.run !== run) return;
      if (isDeviceLostError(e) || this.backendLost()) {
        this.onDeviceLost((e as Error).message);
        return;
      }
      this.state = 'paused';
      const what = driver.prepared ? `Self-play iteration ${driver.iteration + 1} (${driver.loop})` : `Preparing the ${driver.loop} loop`;
      this.fail('internal', `${what} failed: ${(e as Error).message}. The run is paused; resume to retry.`, { stack: (e as Error).stack }, run.id);
      this.emitStatus();
      return;
    }
    if (this.run !== run) return;
    this.emitEvent({ type: 'selfplayMetrics', runId: run.id, loop: driver.loop, iteration: result.iteration, metrics: result.metrics });
    if (driver.done) {
      driver.dispose();
      if (this.state !== 'stopped') this.setState('stopped', `Finished: ${driver.iteration} self-play iterations.`);
    }
  }

  private stepFailed(run: Run, e: unknown): void {
    if (e instanceof NonFiniteStepError) {
      this.state = 'paused';
      const step = e.metrics.step;
      this.fail(
        'nonfinite',
        `Step ${step} produced a non-finite ${e.quantities.join(', ')}: its update was undone (the weights and optimizer state are those after step ${step - 1}) and the run is paused. Lower the learning rate, then resume.`,
        { quantities: e.quantities, metrics: e.metrics },
        run.id,
      );
      this.emitStatus();
      return;
    }
    if (e instanceof RewardFailedError) {
      this.state = 'paused';
      this.fail('reward', e.message, { sample: e.sample, sampleIndex: e.sampleIndex, rewardError: e.rewardError }, run.id);
      this.emitStatus('The reward failed: fix it and resume to retry the step.');
      return;
    }
    if (isDeviceLostError(e) || this.backendLost()) {
      this.onDeviceLost((e as Error).message);
      return;
    }
    this.state = 'paused';
    this.fail('internal', `Step ${run.trainer.step} failed: ${(e as Error).message}`, { stack: (e as Error).stack }, run.id);
    this.emitStatus();
  }

  private async evaluate(run: Run, requestId?: number): Promise<void> {
    const step = run.trainer.step;
    const c = run.config.run;
    try {
      const results = await run.trainer.evaluate(run.arms, c.evalPrompts, c.evalSamples);
      run.evaluatedAt = step;
      this.emitEvent({ type: 'evaluation', runId: run.id, step, results, ...(requestId !== undefined ? { requestId } : {}) });
    } catch (e) {
      if (isDeviceLostError(e) || this.backendLost()) this.onDeviceLost((e as Error).message);
      else this.fail('internal', `Evaluation at step ${step} failed: ${(e as Error).message}`, { stack: (e as Error).stack }, run.id);
    }
  }

  // ------------------------------------------------------------------------------------ backend

  private async initBackend(): Promise<void> {
    const selected = await (this.options.createBackend ?? selectBackend)();
    this.backend = selected.backend;
    this.deviceLost = false;
    setBackend(selected.backend);
    const backend = selected.backend;
    void selected.lost?.then((reason) => {
      if (this.backend === backend) this.onDeviceLost(reason);
    });
    this.emitEvent({
      type: 'ready',
      backend: selected.kind,
      ...(selected.adapter ? { adapter: selected.adapter } : {}),
      ...(selected.fallbackReason ? { fallbackReason: selected.fallbackReason } : {}),
    });
    if (this.state === 'idle') this.emitStatus();
  }

  /** Reads the trainer's state to host memory; false when the device was lost meanwhile (handled). */
  private async saveHostState(run: Run): Promise<boolean> {
    try {
      run.saved = await run.trainer.readState();
      return true;
    } catch (e) {
      if (!isDeviceLostError(e) && !this.backendLost()) throw e;
      this.onDeviceLost((e as Error).message);
      return false;
    }
  }

  private backendLost(): boolean {
    return (this.backend as { isLost?: boolean } | null)?.isLost === true;
  }

  /** The device is gone, and every buffer with it. A run with a saved host state carries on: a new
   *  backend (WebGPU again, or the CPU one), the trainer rebuilt from that state, the next step next. */
  private onDeviceLost(reason: string): void {
    if (this.deviceLost) return;
    this.deviceLost = true;
    const run = this.run;
    if (!run?.saved) {
      this.fail('device-lost', `${reason} The run has stopped; start it again to continue on a new device.`, { reason }, run?.id ?? null);
      // The old device's buffers are gone: drop the run without touching them.
      this.run = null;
      if (run) this.setState('stopped', reason);
      return;
    }
    const resumeStep = run.saved.step;
    this.fail('device-lost', `${reason} Resuming from step ${resumeStep} on a new device.`, { reason, resumeStep }, run.id);
    void this.exclusive(() => this.recover(run));
  }

  private async recover(run: Run): Promise<void> {
    if (this.run !== run || !run.saved) return;
    const saved = run.saved;
    try {
      await this.initBackend();
      const params = createParams(run.modelConfig, saved.params);
      run.trainer = run.trainer.continueFrom(saved, params); // the old trainer's buffers died with the device
      run.params = params;
    } catch (e) {
      this.run = null;
      this.fail('device-lost', `The run could not resume on a new device: ${(e as Error).message}`, { reason: (e as Error).message }, run.id);
      this.setState('stopped', 'The GPU device was lost and the run could not resume.');
      return;
    }
    run.evaluatedAt = Math.min(run.evaluatedAt, saved.step);
    this.log(`Run ${run.id} resumed at step ${saved.step} on the new device.`);
    this.emitStatus(`Resumed at step ${saved.step} after the GPU device was lost.`);
  }

  /** Destroys the GPU device, as a driver reset would (tests of the recovery). On the CPU backend,
   *  which has no device, it reports a loss all the same. */
  loseDeviceForTesting(): void {
    const device = (this.backend as { device?: GPUDevice } | null)?.device;
    if (device) device.destroy();
    else this.onDeviceLost('The device was lost (simulated).');
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
    run.warmup?.dispose();
    run.selfplay?.dispose();
    run.trainer.dispose();
    disposeParams(run.params);
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

class ConfigError extends Error {}

function isSelfplay(config: ExperimentConfig): boolean {
  return config.selfplay.loop !== 'none';
}

/** The config's curriculum over the run's training arms (in the run's order, so uniform draws exactly
 *  as uniformArms(chosen) did; levels from the task).
 *  Mixture weights of arms the run does not train on are left out; none left positive is an error. */
function buildCurriculum(config: ExperimentConfig, task: Task, chosen: readonly string[]): Curriculum {
  const arms = chosen.map((id) => task.arms.find((a) => a.id === id) ?? id);
  let settings: CurriculumConfig = config.curriculum;
  if (settings.kind === 'mixture') {
    const weights = Object.fromEntries(Object.entries(settings.weights).filter(([arm]) => chosen.includes(arm)));
    if (!Object.values(weights).some((w) => w > 0)) {
      throw new Error(`The mixture curriculum gives no positive weight to the arms this run trains on (${chosen.join(', ')}).`);
    }
    settings = { kind: 'mixture', weights };
  }
  return createCurriculum(settings, arms);
}

/** The longest prompt of the task plus the completion budget must fit the model's context. */
function checkFits(task: Task, config: ExperimentConfig, model: GptConfig): void {
  const needed = 1 + task.maxPromptLength + Math.max(config.algorithm.maxNewTokens, task.maxCompletionLength + 1);
  if (needed > model.contextLength) {
    throw new ConfigError(
      `The model's context holds ${model.contextLength} tokens, but "${task.id}" needs ${needed} (prompt ${task.maxPromptLength + 1} + up to ${needed - 1 - task.maxPromptLength} new tokens). Lower maxNewTokens.`,
    );
  }
}
