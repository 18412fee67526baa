// The one run builder: experiment config → the model (base checkpoint, seeded init), the task, the
// training arms, the reward, the curriculum, the difficulty filter and the phases the run goes
// through. The training worker's session and every Node script (train, gallery:record,
// curriculum:race, selfplay, soak) build runs here, so a preset or a link means the same run
// everywhere: the same arms, curriculum, filter, reward and answer budget.
import { createCurriculum, createDifficultyFilter, type Curriculum, type CurriculumConfig } from '../curriculum';
import { CheckpointError, type Checkpoint } from '../model/checkpoint';
import { defaultGptConfig, type GptConfig } from '../model/config';
import { createParams, disposeParams, initGptParams, type GptParams } from '../model/params';
import type { DifficultyFilter } from '../rl/collect';
import { verifierReward, type RewardFunction } from '../rl/rollout';
import { RlTrainer } from '../rl/trainer';
import { builtinReward } from '../rewards/builtin';
import { getTask } from '../tasks/registry';
import type { Task } from '../tasks/task';
import { withTrainingPool } from '../tasks/trainingPool';
import type { ExperimentConfig } from './schema';
import { answerBudget, toBuiltinRewardSpec, toRlConfig, trainingPoolSeed } from './toTrainerConfig';

/** A task's shipped base policy and the arms its RL runs train on (where it has headroom). */
export interface BaseCheckpoint {
  checkpoint: Checkpoint;
  rlArms: string[];
  /** Where it came from (a URL in the page, a path in Node). */
  url: string;
}

/** Loads a task's base checkpoint: fetch in the page, the file system in Node. */
export type CheckpointLoader = (taskId: string) => Promise<BaseCheckpoint>;

/** The config cannot make a run (unknown arm, a budget the model cannot hold, …): a sentence to show. */
export class RunConfigError extends Error {
  override name = 'RunConfigError';
}

/** The phases a run goes through, in order. */
export type PhaseKind = 'sft' | 'rl' | 'selfplay';

export interface RunBuildOptions {
  /** Loads a task's base checkpoint (model.init 'base'). Without one, only 'random' and 'sft' runs build. */
  loadCheckpoint?: CheckpointLoader;
  /** The architecture of model.init 'random' and 'sft' (default: defaultGptConfig). */
  randomModelConfig?: GptConfig;
  /** The reward of reward.kind 'code' (the page's sandbox); absent: such a run cannot build. */
  codeReward?: (config: ExperimentConfig, task: Task) => RewardFunction;
  /** Replaces the config's reward whatever its kind (tests). */
  rewardOverride?: (config: ExperimentConfig, task: Task) => RewardFunction;
  /** Where notes about the choices made go (e.g. which arms were taken). */
  log?: (message: string) => void;
}

/** Everything a run is made of, before any phase runs. The params belong to the caller. */
export interface BuiltRun {
  config: ExperimentConfig;
  task: Task;
  modelConfig: GptConfig;
  params: GptParams;
  /** The base checkpoint's origin, or null for a seeded init. */
  checkpoint: string | null;
  /** The arms RL trains on (a self-play loop reports its own). */
  arms: string[];
  /** The arm sampler (config.curriculum over `arms`). */
  curriculum: Curriculum;
  reward: RewardFunction;
  filter: DifficultyFilter | undefined;
  phases: PhaseKind[];
}

export async function buildRun(config: ExperimentConfig, options: RunBuildOptions = {}): Promise<BuiltRun> {
  const task = getTask(config.task.id);
  const log = options.log ?? (() => {});
  let modelConfig: GptConfig;
  let params: GptParams;
  let recommendedArms: string[] = [];
  let checkpoint: string | null = null;
  if (config.model.init === 'base') {
    if (!options.loadCheckpoint) throw new CheckpointError('This build cannot load base checkpoints; choose "random" as the model\'s initialisation.');
    const base = await options.loadCheckpoint(task.id);
    modelConfig = base.checkpoint.config;
    recommendedArms = base.rlArms;
    checkpoint = base.url;
    checkFits(task, config, modelConfig);
    params = createParams(modelConfig, base.checkpoint.values);
  } else {
    // 'random' and 'sft': a fresh init from the experiment seed ('sft' warms it up before RL).
    modelConfig = options.randomModelConfig ?? defaultGptConfig;
    checkFits(task, config, modelConfig);
    params = initGptParams(modelConfig, config.seed);
  }
  try {
    const arms = chooseArms(config, task, recommendedArms, log);
    const curriculum = buildCurriculum(config, task, arms);
    const reward = buildReward(config, task, options);
    const filter = config.filter.enabled ? createDifficultyFilter(config.filter) : undefined;
    const last: PhaseKind = config.selfplay.loop !== 'none' ? 'selfplay' : 'rl';
    const phases: PhaseKind[] = config.model.init === 'sft' ? ['sft', last] : [last];
    return { config, task, modelConfig, params, checkpoint, arms, curriculum, reward, filter, phases };
  } catch (e) {
    disposeParams(params);
    throw e instanceof RunConfigError || e instanceof CheckpointError ? e : new RunConfigError((e as Error).message);
  }
}

