// Which policy and arms an export carries, resolved exactly as the training worker resolves them
// (src/worker/trainingSession.ts): the configured arms, else the base checkpoint's RL arms, else all.
import { defaultGptConfig } from '../../model/config';
import { initialValues } from '../../model/params';
import type { Checkpoint } from '../../model/checkpoint';
import { getTask } from '../../tasks/registry';
import type { ExperimentConfig } from '../schema';
import type { ExportPolicy } from './exportExperiment';

export function resolveArms(config: ExperimentConfig, baseRlArms: readonly string[]): string[] {
  const known = getTask(config.task.id).arms.map((a) => a.id);
  const unknown = config.task.arms.filter((a) => !known.includes(a));
  if (unknown.length) throw new Error(`Cannot export: task ${config.task.id} has no arm ${unknown.map((a) => JSON.stringify(a)).join(', ')} (arms: ${known.join(', ')}).`);
  const arms = config.task.arms.length > 0 ? config.task.arms : config.model.init === 'base' ? baseRlArms.filter((a) => known.includes(a)) : [];
  return arms.length > 0 ? [...arms] : known;
}

/** The policy a run starts from: the base checkpoint, or the seeded init of 'random' and 'sft' runs. */
export function startingPolicy(config: ExperimentConfig, base: Checkpoint | null): ExportPolicy {
  if (config.model.init === 'base') {
    if (!base) throw new Error(`Cannot export: the base checkpoint of "${config.task.id}" is needed and was not loaded.`);
    return { config: base.config, values: base.values, description: `the shipped base checkpoint of ${config.task.id}, untrained by RL` };
  }
  return {
    config: defaultGptConfig,
    values: initialValues(defaultGptConfig, config.seed),
    description: `the seeded random initialisation (seed ${config.seed})${config.model.init === 'sft' ? ' the SFT warm-up starts from' : ''}`,
  };
}

/** A policy trained in the lab (a run's snapshot). */
export function trainedPolicy(checkpoint: Checkpoint, step: number, runLabel: string): ExportPolicy {
  return { config: checkpoint.config, values: checkpoint.values, description: `the policy after ${step} steps of run "${runLabel}" in the lab` };
}
