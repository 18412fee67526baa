// Supervised warm-up: cross-entropy on the completion tokens (answer + EOS) given the prompt.
// Used to make the base checkpoints, in the browser and from Node alike (only the backend differs).
import { AdamW, backward, crossEntropy, readAll, tensor, tidy, type AdamWConfig } from '../engine';
import { packBatch } from './batch';
import type { GptConfig } from './config';
import { gptForward } from './forward';
import type { GptParams } from './params';

export interface SftExample {
  /** Prompt ids, BOS included. */
  prompt: number[];
  /** Completion ids, EOS included. */
  completion: number[];
}

export interface SftStepResult {
  loss: number;
  gradNorm: number;
}

export class SftTrainer {
  readonly optimizer: AdamW;

  constructor(
    readonly config: GptConfig,
    readonly params: GptParams,
    optimizer: Partial<AdamWConfig> = {},
  ) {
    this.optimizer = new AdamW([...params.values()], { lr: 3e-3, weightDecay: 0.01, maxGradNorm: 1, ...optimizer });
  }

  /** One optimisation step on a batch; one readback (loss and gradient norm together). */
  async step(examples: SftExample[], lr?: number): Promise<SftStepResult> {
    const promptWidth = Math.max(...examples.map((e) => e.prompt.length));
    const completionWidth = Math.max(...examples.map((e) => e.completion.length));
    const packed = packBatch(
      examples.map((e) => e.prompt),
      examples.map((e) => e.completion),
      promptWidth,
      completionWidth,
    );
    const loss = tidy(() => {
      const logits = gptForward(this.config, this.params, {
        ids: tensor(packed.ids, [packed.B, packed.T], 'i32'),
        positions: tensor(packed.positions, [packed.B, packed.T], 'i32'),
        keyMask: tensor(packed.keyMask, [packed.B, packed.T]),
      });
      const l = crossEntropy(logits, tensor(packed.targets, [packed.B * packed.T], 'i32'), tensor(packed.completionMask, [packed.B * packed.T]));
      backward(l);
      return l;
    });
    const { gradNormSquared } = this.optimizer.update(lr);
    const [lossValue, normSq] = await readAll([loss, gradNormSquared]);
    loss.dispose();
    gradNormSquared.dispose();
    return { loss: lossValue[0], gradNorm: Math.sqrt(normSq[0]) };
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/** Warm-up then cosine decay to 10 % — the schedule the pretraining recipe uses. */
export function warmupCosine(step: number, totalSteps: number, peak: number, warmup: number): number {
  if (step < warmup) return (peak * (step + 1)) / warmup;
  const progress = Math.min(1, (step - warmup) / Math.max(1, totalSteps - warmup));
  return peak * (0.1 + 0.45 * (1 + Math.cos(Math.PI * progress)));
}
