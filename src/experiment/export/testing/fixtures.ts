// Experiments the exporter's tests export: every preset, plus the settings no preset has (SEC, dual
// clip, k2 in the loss, …), built as links would carry them (layered over the defaults, validated).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCheckpoint, type Checkpoint } from '../../../model/checkpoint';
import { layer, type DeepPartial } from '../../layer';
import { PRESETS, presetConfig } from '../../presets';
import { defaultCurriculum, defaultExperiment, experimentSchema, type ExperimentConfig } from '../../schema';

export function custom(partial: DeepPartial<ExperimentConfig>): ExperimentConfig {
  return experimentSchema.parse(layer(defaultExperiment(), partial));
}

/** Settings without a preset of their own, by name. */
export const CUSTOM_EXPERIMENTS: Record<string, ExperimentConfig> = {
  sec: custom({ task: { arms: ['d1', 'd2', 'd3', 'd4'] }, curriculum: defaultCurriculum('sec') }),
  'dual-clip': custom({ algorithm: { dualClip: 3, ppoEpochs: 2 } }),
  'k2-in-loss': custom({ algorithm: { klCoef: 0.05, klEstimator: 'k2', klInReward: false } }),
  'k1-in-reward': custom({ algorithm: { klCoef: 0.02, klEstimator: 'k1', klInReward: true } }),
  'reinforce++-batch': custom({ algorithm: { estimator: 'reinforce++', rewardScale: 'batch' } }),
  'grpo-batch-scale': custom({ algorithm: { rewardScale: 'batch', aggregation: 'seq-mean-token-sum' } }),
  'seq-mean-token-mean': custom({ algorithm: { aggregation: 'seq-mean-token-mean', topK: 5, lrSchedule: 'warmup-cosine', warmupSteps: 10 } }),
  filter: custom({ filter: { enabled: true, lo: 0.2, hi: 0.8 } }),
  mixture: custom({ task: { arms: ['d1', 'd2'] }, curriculum: { kind: 'mixture', weights: { d1: 1, d2: 3 } } }),
  'fixed-order': custom({ task: { arms: ['d1', 'd2'] }, curriculum: defaultCurriculum('fixed-order') }),
  'sft-init': custom({ model: { init: 'sft' } }),
  'weighted-overlong-countdown': custom({ task: { id: 'countdown' }, reward: { kind: 'weighted', weights: { correctness: 1, format: 0.1, partial: 0.5, lengthPenalty: 0.01 } } }),
  'program-random': custom({ task: { id: 'program' }, model: { init: 'random' }, run: { steps: 20 } }),
  'sorting-rloo': custom({ task: { id: 'sorting' }, algorithm: { estimator: 'rloo' }, run: { steps: 20 } }),
  'dynamic-sampling-weighted': custom({ algorithm: { dynamicSampling: true }, reward: { kind: 'weighted', weights: { correctness: 1, partial: 0.5 } } }),
};

export function allExperiments(): [string, ExperimentConfig][] {
  return [...PRESETS.map((p) => [p.id, presetConfig(p.id)] as [string, ExperimentConfig]), ...Object.entries(CUSTOM_EXPERIMENTS)];
}

const cache = new Map<string, { checkpoint: Checkpoint; rlArms: string[] }>();

/** The shipped base checkpoint and RL arms of a task, read from public/checkpoints. */
export function baseOf(taskId: string): { checkpoint: Checkpoint; rlArms: string[] } {
  let hit = cache.get(taskId);
  if (!hit) {
    const dir = join(process.cwd(), 'public/checkpoints');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, { file: string; rlArms: string[] }>;
    hit = { checkpoint: parseCheckpoint(new Uint8Array(readFileSync(join(dir, manifest[taskId].file)))), rlArms: manifest[taskId].rlArms };
    cache.set(taskId, hit);
  }
  return hit;
}
