// A linear layer's bias and activation, fused (Backend.biasActivation), and its one-pass backward.
import type { BiasActivation } from '../../backend';
import { gelu, geluGrad } from './elementwise';

export function biasActivation(x: Float32Array, bias: Float32Array, rows: number, cols: number, act: BiasActivation): Float32Array {
  const y = new Float32Array(rows * cols);
  for (let i = 0; i < rows * cols; i++) {
    const pre = Math.fround(x[i] + bias[i % cols]);
    y[i] = act === 'gelu' ? gelu(pre) : pre;
  }
  return y;
}

/** dx = dy·act'(x + b) (null without an activation: dx = dy) and dbias = its column sums. */
export function biasActivationGrad(dy: Float32Array, x: Float32Array, bias: Float32Array, rows: number, cols: number, act: BiasActivation): { dx: Float32Array | null; dbias: Float32Array } {
  const dx = act === 'gelu' ? new Float32Array(rows * cols) : null;
  const sums = new Float64Array(cols);
  for (let i = 0; i < rows * cols; i++) {
    const c = i % cols;
    let d = dy[i];
    if (dx) {
      d = Math.fround(d * geluGrad(Math.fround(x[i] + bias[c])));
      dx[i] = d;
    }
    sums[c] += d;
  }
  return { dx, dbias: Float32Array.from(sums) };
}
