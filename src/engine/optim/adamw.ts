// AdamW (decoupled weight decay, as PyTorch): one multi-tensor, in-place update of every parameter.
import type { AdamWGroup } from '../backend';
import { keep } from '../scope';
import { wrap } from '../tape';
import type { Tensor } from '../tensor';
import { globalGradNorm } from './clipGradNorm';

export interface AdamWConfig {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Global-norm clip threshold; 0 or Infinity disables clipping. */
  maxGradNorm: number;
}

export const defaultAdamW: AdamWConfig = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.0, maxGradNorm: 1.0 };

export interface StepInfo {
  /** f32 [1] squared global gradient norm (before clipping): no readback here. */
  gradNormSquared: Tensor;
}

export class AdamW {
  readonly config: AdamWConfig;
  step = 0;
  readonly m: Tensor[];
  readonly v: Tensor[];

  constructor(
    readonly params: Tensor[],
    config: Partial<AdamWConfig> = {},
  ) {
    this.config = { ...defaultAdamW, ...config };
    this.m = params.map((p) => keep(wrap(p.backend.zeros(p.size, 'f32'), p.shape)));
    this.v = params.map((p) => keep(wrap(p.backend.zeros(p.size, 'f32'), p.shape)));
  }

  /**
   * Clips (optionally), updates every parameter that has a gradient, and drops the gradients.
   * `lr` overrides the configured rate for this step (schedules). Returns tensors the caller reads
   * together with its other metrics, so the step still needs only one readback.
   */
  update(lr = this.config.lr): StepInfo {
    const c = this.config;
    const { sumOfSquares, scale } = globalGradNorm(this.params, Number.isFinite(c.maxGradNorm) && c.maxGradNorm > 0 ? c.maxGradNorm : Infinity);
    const clip = Number.isFinite(c.maxGradNorm) && c.maxGradNorm > 0;
    this.step++;
    // One multi-tensor update for every parameter that has a gradient (backend.adamwMulti: a few
    // dispatches in all on WebGPU instead of one per parameter).
    const groups: AdamWGroup[] = [];
    const updated: Tensor[] = [];
    this.params.forEach((p, i) => {
      if (!p.grad) return;
      groups.push({ param: p.storage, grad: p.grad.storage, m: this.m[i].storage, v: this.v[i].storage });
      updated.push(p);
    });
    if (updated.length > 0) {
      updated[0].backend.adamwMulti(
        groups,
        { lr, beta1: c.beta1, beta2: c.beta2, eps: c.eps, weightDecay: c.weightDecay, step: this.step },
        clip ? scale.storage : null,
      );
    }
    for (const p of updated) {
      p.grad!.dispose();
      p.grad = null;
    }
    scale.dispose();
    return { gradNormSquared: sumOfSquares };
  }

  /** A fresh optimiser over the same parameters: m = v = 0 and step 0 (bias correction starts over),
   *  written in place on the device (no new buffers, no readback). ProRL resets it with the reference. */
  reset(): void {
    for (const t of [...this.m, ...this.v]) {
      const zero = t.backend.zeros(t.size, 'f32');
      t.backend.copyInto(t.storage, 0, [1], zero, [t.size]);
      t.backend.free(zero);
    }
    this.step = 0;
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}
