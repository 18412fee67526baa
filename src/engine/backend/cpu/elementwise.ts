// Elementwise kernels on Float32Arrays. Maths runs in f64 JS numbers (free) and is rounded to f32 on store.
// Each op's loop is written out separately so the op switch sits outside the hot loop.
import type { BinaryOp, UnaryGradOp, UnaryOp } from '../../backend';

/** √(2/π), the constant of GELU's tanh approximation (GPT-2, TF.js). */
const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

export function gelu(x: number): number {
  return 0.5 * x * (1 + Math.tanh(GELU_C * (x + GELU_A * x * x * x)));
}

/** Exact derivative of the tanh approximation (not of the erf GELU), so gradients match the forward. */
export function geluGrad(x: number): number {
  const t = Math.tanh(GELU_C * (x + GELU_A * x * x * x));
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_A * x * x);
}

/** Logistic sigmoid without overflow: exp is only ever taken of a non-positive number. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function unary(op: UnaryOp, x: Float32Array): Float32Array {
  const n = x.length;
  const out = new Float32Array(n);
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i];
      break;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
      break;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]);
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
      break;
    case 'gelu':
      for (let i = 0; i < n; i++) out[i] = gelu(x[i]);
      break;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
      break;
    case 'square':
      for (let i = 0; i < n; i++) out[i] = x[i] * x[i];
      break;
    case 'relu':
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : 0;
      break;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]);
      break;
    case 'sigmoid':
      for (let i = 0; i < n; i++) out[i] = sigmoid(x[i]);
      break;
    default:
      throw new Error(`unary: unknown op ${String(op)}`);
  }
  return out;
}

/**
 * dx = dy * f'(x). Where the derivative is cheapest from the output, y is used (exp, tanh, sigmoid, sqrt);
 * relu and abs use 0 as the subgradient at x = 0 (as PyTorch does).
 */
export function unaryGrad(op: UnaryGradOp, x: Float32Array, y: Float32Array, dy: Float32Array): Float32Array {
  const n = x.length;
  const out = new Float32Array(n);
  switch (op) {
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = dy[i] * y[i];
      break;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = dy[i] / x[i];
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = dy[i] * (1 - y[i] * y[i]);
      break;
    case 'gelu':
      for (let i = 0; i < n; i++) out[i] = dy[i] * geluGrad(x[i]);
      break;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = (0.5 * dy[i]) / y[i];
      break;
    case 'relu':
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? dy[i] : 0;
      break;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? dy[i] : x[i] < 0 ? -dy[i] : 0;
      break;
    case 'sigmoid':
      for (let i = 0; i < n; i++) out[i] = dy[i] * y[i] * (1 - y[i]);
      break;
    default:
      throw new Error(`unaryGrad: unknown op ${String(op)}`);
  }
  return out;
}

export function affine(x: Float32Array, scale: number, shift: number): Float32Array {
  const n = x.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = x[i] * scale + shift;
  return out;
}

export function clamp(x: Float32Array, lo: number, hi: number): Float32Array {
  const n = x.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return out;
}

/** Gradient passes where lo <= x <= hi (inclusive at the bounds, as the contract says). */
export function clampGrad(x: Float32Array, dy: Float32Array, lo: number, hi: number): Float32Array {
  const n = x.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = x[i] >= lo && x[i] <= hi ? dy[i] : 0;
  return out;
}

export function where(cond: Float32Array, a: Float32Array, b: Float32Array): Float32Array {
  const n = cond.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = cond[i] !== 0 ? a[i] : b[i];
  return out;
}

/** One contiguous output row of a broadcasting binary op: out[o + j] = a[ai + j*as] op b[bi + j*bs]. */
function binaryRow(
  op: BinaryOp,
  out: Float32Array,
  o: number,
  a: Float32Array,
  ai: number,
  as: number,
  b: Float32Array,
  bi: number,
  bs: number,
  n: number,
): void {
  switch (op) {
    case 'add':
      for (let j = 0; j < n; j++) out[o + j] = a[ai + j * as] + b[bi + j * bs];
      break;
    case 'sub':
      for (let j = 0; j < n; j++) out[o + j] = a[ai + j * as] - b[bi + j * bs];
      break;
    case 'mul':
      for (let j = 0; j < n; j++) out[o + j] = a[ai + j * as] * b[bi + j * bs];
      break;
    case 'div':
      for (let j = 0; j < n; j++) out[o + j] = a[ai + j * as] / b[bi + j * bs];
      break;
    case 'max':
      for (let j = 0; j < n; j++) out[o + j] = Math.max(a[ai + j * as], b[bi + j * bs]);
      break;
    case 'min':
      for (let j = 0; j < n; j++) out[o + j] = Math.min(a[ai + j * as], b[bi + j * bs]);
      break;
    default:
      throw new Error(`binary: unknown op ${String(op)}`);
  }
}

/**
 * Broadcasting binary op: the last axis is a tight loop, the outer axes advance an odometer that moves
 * the a and b offsets incrementally (no per-element index arithmetic).
 */
export function binary(
  op: BinaryOp,
  a: Float32Array,
  aStrides: number[],
  b: Float32Array,
  bStrides: number[],
  outShape: number[],
): Float32Array {
  const rank = outShape.length;
  let total = 1;
  for (const d of outShape) total *= d;
  const out = new Float32Array(total);
  if (total === 0) return out;
  if (rank === 0) {
    binaryRow(op, out, 0, a, 0, 0, b, 0, 0, 1);
    return out;
  }
  const inner = outShape[rank - 1];
  const as = aStrides[rank - 1];
  const bs = bStrides[rank - 1];
  const idx = new Array<number>(rank).fill(0);
  let ai = 0;
  let bi = 0;
  for (let o = 0; o < total; o += inner) {
    binaryRow(op, out, o, a, ai, as, b, bi, bs, inner);
    // Advance the odometer over axes rank-2 .. 0.
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]++;
      ai += aStrides[d];
      bi += bStrides[d];
      if (idx[d] < outShape[d]) break;
      ai -= aStrides[d] * outShape[d];
      bi -= bStrides[d] * outShape[d];
      idx[d] = 0;
    }
  }
  return out;
}
