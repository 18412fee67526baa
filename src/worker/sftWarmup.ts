// Supervised warm-up of a fresh policy before RL (model.init 'sft'): the pretraining recipe
// (scripts/pretrain.ts) in small — batches of the task's training problems (never held-out ones), arms
// drawn uniformly, cross-entropy on answer + EOS, AdamW with linear warm-up then cosine decay to 10 %.
// It imports model and tasks, so it lives above both; the training session runs it one step at a time
// (so pause and stop act between steps), and `runSftWarmup` runs it to the end (Node, tests, scripts).
import type { GptConfig } from '../model/config';
import type { GptParams } from '../model/params';
import { SftTrainer, warmupCosine } from '../model/sft';
import { createRng, type Rng } from '../tasks/random';
import type { Task } from '../tasks/task';
import { encodeCompletion, encodePrompt } from '../tasks/tokenizer';

export interface SftWarmupOptions {
  /** Supervised steps. */
  steps: number;
  /** Peak learning rate. */
  lr: number;
  /** Examples per step. */
  batchSize: number;
  /** The experiment seed: the data stream is derived from it (the weights' init is the caller's). */
  seed: number;
  /** Arms to draw from, uniformly (default: every arm of the task). */
  arms?: readonly string[];
}

export interface SftProgress {
  /** Steps done (1 … total). */
  step: number;
  total: number;
  /** Cross-entropy of this step's batch, nats per completion token. */
  loss: number;
}

/** Linear warm-up over the first 10 % of the steps (at most 30, the pretraining recipe's). */
export function sftWarmupSteps(total: number): number {
  return Math.max(1, Math.min(30, Math.round(total / 10)));
}

/** The warm-up's data stream: apart from the init's (seed) and RL's own streams. */
export function sftDataSeed(seed: number): number {
  return (seed ^ 0x5f7) >>> 0;
}

/** A warm-up in progress: `next()` does one supervised step; `done` once all have run. It updates
 *  `params` in place and owns only its optimizer state (`dispose` frees it, not the params). */
export class SftWarmup {
  readonly total: number;
  step = 0;
  private readonly trainer: SftTrainer;
  private readonly rng: Rng;
  private readonly arms: readonly string[];
  private readonly warmup: number;

  constructor(
    modelConfig: GptConfig,
    params: GptParams,
    private readonly task: Task,
    private readonly options: SftWarmupOptions,
  ) {
    if (!Number.isInteger(options.steps) || options.steps < 1) throw new RangeError(`SFT warm-up: steps must be a positive whole number, got ${options.steps}`);
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new RangeError(`SFT warm-up: batchSize must be a positive whole number, got ${options.batchSize}`);
    this.total = options.steps;
    this.arms = options.arms && options.arms.length > 0 ? options.arms : task.arms.map((a) => a.id);
    this.rng = createRng(sftDataSeed(options.seed));
    this.warmup = sftWarmupSteps(options.steps);
    this.trainer = new SftTrainer(modelConfig, params, { lr: options.lr, weightDecay: 0.01, maxGradNorm: 1 });
  }

  get done(): boolean {
    return this.step >= this.total;
  }

  /** One supervised step (one readback). */
  async next(): Promise<SftProgress> {
    if (this.done) throw new Error('The SFT warm-up is already done.');
    const examples = Array.from({ length: this.options.batchSize }, () => {
      const problem = this.task.generate(this.rng.pick(this.arms), this.rng);
      return { prompt: encodePrompt(problem.prompt), completion: encodeCompletion(problem.answer) };
    });
    const { loss } = await this.trainer.step(examples, warmupCosine(this.step, this.total, this.options.lr, this.warmup));
    this.step++;
    return { step: this.step, total: this.total, loss };
  }

  dispose(): void {
    this.trainer.dispose();
  }
}

/** Runs a whole warm-up on `params`, calling `onProgress` after every step. `shouldStop` is asked
 *  before each step; true ends the warm-up early. Resolves with the last step's progress (null if none ran). */
export async function runSftWarmup(
  modelConfig: GptConfig,
  params: GptParams,
  task: Task,
  options: SftWarmupOptions,
  onProgress?: (progress: SftProgress) => void,
  shouldStop?: () => boolean,
): Promise<SftProgress | null> {
  const warmup = new SftWarmup(modelConfig, params, task, options);
  let last: SftProgress | null = null;
  try {
    while (!warmup.done && !shouldStop?.()) {
      last = await warmup.next();
      onProgress?.(last);
    }
  } finally {
    warmup.dispose();
  }
  return last;
}
