// AdamW with decoupled weight decay (PyTorch torch.optim.AdamW), and the global-norm clipping factor.
import type { AdamWHyper } from '../../backend';

/** min(1, maxNorm / (sqrt(sumSq) + 1e-6)): the factor global-norm clipping multiplies grads by. */
export function clipScale(sumSq: number, maxNorm: number): number {
  return Math.min(1, maxNorm / (Math.sqrt(sumSq) + 1e-6));
}

/**
 * In place on param, m, v:
 *   g = grad * gradScale;  m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g²
 *   p -= lr * (mhat / (sqrt(vhat) + eps) + wd * p)   with mhat = m/(1-b1^t), vhat = v/(1-b2^t).
 * The weight-decay term uses p before this step's update, which is what PyTorch's p *= 1 - lr*wd
 * followed by the Adam step computes.
 */
export function adamw(
  param: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  h: AdamWHyper,
  gradScale: number,
): void {
  const { lr, beta1, beta2, eps, weightDecay } = h;
  const bc1 = 1 - Math.pow(beta1, h.step);
  const bc2 = 1 - Math.pow(beta2, h.step);
  const n = param.length;
  for (let i = 0; i < n; i++) {
    const g = grad[i] * gradScale;
    const mi = beta1 * m[i] + (1 - beta1) * g;
    const vi = beta2 * v[i] + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    const p = param[i];
    param[i] = p - lr * (mi / bc1 / (Math.sqrt(vi / bc2) + eps) + weightDecay * p);
  }
}
