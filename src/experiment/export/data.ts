// The exported data: problems drawn by the lab's own task generators with the experiment's seed, in the
// layout each engine reads. The train split has one row per prompt the lab run would consume (steps ×
// prompts per step); the test split is the lab's held-out evaluation set of each arm. python/generate.py
// draws the same rows (and more) from the same seed: a test holds the two to identical output.
import { createRng, type Rng } from '../../tasks/random';
import { getTask } from '../../tasks/registry';
import type { Problem } from '../../tasks/task';
import { withTrainingPool } from '../../tasks/trainingPool';
import { trainingPoolSeed } from '../toTrainerConfig';
import { BOS_TOKEN_TEXT } from './hfCheckpoint';
import type { ExperimentConfig } from '../schema';
import type { ExportTarget } from './types';

export interface Datasets {
  arms: string[];
  /** Arm weights the train rows are drawn with (uniform unless the curriculum is a fixed mixture). */
  armWeights: number[];
  train: Problem[];
  test: Problem[];
}

/** The arms weights a train row's arm is drawn with: a mixture curriculum's weights, else uniform. */
export function armWeights(config: ExperimentConfig, arms: readonly string[]): number[] {
  const c = config.curriculum;
  if (c.kind !== 'mixture') return arms.map(() => 1);
  const weights = arms.map((arm) => c.weights[arm] ?? 0);
  return weights.some((w) => w > 0) ? weights : arms.map(() => 1);
}

/** One arm drawn with the weights: u · Σw against the running sum (generate.py does the same). */
export function pickWeighted(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  const u = rng.nextFloat() * total;
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i];
    if (u < sum) return i;
  }
  return weights.length - 1;
}

/** `count` training problems: arm then problem from one stream seeded by `seed` — from the run's fixed
 *  pool of problems per arm when the experiment has one (one-shot / few-shot RL), as the lab trains. */
export function trainProblems(taskId: string, arms: readonly string[], weights: readonly number[], seed: number, count: number, pool?: { perArm: number; seed: number }): Problem[] {
  const task = pool ? withTrainingPool(getTask(taskId), pool.perArm, pool.seed) : getTask(taskId);
  const rng = createRng(seed);
  return Array.from({ length: count }, () => task.generate(arms[pickWeighted(rng, weights)], rng));
}

/** The lab's held-out evaluation set: `perArm` problems of each arm, seeded as the trainer seeds it. */
export function testProblems(taskId: string, arms: readonly string[], seed: number, perArm: number): Problem[] {
  const task = getTask(taskId);
  return arms.flatMap((arm) => task.evalSet(arm, perArm, seed));
}

export function buildDatasets(config: ExperimentConfig, arms: readonly string[]): Datasets {
  const weights = armWeights(config, arms);
  const count = config.run.steps * config.algorithm.promptsPerStep;
  return {
    arms: [...arms],
    armWeights: weights,
    train: trainProblems(config.task.id, arms, weights, config.seed, count, config.task.trainPool ? { perArm: config.task.trainPool, seed: trainingPoolSeed(config.seed) } : undefined),
    test: testProblems(config.task.id, arms, config.seed, config.run.evalPrompts),
  };
}

/** What every row carries for the reward: the lab's own problem (task, arm, prompt, answer, meta). */
function labFields(p: Problem): Record<string, unknown> {
  return { task: p.task, arm: p.arm, lab_prompt: p.prompt, ...(p.meta ? { meta: p.meta } : {}) };
}

/** One JSON row in the engine's layout. `prompt` is what the engine tokenizes: the BOS token's text
 *  then the lab prompt (the character tokenizer maps "<bos>" to the BOS id), or for verl a chat list
 *  whose template adds BOS. `ground_truth` is the lab's reference answer. */
export function engineRow(target: ExportTarget, p: Problem, split: 'train' | 'test', index: number): Record<string, unknown> {
  const lab = labFields(p);
  if (target === 'verl') {
    return {
      data_source: `rlvr-lab/${p.task}`,
      prompt: [{ role: 'user', content: p.prompt }],
      ability: p.task,
      reward_model: { style: 'rule', ground_truth: p.answer },
      extra_info: { split, index, ...lab },
      ground_truth: p.answer,
    };
  }
  const row: Record<string, unknown> = { prompt: `${BOS_TOKEN_TEXT}${p.prompt}`, ground_truth: p.answer, ...lab };
  // OpenRLHF hands the reward only one label column per row: the whole lab problem, as JSON text.
  if (target === 'openrlhf') row.label = JSON.stringify({ task: p.task, arm: p.arm, prompt: p.prompt, answer: p.answer, ...(p.meta ? { meta: p.meta } : {}) });
  return row;
}

export function toJsonl(rows: readonly Record<string, unknown>[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