/** The RL trainer of a built run, over its params as they are now (after a warm-up, over the warmed-up
 *  weights: its reference policy is a copy of them). */
export function buildTrainer(run: BuiltRun): RlTrainer {
  // A training pool (one-shot / few-shot RL) narrows what training draws; evaluation keeps run.task.
  const pool = run.config.task.trainPool ?? 0;
  const trainingTask = pool > 0 ? withTrainingPool(run.task, pool, trainingPoolSeed(run.config.seed)) : run.task;
  return new RlTrainer(run.modelConfig, run.params, trainingTask, toRlConfig(run.config), {
    reward: run.reward,
    arms: run.curriculum,
    ...(run.filter ? { filter: run.filter } : {}),
  });
}

/** Ticked arms; none ticked: the base checkpoint's RL arms, else every arm of the task. */
function chooseArms(config: ExperimentConfig, task: Task, recommended: readonly string[], log: (m: string) => void): string[] {
  const known = task.arms.map((a) => a.id);
  const arms = config.task.arms.length > 0 ? config.task.arms : recommended.filter((a) => known.includes(a));
  const chosen = arms.length > 0 ? [...arms] : known;
  if (config.task.arms.length === 0 && config.model.init === 'base' && arms.length === 0) {
    log(`The base checkpoint of "${task.id}" recommends no RL arms; training on every arm (${known.join(', ')}).`);
  }
  if (config.task.arms.length === 0 && config.model.init === 'sft') {
    log(`No arms ticked: RL after the SFT warm-up trains on every arm of "${task.id}" (${known.join(', ')}); tick arms to choose.`);
  }
  const unknown = chosen.filter((a) => !known.includes(a));
  if (unknown.length > 0) {
    throw new RunConfigError(`The task "${task.id}" has no arm ${unknown.map((a) => `"${a}"`).join(', ')} (arms: ${known.join(', ')}).`);
  }
  return chosen;
}

/** The config's curriculum over the run's training arms (in the run's order, so uniform draws exactly
 *  as uniformArms(chosen) does; levels from the task). Mixture weights of arms the run does not train
 *  on are left out; none left positive is an error. */
function buildCurriculum(config: ExperimentConfig, task: Task, chosen: readonly string[]): Curriculum {
  const arms = chosen.map((id) => task.arms.find((a) => a.id === id) ?? id);
  let settings: CurriculumConfig = config.curriculum;
  if (settings.kind === 'mixture') {
    const weights = Object.fromEntries(Object.entries(settings.weights).filter(([arm]) => chosen.includes(arm)));
    if (!Object.values(weights).some((w) => w > 0)) {
      throw new RunConfigError(`The mixture curriculum gives no positive weight to the arms this run trains on (${chosen.join(', ')}).`);
    }
    settings = { kind: 'mixture', weights };
  }
  return createCurriculum(settings, arms);
}

function buildReward(config: ExperimentConfig, task: Task, options: RunBuildOptions): RewardFunction {
  if (options.rewardOverride) return options.rewardOverride(config, task);
  if (config.reward.kind === 'code') {
    if (!options.codeReward) throw new RunConfigError('This experiment uses reward code, which runs only in the browser\'s reward sandbox; run it in the lab.');
    return options.codeReward(config, task);
  }
  if (config.reward.kind === 'weighted') return builtinReward(toBuiltinRewardSpec(config));
  return verifierReward(task);
}

/** The longest prompt of the task plus the answer budget must fit the model's context. */
function checkFits(task: Task, config: ExperimentConfig, model: GptConfig): void {
  const budget = answerBudget(config);
  const needed = 1 + task.maxPromptLength + Math.max(budget, task.answerBudget);
  if (needed > model.contextLength) {
    throw new RunConfigError(
      `The model's context holds ${model.contextLength} tokens, but "${task.id}" needs ${needed} (prompt ${task.maxPromptLength + 1} + up to ${needed - 1 - task.maxPromptLength} new tokens). Lower maxNewTokens.`,
    );
  }
}
