// Elementwise ops with broadcasting, and their gradients.
import type { BinaryOp, UnaryGradOp, UnaryOp } from '../backend';
import { formatShape, ShapeError } from '../errors';
import { broadcastShapes, broadcastStrides, sameShape } from '../shape';
import { backendOf, record, wrap } from '../tape';
import type { Tensor } from '../tensor';
import { sumToShape } from './reduce';

function assertFloat(opName: string, ...ts: Tensor[]): void {
  for (const t of ts) if (t.dtype !== 'f32') throw new Error(`${opName}: expects f32 tensors, got ${t.toString()}.`);
}

function rawBinary(op: BinaryOp, a: Tensor, b: Tensor, opName: string): Tensor {
  assertFloat(opName, a, b);
  const backend = backendOf(opName, a, b);
  const outShape = broadcastShapes(a.shape, b.shape, opName);
  const storage = backend.binary(op, a.storage, broadcastStrides(a.shape, outShape), b.storage, broadcastStrides(b.shape, outShape), outShape);
  return wrap(storage, outShape);
}

export function add(a: Tensor, b: Tensor): Tensor {
  const out = rawBinary('add', a, b, 'add');
  record([a, b], [out], ([g]) => [sumToShape(g!, a.shape), sumToShape(g!, b.shape)]);
  return out;
}

export function sub(a: Tensor, b: Tensor): Tensor {
  const out = rawBinary('sub', a, b, 'sub');
  record([a, b], [out], ([g]) => [sumToShape(g!, a.shape), b.requiresGrad ? sumToShape(neg(g!), b.shape) : null]);
  return out;
}

export function mul(a: Tensor, b: Tensor): Tensor {
  const out = rawBinary('mul', a, b, 'mul');
  record([a, b], [out], ([g]) => [
    a.requiresGrad ? sumToShape(mul(g!, b), a.shape) : null,
    b.requiresGrad ? sumToShape(mul(g!, a), b.shape) : null,
  ]);
  return out;
}

export function div(a: Tensor, b: Tensor): Tensor {
  const out = rawBinary('div', a, b, 'div');
  record([a, b], [out], ([g]) => [
    a.requiresGrad ? sumToShape(div(g!, b), a.shape) : null,
    // d(a/b)/db = -a/b² = -out/b
    b.requiresGrad ? sumToShape(neg(div(mul(g!, out), b)), b.shape) : null,
  ]);
  return out;
}

/** max/min pick one input per element; the gradient flows to the chosen one (to a on ties). */
function extremum(op: 'max' | 'min', a: Tensor, b: Tensor): Tensor {
  const out = rawBinary(op, a, b, op === 'max' ? 'maximum' : 'minimum');
  record([a, b], [out], ([g]) => {
    // a was chosen where (a - b) >= 0 for max, <= 0 for min: clampGrad passes g exactly there.
    const diff = rawBinary('sub', a, b, 'extremum-grad');
    const backend = g!.backend;
    const [lo, hi] = op === 'max' ? [0, Infinity] : [-Infinity, 0];
    const ga = wrap(backend.clampGrad(diff.storage, g!.storage, lo, hi), g!.shape);
    const gb = rawBinary('sub', g!, ga, 'extremum-grad');
    return [sumToShape(ga, a.shape), sumToShape(gb, b.shape)];
  });
  return out;
}

export function maximum(a: Tensor, b: Tensor): Tensor {
  return extremum('max', a, b);
}

export function minimum(a: Tensor, b: Tensor): Tensor {
  return extremum('min', a, b);
}

function unaryOp(op: UnaryOp, x: Tensor, gradOp: UnaryGradOp | null, gradFn?: (g: Tensor, out: Tensor) => Tensor): Tensor {
  assertFloat(op, x);
  const out = wrap(x.backend.unary(op, x.storage), x.shape);
  record([x], [out], ([g]) => {
    if (gradFn) return [gradFn(g!, out)];
    return [wrap(x.backend.unaryGrad(gradOp!, x.storage, out.storage, g!.storage), x.shape)];
  });
  return out;
}

export const neg = (x: Tensor): Tensor => unaryOp('neg', x, null, (g) => neg(g));
export const exp = (x: Tensor): Tensor => unaryOp('exp', x, 'exp');
export const log = (x: Tensor): Tensor => unaryOp('log', x, 'log');
export const tanh = (x: Tensor): Tensor => unaryOp('tanh', x, 'tanh');
/** GELU, tanh approximation (GPT-2, TF.js). */
export const gelu = (x: Tensor): Tensor => unaryOp('gelu', x, 'gelu');
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', x, 'sqrt');
export const square = (x: Tensor): Tensor => unaryOp('square', x, null, (g) => mul(g, scale(x, 2)));
export const relu = (x: Tensor): Tensor => unaryOp('relu', x, 'relu');
export const abs = (x: Tensor): Tensor => unaryOp('abs', x, 'abs');
export const sigmoid = (x: Tensor): Tensor => unaryOp('sigmoid', x, 'sigmoid');

/** x * s + t for host scalars s, t. */
export function affine(x: Tensor, s: number, t: number): Tensor {
  assertFloat('affine', x);
  const out = wrap(x.backend.affine(x.storage, s, t), x.shape);
  record([x], [out], ([g]) => [affine(g!, s, 0)]);
  return out;
}

export const scale = (x: Tensor, s: number): Tensor => affine(x, s, 0);
export const addScalar = (x: Tensor, t: number): Tensor => affine(x, 1, t);

export function clamp(x: Tensor, lo: number, hi: number): Tensor {
  assertFloat('clamp', x);
  if (!(lo <= hi)) throw new Error(`clamp: lower bound ${lo} exceeds upper bound ${hi}.`);
  const out = wrap(x.backend.clamp(x.storage, lo, hi), x.shape);
  record([x], [out], ([g]) => [wrap(x.backend.clampGrad(x.storage, g!.storage, lo, hi), x.shape)]);
  return out;
}

/** cond ? a : b elementwise (cond is f32 0/1, all three the same shape). */
export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  assertFloat('where', cond, a, b);
  if (!sameShape(cond.shape, a.shape) || !sameShape(a.shape, b.shape)) {
    throw new ShapeError(`where: shapes must match, got cond ${formatShape(cond.shape)}, a ${formatShape(a.shape)}, b ${formatShape(b.shape)}.`);
  }
  const backend = backendOf('where', cond, a, b);
  const out = wrap(backend.where(cond.storage, a.storage, b.storage), a.shape);
  record([cond, a, b], [out], ([g]) => {
    const zero = wrap(backend.zeros(g!.size, 'f32'), g!.shape);
    return [null, wrap(backend.where(cond.storage, g!.storage, zero.storage), g!.shape), wrap(backend.where(cond.storage, zero.storage, g!.storage), g!.shape)];
  });
  return out;
}
