// A rough cost of a configuration before it starts: GPU memory at the step's peak and seconds per step,
// so that a configuration far beyond what a tab can do (the largest valid one needed about 6.6 GB and had
// not finished step 0 after 150 s) asks for confirmation instead of quietly locking up the machine.
//
// Memory: the training step keeps, per layer, about 8·d floats per token (layer-norm outputs, q/k/v,
// attention output, the MLP's 4·d hidden before and after the activation) plus the attention weights
// (heads · T per token), and three vocabulary-wide tensors per token at the head (logits, softmax,
// their gradient). Calibrated against that 6.6 GB observation (16 384 rows × 48 positions). Evaluation
// and the KV cache are far smaller and left out.
// Time: 6 FLOPs per parameter per token for a forward + backward pass (2 for the reference model's
// forward), per PPO epoch, at an assumed ASSUMED_GFLOPS of sustained WebGPU throughput on a laptop GPU
// with matrices this small. The figure is an order of magnitude, and the dialog says so.
// Seeds: the replicas of a multi-seed run step one after another, so a step (a round) takes `seeds`
// times as long, while the step's activations are held by one replica at a time; each further replica
// adds its model state (weights, reference, gradients, two AdamW moments: 5 floats per parameter) —
// the first one's is inside the calibration.
import { defaultGptConfig, parameterShapes, type GptConfig } from '../model/config';
import type { ExperimentConfig } from './schema';
import { answerBudget } from './toTrainerConfig';

export const ASSUMED_GFLOPS = 50;
/** Above either, starting a run asks first. */
export const MEMORY_CONFIRM_BYTES = 1024 ** 3;
export const STEP_SECONDS_CONFIRM = 10;

export interface CostEstimate {
  /** Sequences per optimisation step of one replica (prompts × samples). */
  rows: number;
  /** Replicas (config.seeds): time scales with them. */
  seeds: number;
  memoryBytes: number;
  stepSeconds: number;
  runSeconds: number;
  /** Why it needs confirmation (empty: it does not). */
  reasons: string[];
}

function parameterCount(c: GptConfig): number {
  return parameterShapes(c).reduce((n, [, shape]) => n + shape.reduce((a, b) => a * b, 1), 0);
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.max(1, Math.round(bytes / 1024 ** 2))} MB`;
}

export function formatSeconds(s: number): string {
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 120) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function estimateCost(config: ExperimentConfig, model: GptConfig = defaultGptConfig): CostEstimate {
  const a = config.algorithm;
  const tries = a.dynamicSampling ? a.dynamicSamplingMaxTries : 1;
  const rows = a.promptsPerStep * a.samplesPerPrompt;
  const T = model.contextLength;
  const tokens = rows * T;
  const perLayerFloats = 8 * model.dModel + model.nHeads * T;
  const params = parameterCount(model);
  const seeds = config.seeds;
  const memoryBytes = 4 * tokens * (model.nLayers * perLayerFloats + 3 * model.vocabSize) + (seeds - 1) * 5 * 4 * params;
  const generationFlops = 2 * params * rows * tries * (answerBudget(config) + T / 2);
  const trainFlops = (6 + 2) * params * tokens * a.ppoEpochs;
  const stepSeconds = (seeds * (generationFlops + trainFlops)) / (ASSUMED_GFLOPS * 1e9);
  const steps = config.selfplay.loop === 'none' ? config.run.steps : config.selfplay.iterations;
  const reasons: string[] = [];
  if (memoryBytes > MEMORY_CONFIRM_BYTES) reasons.push(`about ${formatBytes(memoryBytes)} of GPU memory (more than ${formatBytes(MEMORY_CONFIRM_BYTES)})`);
  const ofSeeds = seeds > 1 ? ` of ${seeds} seeds` : '';
  if (stepSeconds > STEP_SECONDS_CONFIRM) reasons.push(`about ${formatSeconds(stepSeconds)} per step${ofSeeds} (more than ${STEP_SECONDS_CONFIRM} s)`);
  return { rows, seeds, memoryBytes, stepSeconds, runSeconds: stepSeconds * steps, reasons };
}
