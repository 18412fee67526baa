// Reductions over one axis, and sumToShape (the gradient of broadcasting).
import type { ReduceOp } from '../backend';
import { formatShape, ShapeError } from '../errors';
import { broadcastStrides, normaliseAxis, sameShape, sizeOf, type Shape } from '../shape';
import { record, wrap } from '../tape';
import type { Tensor } from '../tensor';

function splitAt(shape: Shape, axis: number): { outer: number; size: number; inner: number } {
  return { outer: sizeOf(shape.slice(0, axis)), size: shape[axis], inner: sizeOf(shape.slice(axis + 1)) };
}

function reducedShape(shape: Shape, axis: number, keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (i === axis ? 1 : d)) : shape.filter((_, i) => i !== axis);
}

function rawReduce(op: ReduceOp, x: Tensor, axis: number, keepDims: boolean): Tensor {
  if (x.shape[axis] === 0) throw new ShapeError(`${op}: cannot reduce an empty axis of ${formatShape(x.shape)}.`);
  const { outer, size, inner } = splitAt(x.shape, axis);
  return wrap(x.backend.reduce(op, x.storage, outer, size, inner), reducedShape(x.shape, axis, keepDims));
}

/** Broadcasts g (the reduced shape with keepDims) back over `shape`. */
function expandTo(g: Tensor, keptShape: Shape, shape: Shape): Tensor {
  return wrap(g.backend.stridedCopy(g.storage, 0, broadcastStrides(keptShape, shape), [...shape]), shape);
}

export function sum(x: Tensor, axis?: number, keepDims = false): Tensor {
  if (axis === undefined) return sumAll(x, keepDims && x.rank === 1);
  const a = normaliseAxis(axis, x.rank, 'sum');
  const out = rawReduce('sum', x, a, keepDims);
  record([x], [out], ([g]) => [expandTo(g!, reducedShape(x.shape, a, true), x.shape)]);
  return out;
}

/** The sum of every element: shape [] ([1] with keepDims). Reduces the storage as one flat axis
 *  itself rather than through reshape (ops/layout), which imports this module for sumToShape. */
function sumAll(x: Tensor, keepDims: boolean): Tensor {
  if (x.size === 0) throw new ShapeError(`sum: cannot reduce an empty axis of ${formatShape(x.shape)}.`);
  const out = wrap(x.backend.reduce('sum', x.storage, 1, x.size, 1), keepDims ? [1] : []);
  const ones = x.shape.map(() => 1);
  record([x], [out], ([g]) => [expandTo(g!.view(ones), ones, x.shape)]);
  return out;
}

export function mean(x: Tensor, axis?: number, keepDims = false): Tensor {
  const n = axis === undefined ? x.size : x.shape[normaliseAxis(axis, x.rank, 'mean')];
  const total = sum(x, axis, keepDims);
  const out = wrap(total.backend.affine(total.storage, 1 / n, 0), total.shape);
  record([total], [out], ([g]) => [wrap(g!.backend.affine(g!.storage, 1 / n, 0), g!.shape)]);
  return out;
}

/** Max over an axis; the gradient is shared equally among tied maxima (as TF.js does). */
export function max(x: Tensor, axis: number, keepDims = false): Tensor {
  const a = normaliseAxis(axis, x.rank, 'max');
  const out = rawReduce('max', x, a, keepDims);
  record([x], [out], ([g]) => {
    const kept = reducedShape(x.shape, a, true);
    const backend = x.backend;
    const maxB = expandTo(out, kept, x.shape);
    const diff = wrap(backend.binary('sub', x.storage, [1], maxB.storage, [1], [x.size]), x.shape);
    const ones = wrap(backend.fill(x.size, 1, 'f32'), x.shape);
    // x - max >= 0 exactly at the maxima: clampGrad passes 1 there and 0 elsewhere.
    const isMax = wrap(backend.clampGrad(diff.storage, ones.storage, 0, Infinity), x.shape);
    const { outer, size, inner } = splitAt(x.shape, a);
    const count = wrap(backend.reduce('sum', isMax.storage, outer, size, inner), kept);
    const share = wrap(backend.binary('div', g!.storage, [1], count.storage, [1], [count.size]), kept);
    const shareB = expandTo(share, kept, x.shape);
    return [wrap(backend.binary('mul', isMax.storage, [1], shareB.storage, [1], [x.size]), x.shape)];
  });
  return out;
}

/** Sums g over the axes along which `shape` was broadcast to g's shape (no-op when equal). */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const rank = g.rank;
  const padded = [...new Array<number>(rank - shape.length).fill(1), ...shape];
  let current = g;
  for (let axis = 0; axis < rank; axis++) {
    if (padded[axis] === 1 && current.shape[axis] !== 1) current = rawReduce('sum', current, axis, true);
  }
  return current.view(shape);
}
