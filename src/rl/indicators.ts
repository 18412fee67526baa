// 0/1 indicators of tensor values ([x > 0], sign x) built from engine ops, because the engine has no
// compare op. They stay on the backend (on WebGPU: a few elementwise kernels, no readback), which is
// what per-token advantages need: REINFORCE++ advantages are whitened on the device, so their signs are
// not known on the host.
//
// How: clamp x to [-1, 1], multiply by 2^126, clamp again, repeat once. Any nonzero finite f32 has
// |x| >= 2^-149, and two exact power-of-two scalings by 2^126 lift it to >= 1 (2^-149 · 2^252 = 2^103),
// after which the clamp saturates it to ±1; zero stays exactly zero. Clamping *before* each scaling
// keeps every intermediate finite (|x| <= 2^126 < f32 max), which matters on WebGPU, where WGSL may
// assume that no infinities occur. (A GPU that flushes subnormals treats them as 0: harmless here.)
//
// These are measurements: the result has no useful gradient (it is piecewise constant), so call them
// on tensors that need none (advantages, or under noGrad()).
import { clamp, relu, scale, type Tensor } from '../engine';

/** Largest finite f32: an upper bound for clamp() that a GPU uniform can hold (Infinity may not be). */
export const F32_MAX = 3.4028234663852886e38;

const LIFT = 2 ** 126;

/** sign(x) elementwise: -1, 0 or 1, exact for every finite f32. */
export function signOf(x: Tensor): Tensor {
  const once = clamp(scale(clamp(x, -1, 1), LIFT), -1, 1);
  return clamp(scale(once, LIFT), -1, 1);
}

/** [x > 0] elementwise as f32 0/1. */
export function isPositive(x: Tensor): Tensor {
  return relu(signOf(x));
}
