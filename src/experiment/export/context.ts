// What every target needs besides the config: the arms the run trains on and the exported files' names.
import type { ExperimentConfig } from '../schema';
import { getTask } from '../../tasks/registry';

export interface ExportContext {
  config: ExperimentConfig;
  arms: string[];
  trainRows: number;
  testRows: number;
  /** Longest prompt in tokens, BOS included. */
  maxPromptTokens: number;
  /** What the policy is: 'the shipped base checkpoint of addition', 'a policy trained 120 steps in the lab' … */
  policyDescription: string;
}

export function maxPromptTokens(config: ExperimentConfig): number {
  return getTask(config.task.id).maxPromptLength + 1;
}

/** A number as the engines' configs want it: plain, shortest round-trip form. */
export function num(x: number): string {
  return String(x);
}

/** The std ε each engine adds in (r − mean) / (std + ε); the lab uses TRL's. */
export const STD_EPSILON = { lab: 1e-4, trl: 1e-4, verl: 1e-6, openrlhf: 1e-9 } as const;
